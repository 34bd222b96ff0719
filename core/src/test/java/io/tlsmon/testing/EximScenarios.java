package io.tlsmon.testing;

import static io.tlsmon.testing.ExpectedAttempt.eximIn;
import static io.tlsmon.testing.ExpectedAttempt.eximOut;

import io.tlsmon.testing.MisbehavingPeer.Behaviour;
import io.tlsmon.testing.RealExim.ClientRoute;
import io.tlsmon.testing.RealExim.Listener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The scenarios run against {@link RealExim}, in order. Inbound ones use {@code openssl s_client},
 * {@code gnutls-cli}, {@code swaks} or a raw {@link SmtpDialogue}; outbound ones submit a message
 * that the instance delivers to one of its own listeners (so both sides are logged, and both are
 * expected) or to the test's {@link MisbehavingPeer}.
 *
 * <p>Exim on GnuTLS logs the library's {@code gnutls_strerror} text, or for an alert it received
 * the alert's name ({@code Error in protocol version}, {@code Handshake failed}, {@code Certificate
 * is bad}). It does not say why a certificate failed verification: an expired and an untrusted
 * chain both read {@code (certificate verification failed): certificate invalid}, and a wrong name
 * has no text at all after {@code (certificate verification failed)} (tls-gnu.c of 4.96).
 */
public final class EximScenarios {
    private static final String SECLEVEL_0 = "DEFAULT@SECLEVEL=0";
    private static final String TLS13 = "NORMAL:-VERS-ALL:+VERS-TLS1.3";
    private static final String TLS12 = "NORMAL:-VERS-ALL:+VERS-TLS1.2";
    private static final String TLS11 = "NORMAL:-VERS-ALL:+VERS-TLS1.1";
    private static final String TLS1 = "NORMAL:-VERS-ALL:+VERS-TLS1.0";
    private static final String UNSUPPORTED_VERSION = "A packet with illegal or unsupported version was received.";
    private static final String NON_PROPERLY_TERMINATED = "The TLS connection was non-properly terminated.";
    private static final String KEY_MISMATCH = "The certificate and the given key do not match.";

    private EximScenarios() {
    }

    public static List<EximScenario> all() {
        return List.of(
                inbound("exim-in-ok-tls13-openssl", "openssl s_client TLS 1.3 to the TLS 1.2+ listener",
                        openssl(Listener.TLS12_ONLY, "-tls1_3"),
                        List.of("no MAIL in SMTP connection from [127.0.0.1]:", " X=TLS1.3:", "C=EHLO,STARTTLS,QUIT"),
                        eximIn("OK", "TLSv1.3", null)),
                inbound("exim-in-ok-tls12-gnutls", "gnutls-cli TLS 1.2 to the TLS 1.2+ listener",
                        gnutls(Listener.TLS12_ONLY, TLS12),
                        List.of(" X=TLS1.2:"),
                        eximIn("OK", "TLSv1.2", null)),
                inbound("exim-in-ok-swaks-message", "swaks sends a message over STARTTLS to the TLS 1.2+ listener",
                        swaks(Listener.TLS12_ONLY, "--tls"),
                        List.of(" <= probe@client.tlsmon.test H=(client.tlsmon.test) [127.0.0.1]:", "P=esmtps X=TLS1.3:"),
                        eximIn("OK", "TLSv1.3", null)),
                inbound("exim-in-deprecated-tls1", "openssl s_client TLS 1.0 to the listener that still accepts it",
                        openssl(Listener.LEGACY_TLS, "-tls1", "-cipher", SECLEVEL_0),
                        List.of(" X=TLS1.0:"),
                        eximIn("DEPRECATED_PROTOCOL", "TLSv1", null)),
                inbound("exim-in-deprecated-tls11", "gnutls-cli TLS 1.1 to the listener that still accepts it",
                        gnutls(Listener.LEGACY_TLS, TLS11),
                        List.of(" X=TLS1.1:"),
                        eximIn("DEPRECATED_PROTOCOL", "TLSv1.1", null)),
                inbound("exim-in-version-rejected-tls1", "openssl s_client TLS 1.0 only to the TLS 1.2+ listener",
                        openssl(Listener.TLS12_ONLY, "-tls1", "-cipher", SECLEVEL_0),
                        List.of("TLS error on connection from (", "(gnutls_handshake): " + UNSUPPORTED_VERSION),
                        eximIn("PROTOCOL_VERSION_REJECTED", null, UNSUPPORTED_VERSION)),
                inbound("exim-in-version-rejected-tls11", "gnutls-cli TLS 1.1 only to the TLS 1.2+ listener",
                        gnutls(Listener.TLS12_ONLY, TLS11),
                        List.of("(gnutls_handshake): " + UNSUPPORTED_VERSION),
                        eximIn("PROTOCOL_VERSION_REJECTED", null, UNSUPPORTED_VERSION)),
                inbound("exim-in-no-shared-cipher", "openssl s_client offering only " + RealExim.CLIENT_ONLY_CIPHER
                                + " to the one-suite listener",
                        openssl(Listener.ONE_CIPHER, "-tls1_2", "-cipher", RealExim.CLIENT_ONLY_CIPHER),
                        List.of("(gnutls_handshake): No supported cipher suites have been found."),
                        eximIn("NO_SHARED_CIPHER", null, "No supported cipher suites have been found.")),
                inbound("exim-in-dropped-after-starttls", "client closes the socket right after 220 to STARTTLS",
                        startTlsThen(d -> { }),
                        List.of("(gnutls_handshake): " + NON_PROPERLY_TERMINATED, "C=EHLO,STARTTLS"),
                        eximIn("CONNECTION_DROPPED", null, NON_PROPERLY_TERMINATED)),
                inbound("exim-in-dropped-mid-record", "client sends the first bytes of a TLS record, then closes",
                        startTlsThen(d -> {
                            d.send(new byte[] {0x16, 0x03, 0x01});
                            RealPostfix.sleep(300);
                        }),
                        List.of("(gnutls_handshake): " + NON_PROPERLY_TERMINATED),
                        eximIn("CONNECTION_DROPPED", null, NON_PROPERLY_TERMINATED)),
                inbound("exim-in-reset-mid-handshake", "client sends a real ClientHello, then resets the connection",
                        startTlsThen(d -> {
                            d.sendClientHello();
                            d.resetAfterServerReplies();
                        }),
                        // ECONNRESET reads "Error in the pull function." when the reset beats GnuTLS's
                        // read, "non-properly terminated" when it does not: both say the peer is gone
                        List.of("(gnutls_handshake): "),
                        eximIn("CONNECTION_DROPPED", null, "(gnutls_handshake)")),
                new EximScenario("exim-in-handshake-timeout",
                        "client stays silent after STARTTLS until smtp_receive_timeout (" + RealExim.RECEIVE_TIMEOUT_SECONDS + "s)",
                        startTlsThen(SmtpDialogue::awaitServerClose),
                        contains("SMTP command timeout on connection from"),
                        List.of("(gnutls_handshake): timed out"),
                        List.of(eximIn("HANDSHAKE_TIMEOUT", null, "timed out"))),
                inbound("exim-in-http-after-starttls", "client sends an HTTP request where the ClientHello belongs",
                        startTlsThen(d -> {
                            d.send("GET / HTTP/1.0\r\nHost: mx.tlsmon.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                            d.awaitServerClose();
                        }),
                        List.of("(gnutls_handshake): An unexpected TLS packet was received."),
                        eximIn("WRONG_PORT_OR_PROTOCOL", null, "An unexpected TLS packet was received.")),
                inbound("exim-in-plaintext-after-starttls", "client goes on in plaintext SMTP after 220 to STARTTLS",
                        startTlsThen(d -> {
                            d.send("MAIL FROM:<probe@client.tlsmon.test>\r\n".getBytes(StandardCharsets.US_ASCII));
                            d.awaitServerClose();
                        }),
                        List.of("(gnutls_handshake): An unexpected TLS packet was received."),
                        eximIn("WRONG_PORT_OR_PROTOCOL", null, "An unexpected TLS packet was received.")),
                inbound("exim-in-starttls-required", "swaks without TLS sends MAIL to the listener whose ACL requires TLS",
                        swaks(Listener.TLS_REQUIRED),
                        List.of("rejected MAIL <probe@client.tlsmon.test>: 530 5.7.0 Must issue a STARTTLS command first"),
                        eximIn("STARTTLS_REQUIRED", null, "Must issue a STARTTLS command first")),
                inbound("exim-in-starttls-not-offered", "client sends STARTTLS to the listener that does not offer it",
                        exim -> {
                            try (SmtpDialogue d = SmtpDialogue.greeted(exim.port(Listener.NO_TLS), Duration.ofSeconds(15))) {
                                d.command("STARTTLS", "503");
                                d.command("QUIT", "221");
                            }
                        },
                        List.of("SMTP protocol error in \"STARTTLS\"", "STARTTLS command used when not advertised"),
                        eximIn("STARTTLS_NOT_OFFERED", null, "STARTTLS command used when not advertised")),
                inbound("exim-in-own-certificate-unusable", "openssl s_client to the listener whose certificate and key do not match",
                        openssl(Listener.BROKEN_OWN_CERT),
                        List.of("(cert/key setup: cert=", KEY_MISMATCH),
                        eximIn("LOCAL_CERTIFICATE_UNUSABLE", null, KEY_MISMATCH)),
                inbound("exim-in-client-rejects-expired", "gnutls-cli verifying against our CA rejects the expired certificate",
                        exim -> GnuTlsClient.verifying(exim.port(Listener.EXPIRED_CERT), TLS13, exim.caCert(), RealExim.HOSTNAME),
                        List.of("(gnutls_handshake): Certificate is bad"),
                        eximIn("CERTIFICATE_UNTRUSTED", null, "Certificate is bad")),
                inbound("exim-in-client-rejects-untrusted", "gnutls-cli verifying against our CA rejects the self-signed certificate",
                        exim -> GnuTlsClient.verifying(exim.port(Listener.SELF_SIGNED_CERT), TLS13, exim.caCert(), RealExim.HOSTNAME),
                        List.of("(gnutls_handshake): Certificate is bad"),
                        eximIn("CERTIFICATE_UNTRUSTED", null, "Certificate is bad")),

                outbound("exim-out-ok", ClientRoute.OPPORTUNISTIC, "opportunistic TLS to the TLS 1.2+ listener",
                        List.of(" => probe@ok.test R=to_opportunistic T=t_to_opportunistic H=127.0.0.1 [127.0.0.1]:",
                                " X=TLS1.3:", "CV=no", " <= <> H=(mx.tlsmon.test) [127.0.0.1]:"),
                        eximOut("OK", "TLSv1.3", null), eximIn("OK", "TLSv1.3", null)),
                outbound("exim-out-ok-verified", ClientRoute.VERIFIED, "TLS required and verified against our CA",
                        List.of(" => probe@verified.test", "CV=yes"),
                        eximOut("OK", "TLSv1.3", null), eximIn("OK", "TLSv1.3", null)),
                outbound("exim-out-deprecated-tls1", ClientRoute.TLS1_ONLY_TO_LEGACY, "TLS 1.0-only client to the listener that still accepts it",
                        List.of(" => probe@tls1.test", " X=TLS1.0:"),
                        eximOut("DEPRECATED_PROTOCOL", "TLSv1", null), eximIn("DEPRECATED_PROTOCOL", "TLSv1", null)),
                outbound("exim-out-deprecated-tls11", ClientRoute.TLS11_ONLY_TO_LEGACY, "TLS 1.1-only client to the listener that still accepts it",
                        List.of(" => probe@tls11.test", " X=TLS1.1:"),
                        eximOut("DEPRECATED_PROTOCOL", "TLSv1.1", null), eximIn("DEPRECATED_PROTOCOL", "TLSv1.1", null)),
                outbound("exim-out-version-rejected", ClientRoute.TLS1_ONLY_TO_MODERN, "TLS 1.0-only client to the TLS 1.2+ listener",
                        List.of(" == probe@tls1-rejected.test", "TLS session: (gnutls_handshake): Error in protocol version",
                                "(gnutls_handshake): " + UNSUPPORTED_VERSION),
                        eximOut("PROTOCOL_VERSION_REJECTED", null, "Error in protocol version"),
                        eximIn("PROTOCOL_VERSION_REJECTED", null, UNSUPPORTED_VERSION)),
                outbound("exim-out-no-shared-cipher", ClientRoute.OTHER_CIPHER_ONLY, "client offering only RSA key exchange with AES-128-CBC to the one-suite listener",
                        List.of("TLS session: (gnutls_handshake): Handshake failed", "No supported cipher suites have been found."),
                        eximOut("NO_SHARED_CIPHER", null, "Handshake failed"),
                        eximIn("NO_SHARED_CIPHER", null, "No supported cipher suites have been found.")),
                outbound("exim-out-starttls-not-offered-required", ClientRoute.REQUIRE_TLS_TO_PLAIN, "TLS required towards the listener that offers no STARTTLS",
                        List.of("a TLS session is required, but the server did not offer TLS support"),
                        eximOut("STARTTLS_NOT_OFFERED", null, "a TLS session is required, but the server did not offer TLS support")),
                outbound("exim-out-starttls-not-offered", ClientRoute.OPPORTUNISTIC_TO_PLAIN, "opportunistic TLS towards the listener that offers no STARTTLS: delivered in clear",
                        List.of(" => probe@plain-ok.test", " <= <> H=(mx.tlsmon.test) [127.0.0.1]:", " P=esmtp "),
                        eximOut("STARTTLS_NOT_OFFERED", null, "=> probe@plain-ok.test")),
                outbound("exim-out-starttls-required", ClientRoute.AVOID_TLS_TO_REQUIRED, "client avoiding TLS to the listener that requires it",
                        List.of(" ** probe@plain.test", "530 5.7.0 Must issue a STARTTLS command first",
                                "rejected MAIL <>: 530 5.7.0 Must issue a STARTTLS command first"),
                        eximOut("STARTTLS_REQUIRED", null, "Must issue a STARTTLS command first"),
                        eximIn("STARTTLS_REQUIRED", null, "Must issue a STARTTLS command first")),
                outbound("exim-out-cert-untrusted", ClientRoute.VERIFY_SELF_SIGNED, "verifying client to the listener with a self-signed certificate",
                        List.of("TLS session: (certificate verification failed): certificate invalid",
                                "(recv): A TLS fatal alert has been received: Certificate is bad"),
                        eximOut("CERTIFICATE_UNTRUSTED", null, "certificate invalid"),
                        eximIn("CERTIFICATE_UNTRUSTED", "TLSv1.3", "Certificate is bad")),
                outbound("exim-out-cert-expired", ClientRoute.VERIFY_EXPIRED, "verifying client to the listener with an expired certificate; "
                                + "Exim 4.96 on GnuTLS logs the same words as for an untrusted one",
                        List.of("TLS session: (certificate verification failed): certificate invalid", "Certificate is bad"),
                        eximOut("CERTIFICATE_UNTRUSTED", null, "certificate invalid"),
                        eximIn("CERTIFICATE_UNTRUSTED", "TLSv1.3", "Certificate is bad")),
                outbound("exim-out-cert-name-mismatch", ClientRoute.VERIFY_OTHER_NAME, "verifying client to the listener whose certificate names another host",
                        List.of("TLS session: (certificate verification failed)", "Certificate is bad"),
                        eximOut("CERTIFICATE_NAME_MISMATCH", null, "(certificate verification failed)"),
                        eximIn("CERTIFICATE_UNTRUSTED", "TLSv1.3", "Certificate is bad")),
                outbound("exim-out-server-certificate-unusable", ClientRoute.REQUIRE_TLS_TO_BROKEN_SERVER,
                        "TLS required towards the listener whose own certificate and key do not match (it answers 454)",
                        List.of("a TLS session is required, but an attempt to start TLS failed", KEY_MISMATCH),
                        eximOut("STARTTLS_NOT_OFFERED", null, "an attempt to start TLS failed"),
                        eximIn("LOCAL_CERTIFICATE_UNUSABLE", null, KEY_MISMATCH)),
                outbound("exim-out-own-certificate-unusable", ClientRoute.OWN_CERT_BROKEN, "client whose own certificate and key do not match",
                        List.of("TLS session: (cert/key setup: cert=", KEY_MISMATCH),
                        eximOut("LOCAL_CERTIFICATE_UNUSABLE", null, KEY_MISMATCH),
                        eximIn("CONNECTION_DROPPED", null, NON_PROPERLY_TERMINATED)),
                outbound("exim-out-ocsp-required", ClientRoute.REQUIRE_OCSP, "client requiring a stapled OCSP response from a listener that staples none",
                        List.of("TLS session: (certificate status check failed)"),
                        eximOut("CERTIFICATE_UNTRUSTED", null, "(certificate status check failed)"),
                        eximIn("OK", "TLSv1.3", null)),
                toPeer("exim-out-peer-silent", Behaviour.SILENT, "the test's peer agrees to STARTTLS and then never answers the ClientHello",
                        List.of("TLS session: (gnutls_handshake): timed out"),
                        eximOut("HANDSHAKE_TIMEOUT", null, "timed out")),
                toPeer("exim-out-peer-drops", Behaviour.CLOSE, "the test's peer agrees to STARTTLS and closes on the ClientHello",
                        // GnuTLS reads the close as "non-properly terminated", or as a reset ("pull function")
                        List.of("TLS session: (gnutls_handshake): "),
                        eximOut("CONNECTION_DROPPED", null, "(gnutls_handshake)")),
                toPeer("exim-out-peer-plaintext", Behaviour.PLAINTEXT, "the test's peer answers the ClientHello with a plaintext SMTP reply",
                        List.of("TLS session: (gnutls_handshake): An unexpected TLS packet was received."),
                        eximOut("WRONG_PORT_OR_PROTOCOL", null, "An unexpected TLS packet was received.")));
    }

    private static EximScenario inbound(String name, String description, Consumer<RealExim> provoke,
                                        List<String> evidence, ExpectedAttempt expected) {
        return new EximScenario(name, description, provoke, connectionEnded(), evidence, List.of(expected));
    }

    private static EximScenario outbound(String name, ClientRoute route, String description,
                                         List<String> evidence, ExpectedAttempt... expected) {
        return new EximScenario(name, description, exim -> exim.submit(route),
                deliveryLogged().and(connectionEnded()), evidence, List.of(expected));
    }

    private static EximScenario toPeer(String name, Behaviour behaviour, String description,
                                       List<String> evidence, ExpectedAttempt expected) {
        return new EximScenario(name, description, exim -> {
            exim.peer().behave(behaviour);
            exim.submit(ClientRoute.TO_MISBEHAVING_PEER);
        }, deliveryLogged(), evidence, List.of(expected));
    }

    private static Consumer<RealExim> openssl(Listener listener, String... options) {
        return exim -> StartTlsClient.handshake(exim.port(listener), options);
    }

    private static Consumer<RealExim> gnutls(Listener listener, String priority) {
        return exim -> GnuTlsClient.handshake(exim.port(listener), priority);
    }

    private static Consumer<RealExim> swaks(Listener listener, String... options) {
        return exim -> {
            List<String> command = new java.util.ArrayList<>(List.of(RealExim.swaks().toString(),
                    "--server", RealPostfix.LOOPBACK, "--port", Integer.toString(exim.port(listener)),
                    "--helo", SmtpDialogue.EHLO_NAME, "--from", "probe@client.tlsmon.test", "--to", "probe@tlsmon.test"));
            command.addAll(List.of(options));
            Commands.run(Duration.ofSeconds(20), null, command);
        };
    }

    /** EHLO and STARTTLS on the TLS 1.2+ listener, then whatever misbehaviour follows, then close. */
    private static Consumer<RealExim> startTlsThen(Consumer<SmtpDialogue> misbehave) {
        return exim -> {
            try (SmtpDialogue d = SmtpDialogue.greeted(exim.port(Listener.TLS12_ONLY),
                    Duration.ofSeconds(3L * RealExim.RECEIVE_TIMEOUT_SECONDS + 10))) {
                d.command("STARTTLS", "220");
                misbehave.accept(d);
            }
        };
    }

    /** The receiving side logged the end of an SMTP connection. */
    private static Predicate<List<String>> connectionEnded() {
        return lines -> lines.stream().anyMatch(l -> l.contains("no MAIL in SMTP connection")
                || l.contains("SMTP command timeout on connection")
                || (l.contains("SMTP connection from") && (l.contains(" closed by ") || l.contains(" lost"))));
    }

    private static Predicate<List<String>> deliveryLogged() {
        return contains(" => ").or(contains(" == ")).or(contains(" ** "));
    }

    private static Predicate<List<String>> contains(String text) {
        return lines -> lines.stream().anyMatch(l -> l.contains(text));
    }

}
