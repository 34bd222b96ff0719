package io.tlsmon.format;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Certificate;
import io.tlsmon.avro.CertificateRole;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.PolicyType;
import io.tlsmon.avro.Severity;
import io.tlsmon.pipeline.LogPipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records every format test runs through: the attempts and alerts tlsmon makes of the protocol-log
 * fixtures (all four MTAs, both directions, the outcomes the fixtures hold), and a few built by hand
 * for what the parsers do not fill yet (certificates, the RFC 8460 policy, IPv6).
 */
final class FormatSamples {
    record Records(List<NegotiationAttempt> attempts, List<Alert> alerts) {
    }

    private static Records fromFixtures;

    private FormatSamples() {
    }

    /** The attempts and alerts of every file under the test fixtures, one pipeline per folder. */
    static synchronized Records fromFixtures() {
        if (fromFixtures != null) {
            return fromFixtures;
        }
        List<NegotiationAttempt> attempts = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        Path root = Path.of("src/test/resources/fixtures");
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                LogPipeline.Listener listener = new LogPipeline.Listener() {
                    @Override
                    public void attempt(NegotiationAttempt a) {
                        attempts.add(a);
                    }

                    @Override
                    public void alert(Alert a) {
                        alerts.add(a);
                    }
                };
                try (LogPipeline pipeline = new LogPipeline(LogPipeline.Options.defaults(), listener);
                     Stream<Path> files = Files.walk(folder)) {
                    for (Path file : files.filter(Files::isRegularFile).filter(FormatSamples::isLog).sorted().toList()) {
                        // Bytes that are not UTF-8 become U+FFFD, as in the real readers.
                        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                        try (LogPipeline.StreamReader s = pipeline.openStream(file.toString(),
                                Instant.parse("2025-06-01T00:00:00Z").toEpochMilli())) {
                            long n = 0;
                            for (String line : text.split("\r?\n")) {
                                s.line(line, ++n);
                            }
                        }
                        pipeline.endGroup();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fromFixtures = new Records(List.copyOf(attempts), List.copyOf(alerts));
        return fromFixtures;
    }

    private static boolean isLog(Path f) {
        String name = f.getFileName().toString();
        return !name.endsWith(".tsv") && !name.endsWith(".md") && !name.endsWith(".gz") && !name.endsWith(".json");
    }

    /** An outbound attempt that names both certificates, its policy, and an IPv6 peer. */
    static NegotiationAttempt outboundWithCertificates() {
        return base()
                .setDirection(Direction.outbound).setSourceKind("exchange-send").setServer("EX01")
                .setRemoteIp("2001:db8::25").setRemotePort(25).setRemoteHost("mx1.contoso.example")
                .setLocalEndpoint("[2001:db8::5]:50123").setConnector("Outbound to Internet")
                .setOutcome(Outcome.CERTIFICATE_EXPIRED).setError("CERT_E_EXPIRED").setTlsVersion("TLSv1.2")
                .setCipher("ECDHE-RSA-AES256-GCM-SHA384").setTlsRequired(true).setTlsrptResultType("certificate-expired")
                .setPolicyDomain("contoso.example").setPolicyType(PolicyType.STS)
                .setCertificates(List.of(
                        certificate(CertificateRole.LOCAL, "CN=ex01.fabrikam.example, O=Fabrikam", "CN=Fabrikam CA",
                                "0A1B2C", "a9993e364706816aba3e25717850c26c9cd0d89d", "2025-01-01T00:00:00.0000000Z",
                                "2026-01-01T00:00:00.0000000Z", "ex01.fabrikam.example;mail.fabrikam.example"),
                        certificate(CertificateRole.REMOTE, "CN=mx1.contoso.example", "CN=Contoso Issuing CA, O=Contoso",
                                "01F2", "0123456789ABCDEF0123456789ABCDEF01234567", "2024-01-01T00:00:00Z",
                                "2025-01-01T00:00:00Z", "mx1.contoso.example,192.0.2.25")))
                .build();
    }

    /** An inbound attempt whose log wrote certificate dates and a thumbprint tlsmon cannot type (kept under tlsmon.*). */
    static NegotiationAttempt inboundWithOddCertificate() {
        return base()
                .setCertificates(List.of(
                        certificate(CertificateRole.LOCAL, "CN=mx.fabrikam.example", "CN=Fabrikam CA",
                                "77", "not-a-sha1", "Jan  1 00:00:00 2025 GMT", "sometime", null),
                        certificate(CertificateRole.REMOTE, "CN=client.example", "CN=Client CA", "78",
                                "0123456789abcdef0123456789abcdef01234567", "2025-01-01T00:00:00", "2027-01-01T00:00:00", "client.example")))
                .setPolicyType(PolicyType.NO_POLICY_FOUND)
                .build();
    }

    static NegotiationAttempt.Builder base() {
        return NegotiationAttempt.newBuilder()
                .setId("6f1c7a44-2f9b-3c55-9a0e-1b2c3d4e5f60").setServer("mx.fabrikam.example").setSourceKind("postfix-smtpd")
                .setDirection(Direction.inbound).setSessionId("4242").setRemoteIp("192.0.2.44").setRemotePort(40123)
                .setRemoteHost("client.example").setLocalEndpoint("192.0.2.5:25").setConnector("smtpd")
                .setStartTime(Instant.parse("2025-03-03T08:00:00.123Z")).setEndTime(Instant.parse("2025-03-03T08:00:01.456Z"))
                .setOutcome(Outcome.OK).setTlsVersion("TLSv1.3").setCipher("TLS_AES_256_GCM_SHA384")
                .setEvidence(List.of(new Evidence("/var/log/mail.log", 17L)));
    }

    static Certificate certificate(CertificateRole role, String subject, String issuer, String serial, String thumbprint,
                                   String notBefore, String notAfter, String names) {
        return Certificate.newBuilder().setRole(role).setSubject(subject).setIssuer(issuer).setSerialNumber(serial)
                .setThumbprint(thumbprint).setNotBefore(notBefore).setNotAfter(notAfter).setAlternateNames(names).build();
    }

    static Alert.Builder alert() {
        Instant t = Instant.parse("2025-03-03T09:00:00.500Z");
        return Alert.newBuilder()
                .setId("0d7e4b1a-58a3-3f0e-8c55-6a2f0b1c2d3e").setType(AlertType.RAISED).setRule("failure-threshold")
                .setSeverity(Severity.CRITICAL).setSender("192.0.2.44").setSenderName("client.example")
                .setDirection(Direction.inbound).setOutcome(Outcome.CERTIFICATE_UNTRUSTED).setCount(12).setWindowMs(900_000)
                .setWindowStart(t.minusSeconds(900)).setWindowEnd(t).setTlsVersion("TLSv1.2").setError("unknown ca")
                .setDestination("mx.fabrikam.example")
                .setFirstEvidence(new EvidenceRef("mx.fabrikam.example", "4242", t.minusSeconds(800)))
                .setLastEvidence(new EvidenceRef("mx.fabrikam.example", "4250", t))
                .setSummary("sender 192.0.2.44 failed 12 times: CERTIFICATE_UNTRUSTED")
                .setRemediation("Install the full certificate chain.").setTime(t);
    }

    /** Every attempt the format tests check: fixtures and hand-built ones. */
    static List<NegotiationAttempt> allAttempts() {
        List<NegotiationAttempt> all = new ArrayList<>(fromFixtures().attempts());
        all.add(outboundWithCertificates());
        all.add(inboundWithOddCertificate());
        all.add(base().build());
        all.add(base().setOutcome(Outcome.STARTTLS_NOT_OFFERED).setTlsVersion(null).setCipher(null)
                .setRemoteIp("not an address").setRemotePort(null).setLocalEndpoint(null).setTlsRequired(false).build());
        return all;
    }

    static List<Alert> allAlerts() {
        List<Alert> all = new ArrayList<>(fromFixtures().alerts());
        all.add(alert().build());
        all.add(alert().setType(AlertType.RESOLVED).setSeverity(Severity.INFO).build());
        all.add(alert().setType(AlertType.UPDATED).setSeverity(Severity.WARNING).setDirection(Direction.outbound)
                .setSender("EX01|Outbound to Internet").setSenderName("EX01").setDestination("2001:db8::25")
                .setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED).setOutcome(Outcome.CONNECTION_DROPPED).build());
        return all;
    }
}
