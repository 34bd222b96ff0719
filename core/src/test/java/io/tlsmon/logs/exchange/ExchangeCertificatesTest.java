package io.tlsmon.logs.exchange;

import io.tlsmon.avro.Certificate;
import io.tlsmon.avro.CertificateRole;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.pipeline.LogPipeline;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The certificate lines of an Exchange session are carried onto its attempt, in both of Exchange's forms. */
class ExchangeCertificatesTest {

    private static List<NegotiationAttempt> attempts(String file) throws IOException, URISyntaxException {
        Path path = Path.of(ExchangeCertificatesTest.class.getResource("/fixtures/exchange/" + file).toURI());
        List<NegotiationAttempt> out = new ArrayList<>();
        try (LogPipeline pipeline = new LogPipeline(LogPipeline.Options.defaults(), out::add);
             LogPipeline.StreamReader stream = pipeline.openStream(file, System.currentTimeMillis())) {
            long n = 0;
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                stream.line(line, ++n);
            }
        }
        return out;
    }

    @Test
    void aLabelPerLineFillsTheCertificateTheHeaderNamed() throws Exception {
        NegotiationAttempt expired = attempts("SEND2025030310-1.LOG").stream()
                .filter(a -> "CertExpired".equals(a.getError())).findFirst().orElseThrow();
        assertThat(expired.getCertificates()).extracting(Certificate::getRole).containsExactly(CertificateRole.LOCAL, CertificateRole.REMOTE);
        assertThat(expired.getCertificates().get(0).getSubject()).isEqualTo("CN=mail.contoso.example, O=Contoso Ltd, L=Seattle, S=WA, C=US");
        assertThat(expired.getCertificates().get(1)).satisfies(c -> {
            assertThat(c.getRole()).isEqualTo(CertificateRole.REMOTE);
            assertThat(c.getSubject()).isEqualTo("CN=mx10.partner.example, O=Partner");
            assertThat(c.getIssuer()).isEqualTo("CN=Partner Issuing CA, O=Partner");
            assertThat(c.getThumbprint()).isEqualTo("0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C0A");
        });
    }

    @Test
    void ourOwnCertificateAndThePeersAreKeptApart() throws Exception {
        NegotiationAttempt ok = attempts("SEND2025030110-1.LOG").stream()
                .filter(a -> "TLSv1.2".equals(a.getTlsVersion())).findFirst().orElseThrow();
        assertThat(ok.getCertificates()).extracting(Certificate::getRole).containsExactly(CertificateRole.LOCAL, CertificateRole.REMOTE);
        Certificate ours = ok.getCertificates().get(0);
        assertThat(ours.getSubject()).isEqualTo("CN=mail.contoso.example, O=Contoso Ltd, L=Seattle, S=WA, C=US");
        assertThat(ours.getSerialNumber()).isEqualTo("4A00000017C3E2A5B1F04D7B2E000000000017");
        assertThat(ours.getAlternateNames()).isEqualTo("mail.contoso.example;autodiscover.contoso.example");
        assertThat(ok.getCertificates().get(1).getThumbprint()).isEqualTo("1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E");
    }

    @Test
    void theOneLineFormOfExchange2010IsReadFromItsEnd() {
        var fact = ExchangeCertificateLine.read(CertificateRole.LOCAL,
                " CN=ex01.contoso.example CN=Contoso Issuing CA 1 4A00000017C3E2A5B1F04D7B2E000000000017 "
                        + "8E3F0C5D2A4B6C7D8E9F0A1B2C3D4E5F60718293 2024-06-01T00:00:00.000Z 2026-06-01T00:00:00.000Z "
                        + "ex01.contoso.example;mail.contoso.example");
        assertThat(fact.subject()).isEqualTo("CN=ex01.contoso.example");
        assertThat(fact.issuer()).isEqualTo("CN=Contoso Issuing CA 1");
        assertThat(fact.serialNumber()).isEqualTo("4A00000017C3E2A5B1F04D7B2E000000000017");
        assertThat(fact.thumbprint()).isEqualTo("8E3F0C5D2A4B6C7D8E9F0A1B2C3D4E5F60718293");
        assertThat(fact.notBefore()).isEqualTo("2024-06-01T00:00:00.000Z");
        assertThat(fact.notAfter()).isEqualTo("2026-06-01T00:00:00.000Z");
        assertThat(fact.alternateNames()).isEqualTo("ex01.contoso.example;mail.contoso.example");

        var withCommas = ExchangeCertificateLine.read(CertificateRole.LOCAL,
                "CN=mail.contoso.example, O=Contoso Ltd CN=Trusted Secure Certificate Authority 5, O=Corporation Service Company "
                        + "0A0B 8E3F0C5D2A4B6C7D8E9F0A1B2C3D4E5F60718293 2024-06-01T00:00:00.000Z 2026-06-01T00:00:00.000Z mail.contoso.example");
        assertThat(withCommas.subject()).isEqualTo("CN=mail.contoso.example, O=Contoso Ltd");
        assertThat(withCommas.issuer()).isEqualTo("CN=Trusted Secure Certificate Authority 5, O=Corporation Service Company");
        assertThat(withCommas.serialNumber()).isEqualTo("0A0B");
    }

    @Test
    void aValidationStatusLineNamesNoCertificate() throws Exception {
        NegotiationAttempt inbound = attempts("RECV2025030110-1.LOG").stream()
                .filter(a -> "TLSv1.3".equals(a.getTlsVersion())).findFirst().orElseThrow();
        // the one-line "Sending certificate" of the receive side, and no entry for the client's status lines
        assertThat(inbound.getCertificates()).singleElement().satisfies(c -> {
            assertThat(c.getRole()).isEqualTo(CertificateRole.LOCAL);
            assertThat(c.getSubject()).isEqualTo("CN=ex01.contoso.example");
            assertThat(c.getIssuer()).isEqualTo("CN=Contoso Issuing CA 1");
        });
    }
}
