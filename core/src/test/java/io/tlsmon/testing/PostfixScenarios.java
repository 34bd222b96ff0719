package io.tlsmon.testing;

import static io.tlsmon.testing.ExpectedAttempt.smtp;
import static io.tlsmon.testing.ExpectedAttempt.smtpd;

import io.tlsmon.testing.RealPostfix.ClientRoute;
import io.tlsmon.testing.RealPostfix.Listener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The scenarios run against {@link RealPostfix}, in order. Inbound ones (postfix-smtpd) use
 * {@code openssl s_client} or a raw {@link SmtpDialogue}; outbound ones (postfix-smtp) submit a
 * message that the instance delivers to one of its own listeners, so both sides get logged.
 */
public final class PostfixScenarios {
    private static final String PEER = "[127.0.0.1]";
    private static final String SECLEVEL_0 = "DEFAULT@SECLEVEL=0";

    private PostfixScenarios() {
    }

    public static List<PostfixScenario> all() {
        return List.of(
                inbound("smtpd-ok-tls13", "TLS 1.3 client to the TLS 1.2+ listener",
                        handshake(Listener.TLS12_ONLY, "-tls1_3"),
                        List.of("postfix/smtpd[", PEER + ": TLSv1.3 with cipher", "starttls=1 quit=1"),
                        smtpd("OK", "TLSv1.3", null)),
                inbound("smtpd-ok-tls12", "TLS 1.2 client to the TLS 1.2+ listener",
                        handshake(Listener.TLS12_ONLY, "-tls1_2"),
                        List.of(PEER + ": TLSv1.2 with cipher"),
                        smtpd("OK", "TLSv1.2", null)),
                inbound("smtpd-deprecated-tls1", "TLS 1.0 client to the listener that still accepts it",
                        handshake(Listener.LEGACY_TLS, "-tls1", "-cipher", SECLEVEL_0),
                        List.of("postfix/legacytls/smtpd[", PEER + ": TLSv1 with cipher"),
                        smtpd("DEPRECATED_PROTOCOL", "TLSv1", null)),
                inbound("smtpd-deprecated-tls11", "TLS 1.1 client to the listener that still accepts it",
                        handshake(Listener.LEGACY_TLS, "-tls1_1", "-cipher", SECLEVEL_0),
                        List.of(PEER + ": TLSv1.1 with cipher"),
                        smtpd("DEPRECATED_PROTOCOL", "TLSv1.1", null)),
                inbound("smtpd-version-rejected-tls1", "TLS 1.0-only client to the TLS 1.2+ listener",
                        handshake(Listener.TLS12_ONLY, "-tls1", "-cipher", SECLEVEL_0),
                        List.of("SSL_accept error from", "SSL routines::unsupported protocol",
                                "lost connection after STARTTLS", "starttls=0/1"),
                        smtpd("PROTOCOL_VERSION_REJECTED", null, "unsupported protocol")),
                inbound("smtpd-version-rejected-tls11", "TLS 1.1-only client to the TLS 1.2+ listener",
                        handshake(Listener.TLS12_ONLY, "-tls1_1", "-cipher", SECLEVEL_0),
                        List.of("SSL_accept error from", "SSL routines::unsupported protocol"),
                        smtpd("PROTOCOL_VERSION_REJECTED", null, "unsupported protocol")),
                inbound("smtpd-no-shared-cipher", "TLS 1.2 client offering only "
                                + RealPostfix.CLIENT_ONLY_CIPHER + " to the one-cipher listener",
                        handshake(Listener.ONE_CIPHER, "-tls1_2", "-cipher", RealPostfix.CLIENT_ONLY_CIPHER),
                        List.of("postfix/onecipher/smtpd[", "SSL_accept error from",
                                "SSL routines::no shared cipher", "lost connection after STARTTLS"),
                        smtpd("NO_SHARED_CIPHER", null, "no shared cipher")),
                inbound("smtpd-dropped-after-starttls", "client closes the socket right after 220 to STARTTLS",
                        startTlsThen(d -> { }),
                        List.of("SSL_accept error from localhost" + PEER + ": lost connection",
                                "lost connection after STARTTLS"),
                        smtpd("CONNECTION_DROPPED", null, "lost connection")),
                inbound("smtpd-dropped-mid-record", "client sends the first bytes of a TLS record, then closes",
                        startTlsThen(d -> {
                            d.send(new byte[] {0x16, 0x03, 0x01});
                            RealPostfix.sleep(300);
                        }),
                        List.of("SSL_accept error from", ": lost connection", "lost connection after STARTTLS"),
                        smtpd("CONNECTION_DROPPED", null, "lost connection")),
                inbound("smtpd-reset-mid-handshake", "client sends a real ClientHello, then resets the connection",
                        startTlsThen(d -> {
                            d.sendClientHello();
                            d.resetAfterServerReplies();
                        }),
                        List.of("SSL_accept error from localhost" + PEER + ": Connection reset by peer",
                                "lost connection after STARTTLS"),
                        smtpd("CONNECTION_DROPPED", null, "Connection reset by peer")),
                inbound("smtpd-handshake-timeout", "client stays silent after STARTTLS until smtpd_starttls_timeout ("
                                + RealPostfix.STARTTLS_TIMEOUT_SECONDS + "s)",
                        startTlsThen(SmtpDialogue::awaitServerClose),
                        List.of("SSL_accept error from localhost" + PEER + ": Connection timed out"),
                        smtpd("HANDSHAKE_TIMEOUT", null, "Connection timed out")),
                inbound("smtpd-http-after-starttls", "client sends an HTTP request where the ClientHello belongs",
                        startTlsThen(d -> {
                            d.send("GET / HTTP/1.0\r\nHost: mx.tlsmon.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                            d.awaitServerClose();
                        }),
                        List.of("SSL_accept error from", "SSL routines::http request"),
                        smtpd("WRONG_PORT_OR_PROTOCOL", null, "http request")),
                inbound("smtpd-plaintext-after-starttls", "client goes on in plaintext SMTP after 220 to STARTTLS",
                        startTlsThen(d -> {
                            d.send("MAIL FROM:<probe@client.tlsmon.test>\r\n".getBytes(StandardCharsets.US_ASCII));
                            d.awaitServerClose();
                        }),
                        List.of("SSL_accept error from", "SSL routines::wrong version number"),
                        smtpd("WRONG_PORT_OR_PROTOCOL", null, "wrong version number")),
                new PostfixScenario("smtpd-starttls-required",
                        "MAIL FROM without STARTTLS on the TLS-required listener. Postfix answers 530 5.7.0 "
                                + "but logs no reason: only mail=0/1 in the disconnect line, which any MAIL "
                                + "rejection would also show, so the log holds no TLS attempt to classify",
                        postfix -> {
                            try (SmtpDialogue d = SmtpDialogue.greeted(postfix.port(Listener.TLS_REQUIRED),
                                    Duration.ofSeconds(15))) {
                                d.command("MAIL FROM:<probe@client.tlsmon.test>", "530");
                                d.command("QUIT", "221");
                            }
                        },
                        contains("disconnect from"),
                        List.of("postfix/tlsrequired/smtpd[", "mail=0/1"),
                        List.of()),
                new PostfixScenario("smtpd-plaintext-rejected",
                        "plaintext client to the listener whose restrictions say reject_plaintext_session",
                        postfix -> {
                            try (SmtpDialogue d = SmtpDialogue.greeted(postfix.port(Listener.PLAINTEXT_REJECTED),
                                    Duration.ofSeconds(15))) {
                                d.command("MAIL FROM:<probe@client.tlsmon.test>", "250");
                                d.command("RCPT TO:<probe@elsewhere.test>", "450");
                                d.command("QUIT", "221");
                            }
                        },
                        contains("disconnect from"),
                        List.of("postfix/plainreject/smtpd[", "450 4.7.1 Session encryption is required"),
                        List.of(smtpd("STARTTLS_REQUIRED", null, "Session encryption is required"))),
                new PostfixScenario("smtpd-own-key-unusable",
                        "two clients, one after the other, say STARTTLS to the listener whose private key file is "
                                + "missing: smtpd warns once, when its process starts, disables TLS and answers 454",
                        postfix -> {
                            for (int client = 0; client < 2; client++) {
                                try (SmtpDialogue d = SmtpDialogue.greeted(postfix.port(Listener.BROKEN_KEY),
                                        Duration.ofSeconds(15))) {
                                    d.command("STARTTLS", "454");
                                    d.command("QUIT", "221");
                                }
                                RealPostfix.sleep(300);
                            }
                        },
                        lines -> lines.stream().filter(l -> l.contains("disconnect from")).count() == 2,
                        List.of("postfix/brokenkey/smtpd[", "cannot get RSA private key from file", "starttls=0/1"),
                        List.of(smtpd("LOCAL_CERTIFICATE_UNUSABLE", null, "cannot get RSA private key"),
                                smtpd("LOCAL_CERTIFICATE_UNUSABLE", null, "cannot get RSA private key"))),

                outbound("smtp-ok-untrusted", ClientRoute.OPPORTUNISTIC,
                        "opportunistic TLS (may) to the TLS 1.2+ listener",
                        List.of("Untrusted TLS connection established to 127.0.0.1" + PEER + ":",
                                "Anonymous TLS connection established from localhost" + PEER + ": TLSv1.3"),
                        smtp("OK", "TLSv1.3", null), smtpd("OK", "TLSv1.3", null)),
                outbound("smtp-ok-verified", ClientRoute.SECURE_VERIFIED,
                        "secure level, trusting our certificate and matching its name",
                        List.of("Verified TLS connection established to 127.0.0.1" + PEER),
                        smtp("OK", "TLSv1.3", null), smtpd("OK", "TLSv1.3", null)),
                outbound("smtp-deprecated-tls1", ClientRoute.TLS1_ONLY_TO_LEGACY,
                        "TLS 1.0-only client to the listener that still accepts it",
                        List.of("TLS connection established to 127.0.0.1" + PEER, ": TLSv1 with cipher",
                                "postfix/legacytls/smtpd["),
                        smtp("DEPRECATED_PROTOCOL", "TLSv1", null), smtpd("DEPRECATED_PROTOCOL", "TLSv1", null)),
                outbound("smtp-version-rejected", ClientRoute.TLS1_ONLY_TO_MODERN,
                        "TLS 1.0-only client (encrypt) to the TLS 1.2+ listener",
                        List.of("SSL_connect error to 127.0.0.1" + PEER, "tlsv1 alert protocol version",
                                "SSL alert number 70", "Cannot start TLS: handshake failure",
                                "SSL routines::unsupported protocol"),
                        smtp("PROTOCOL_VERSION_REJECTED", null, "tlsv1 alert protocol version"),
                        smtpd("PROTOCOL_VERSION_REJECTED", null, "unsupported protocol")),
                outbound("smtp-no-shared-cipher", ClientRoute.OTHER_CIPHER_ONLY,
                        "client (encrypt) offering only " + RealPostfix.CLIENT_ONLY_CIPHER
                                + " to the one-cipher listener",
                        List.of("SSL_connect error to 127.0.0.1" + PEER, "sslv3 alert handshake failure",
                                "SSL alert number 40", "Cannot start TLS: handshake failure",
                                "SSL routines::no shared cipher"),
                        smtp("NO_SHARED_CIPHER", null, "sslv3 alert handshake failure"),
                        smtpd("NO_SHARED_CIPHER", null, "no shared cipher")),
                outbound("smtp-starttls-not-offered", ClientRoute.ENCRYPT_TO_PLAIN,
                        "TLS required (encrypt) towards the listener that offers no STARTTLS",
                        List.of("status=deferred (TLS is required, but was not offered by host 127.0.0.1"
                                + PEER + ")", "postfix/notls/smtpd["),
                        smtp("STARTTLS_NOT_OFFERED", null,
                                "TLS is required, but was not offered by host 127.0.0.1" + PEER)),
                outbound("smtp-starttls-required", ClientRoute.PLAIN_TO_ENCRYPT,
                        "client without TLS (none) to the TLS-required listener; the smtpd side logs only mail=0/1",
                        List.of("530 5.7.0 Must issue a STARTTLS command first (in reply to MAIL FROM command)",
                                "postfix/tlsrequired/smtpd["),
                        smtp("STARTTLS_REQUIRED", null, "530 5.7.0 Must issue a STARTTLS command first")),
                outbound("smtp-cert-untrusted", ClientRoute.VERIFY_UNTRUSTED,
                        "verify level against the self-signed certificate",
                        List.of("certificate verification failed for 127.0.0.1" + PEER,
                                "self-signed certificate", "status=deferred (Server certificate not verified)"),
                        smtp("CERTIFICATE_UNTRUSTED", "TLSv1.3", "self-signed certificate"),
                        smtpd("OK", "TLSv1.3", null)),
                outbound("smtp-cert-name-mismatch", ClientRoute.SECURE_NAME_MISMATCH,
                        "secure level trusting our certificate, whose name is not the next hop 127.0.0.1",
                        List.of("server certificate verification failed for 127.0.0.1" + PEER,
                                "hostname mismatch", "status=deferred (Server certificate not verified)"),
                        smtp("CERTIFICATE_NAME_MISMATCH", "TLSv1.3", "hostname mismatch"),
                        smtpd("OK", "TLSv1.3", null)),
                outbound("smtp-cert-expired", ClientRoute.SECURE_EXPIRED,
                        "secure level trusting the listener's certificate, which expired two years ago",
                        List.of("certificate verification failed for 127.0.0.1" + PEER, "certificate has expired"),
                        smtp("CERTIFICATE_EXPIRED", "TLSv1.3", "certificate has expired"),
                        smtpd("OK", "TLSv1.3", null)),
                outbound("smtp-via-tlsproxy", ClientRoute.REUSED_THROUGH_TLSPROXY,
                        "TLS required with connection reuse: tlsproxy makes the handshake and logs it",
                        List.of("postfix/tlsproxy["),
                        smtp("OK", "TLSv1.3", null), smtpd("OK", "TLSv1.3", null)),
                outbound("smtp-own-key-unusable", ClientRoute.BROKEN_CLIENT_KEY,
                        "TLS required (encrypt) while the client's own private key file is missing",
                        List.of("cannot get RSA private key from file"),
                        smtp("LOCAL_CERTIFICATE_UNUSABLE", null, "cannot get RSA private key")));

    }

    private static PostfixScenario inbound(String name, String description, Consumer<RealPostfix> provoke,
                                           List<String> evidence, ExpectedAttempt expected) {
        return new PostfixScenario(name, description, provoke, contains("disconnect from"), evidence,
                List.of(expected));
    }

    private static PostfixScenario outbound(String name, ClientRoute route, String description,
                                            List<String> evidence, ExpectedAttempt... expected) {
        return new PostfixScenario(name, description, postfix -> postfix.submit(route),
                contains(" status=").and(contains("disconnect from")), evidence, List.of(expected));
    }

    private static Consumer<RealPostfix> handshake(Listener listener, String... options) {
        return postfix -> StartTlsClient.handshake(postfix.port(listener), options);
    }

    /** EHLO and STARTTLS on the TLS 1.2+ listener, then whatever misbehaviour follows, then close. */
    private static Consumer<RealPostfix> startTlsThen(Consumer<SmtpDialogue> misbehave) {
        return postfix -> {
            try (SmtpDialogue d = SmtpDialogue.greeted(postfix.port(Listener.TLS12_ONLY),
                    Duration.ofSeconds(RealPostfix.STARTTLS_TIMEOUT_SECONDS + 10))) {
                d.command("STARTTLS", "220");
                misbehave.accept(d);
            }
        };
    }

    private static Predicate<List<String>> contains(String text) {
        return lines -> lines.stream().anyMatch(l -> l.contains(text));
    }
}
