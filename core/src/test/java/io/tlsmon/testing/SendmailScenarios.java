package io.tlsmon.testing;

import static io.tlsmon.testing.ExpectedAttempt.sendmailIn;
import static io.tlsmon.testing.ExpectedAttempt.sendmailOut;

import io.tlsmon.testing.RealSendmail.ClientRoute;
import io.tlsmon.testing.RealSendmail.Server;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The scenarios run against {@link RealSendmail}, in order. Inbound ones use {@code openssl
 * s_client}, {@code gnutls-cli}, {@code swaks} or a raw {@link SmtpDialogue} against one daemon;
 * outbound ones deliver a message with a route's own sendmail.cf to a daemon (so both sides are
 * logged, both as {@code sendmail}) or to a {@link StartTlsDropper} of the test's own.
 */
public final class SendmailScenarios {
    private static final String PEER = "relay=localhost [127.0.0.1]";
    private static final String SMART_HOST = "relay=[127.0.0.1]";
    /** The server child's last line when the client sent no MAIL (srvrsmtp.c). */
    private static final String NO_MAIL = "did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA";
    private static final String SECLEVEL_0 = "DEFAULT@SECLEVEL=0";

    private SendmailScenarios() {
    }

    public static List<SendmailScenario> all() {
        return List.of(
                inbound("server-ok-tls13", "openssl s_client, TLS 1.3, to the TLS 1.2+ daemon",
                        handshake(Server.MODERN, "-tls1_3"),
                        List.of("STARTTLS=server, " + PEER + ", version=TLSv1.3, verify=NO"),
                        sendmailIn("OK", "TLSv1.3", null)),
                inbound("server-ok-tls12-swaks", "swaks, TLS 1.2, to the TLS 1.2+ daemon",
                        swaks(Server.MODERN, "tlsv1_2"),
                        List.of("STARTTLS=server, " + PEER + ", version=TLSv1.2"),
                        sendmailIn("OK", "TLSv1.2", null)),
                inbound("server-deprecated-tls1", "TLS 1.0 client to the daemon that still accepts it (CipherList "
                                + RealSendmail.SECLEVEL_0 + ")",
                        handshake(Server.LEGACY, "-tls1", "-cipher", SECLEVEL_0),
                        List.of("STARTTLS=server, " + PEER + ", version=TLSv1, verify=NO"),
                        sendmailIn("DEPRECATED_PROTOCOL", "TLSv1", null)),
                inbound("server-deprecated-tls11", "TLS 1.1 client to the daemon that still accepts it",
                        handshake(Server.LEGACY, "-tls1_1", "-cipher", SECLEVEL_0),
                        List.of("STARTTLS=server, " + PEER + ", version=TLSv1.1"),
                        sendmailIn("DEPRECATED_PROTOCOL", "TLSv1.1", null)),
                inbound("server-version-rejected-tls1", "TLS 1.0-only client to the TLS 1.2+ daemon",
                        handshake(Server.MODERN, "-tls1", "-cipher", SECLEVEL_0),
                        List.of("STARTTLS=server, error: accept failed=-1, reason=unsupported protocol, SSL_error=1",
                                "STARTTLS=server: error:0A000102:SSL routines::unsupported protocol", NO_MAIL),
                        sendmailIn("PROTOCOL_VERSION_REJECTED", null, "unsupported protocol")),
                inbound("server-version-rejected-gnutls-tls11", "gnutls-cli offering only TLS 1.1 to the TLS 1.2+ daemon",
                        gnutls(Server.MODERN, "NORMAL:-VERS-ALL:+VERS-TLS1.1"),
                        List.of("STARTTLS=server, error: accept failed=-1, reason=unsupported protocol"),
                        sendmailIn("PROTOCOL_VERSION_REJECTED", null, "unsupported protocol")),
                inbound("server-no-shared-cipher", "TLS 1.2 client offering only " + RealSendmail.CLIENT_ONLY_CIPHER
                                + " to the one-cipher daemon",
                        handshake(Server.ONE_CIPHER, "-tls1_2", "-cipher", RealSendmail.CLIENT_ONLY_CIPHER),
                        List.of("STARTTLS=server, error: accept failed=-1, reason=no shared cipher",
                                "SSL routines::no shared cipher"),
                        sendmailIn("NO_SHARED_CIPHER", null, "no shared cipher")),
                inbound("server-dropped-after-starttls", "client closes the socket right after 220 to STARTTLS",
                        startTlsThen(d -> { }),
                        List.of("STARTTLS=server, error: accept failed=-1, reason=unexpected eof while reading"),
                        sendmailIn("CONNECTION_DROPPED", null, "unexpected eof while reading")),
                inbound("server-reset-mid-handshake", "client sends a real ClientHello, then resets the connection",
                        startTlsThen(d -> {
                            d.sendClientHello();
                            d.resetAfterServerReplies();
                        }),
                        List.of("STARTTLS=server, error: accept failed=-1, reason=unknown, SSL_error=5"),
                        sendmailIn("CONNECTION_DROPPED", null, "reason=unknown, SSL_error=5")),
                inbound("server-handshake-timeout", "client stays silent after STARTTLS until Timeout.starttls ("
                                + RealSendmail.STARTTLS_TIMEOUT_SECONDS + "s)",
                        startTlsThen(SmtpDialogue::awaitServerClose),
                        List.of("STARTTLS=server, error: accept failed=", "retry=0"),
                        sendmailIn("HANDSHAKE_TIMEOUT", null, "retry=0")),
                inbound("server-http-after-starttls", "client sends an HTTP request where the ClientHello belongs",
                        startTlsThen(d -> {
                            d.send("GET / HTTP/1.0\r\nHost: mx.tlsmon.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                            d.awaitServerClose();
                        }),
                        List.of("STARTTLS=server, error: accept failed=-1, reason=http request"),
                        sendmailIn("WRONG_PORT_OR_PROTOCOL", null, "http request")),
                inbound("server-plaintext-after-starttls", "client goes on in plaintext SMTP after 220 to STARTTLS",
                        startTlsThen(d -> {
                            d.send("MAIL FROM:<probe@client.tlsmon.test>\r\n".getBytes(StandardCharsets.US_ASCII));
                            d.awaitServerClose();
                        }),
                        List.of("STARTTLS=server, error: accept failed=-1, reason=wrong version number"),
                        sendmailIn("WRONG_PORT_OR_PROTOCOL", null, "wrong version number")),
                new SendmailScenario("server-starttls-required",
                        "MAIL FROM without STARTTLS to the daemon whose access map says TLS_Clt:127.0.0.1 ENCR:128",
                        sm -> {
                            try (SmtpDialogue d = SmtpDialogue.greeted(sm.port(Server.REQUIRES_TLS), Duration.ofSeconds(15))) {
                                d.command("MAIL FROM:<probe@client.tlsmon.test>", "454");
                                d.command("QUIT", "221");
                            }
                        },
                        contains("from=<probe@client.tlsmon.test>"),
                        List.of("ruleset=check_mail, arg1=<probe@client.tlsmon.test>, " + PEER
                                + ", reject=454 4.7.0 encryption too weak 0 less than 128"),
                        List.of(sendmailIn("STARTTLS_REQUIRED", null, "encryption too weak 0 less than 128"))),
                new SendmailScenario("server-key-unsafe",
                        "the daemon whose own key file is group-readable starts; it still offers STARTTLS, and answers it with 454",
                        sm -> {
                            sm.startDaemon(Server.UNSAFE_KEY);
                            try (SmtpDialogue d = SmtpDialogue.greeted(sm.port(Server.UNSAFE_KEY), Duration.ofSeconds(15))) {
                                d.command("STARTTLS", "454 4.3.3 TLS not available after start");
                                d.command("QUIT", "221");
                            }
                        },
                        contains(NO_MAIL),
                        List.of("STARTTLS=server: file ", "unsafe.key unsafe: Group readable file"),
                        List.of(sendmailIn("LOCAL_CERTIFICATE_UNUSABLE", null, "unsafe: Group readable file"))),

                outbound("client-ok-untrusted", ClientRoute.OPPORTUNISTIC,
                        "opportunistic delivery to the TLS 1.2+ daemon; the client does not trust its CA (verify=FAIL, not required)",
                        List.of("STARTTLS=client, " + SMART_HOST + ", version=TLSv1.3, verify=FAIL",
                                "verifymsg=self-signed certificate in certificate chain", "stat=Sent"),
                        sendmailOut("OK", "TLSv1.3", null), sendmailIn("OK", "TLSv1.3", null)),
                outbound("client-ok-verified", ClientRoute.VERIFIED,
                        "delivery requiring verification (TLS_Srv:127.0.0.1 VERIFY), trusting our CA",
                        List.of("STARTTLS=client, " + SMART_HOST + ", version=TLSv1.3, verify=OK", "stat=Sent"),
                        sendmailOut("OK", "TLSv1.3", null), sendmailIn("OK", "TLSv1.3", null)),
                outbound("client-deprecated-tls1", ClientRoute.TLS1_TO_LEGACY,
                        "TLS 1.0-only client (ClientSSLOptions, CipherList " + RealSendmail.SECLEVEL_0
                                + ") to the daemon that still accepts it",
                        List.of("STARTTLS=client, " + SMART_HOST + ", version=TLSv1, verify=FAIL",
                                "STARTTLS=server, " + PEER + ", version=TLSv1,"),
                        sendmailOut("DEPRECATED_PROTOCOL", "TLSv1", null), sendmailIn("DEPRECATED_PROTOCOL", "TLSv1", null)),
                outbound("client-version-rejected", ClientRoute.TLS1_TO_MODERN,
                        "TLS 1.0-only client to the TLS 1.2+ daemon",
                        List.of("STARTTLS=client, error: connect failed=-1, reason=tlsv1 alert protocol version",
                                "SSL alert number 70", "ruleset=tls_server, arg1=SOFTWARE",
                                "stat=Deferred: 454 4.7.0 TLS handshake failed.",
                                "STARTTLS=server, error: accept failed=-1, reason=unsupported protocol"),
                        sendmailOut("PROTOCOL_VERSION_REJECTED", null, "tlsv1 alert protocol version"),
                        sendmailIn("PROTOCOL_VERSION_REJECTED", null, "unsupported protocol")),
                outbound("client-no-shared-cipher", ClientRoute.OTHER_CIPHER_ONLY,
                        "client offering only " + RealSendmail.CLIENT_ONLY_CIPHER + " to the one-cipher daemon",
                        List.of("STARTTLS=client, error: connect failed=-1, reason=sslv3 alert handshake failure",
                                "SSL alert number 40", "reason=no shared cipher"),
                        sendmailOut("NO_SHARED_CIPHER", null, "sslv3 alert handshake failure"),
                        sendmailIn("NO_SHARED_CIPHER", null, "no shared cipher")),
                outbound("client-starttls-not-offered", ClientRoute.ENCRYPT_TO_PLAIN,
                        "client requiring encryption (TLS_Srv:127.0.0.1 ENCR:128) to the daemon without STARTTLS",
                        List.of("ruleset=tls_server, arg1=NONE, " + SMART_HOST
                                + ", reject=454 4.7.0 encryption too weak 0 less than 128", NO_MAIL),
                        sendmailOut("STARTTLS_NOT_OFFERED", null, "encryption too weak 0 less than 128")),
                outbound("client-plaintext-to-required", ClientRoute.PLAIN_TO_REQUIRED,
                        "client that does not try TLS (Try_TLS:127.0.0.1 NO) to the daemon that requires it",
                        List.of("ruleset=try_tls, arg1=[127.0.0.1]",
                                "reply=454 4.7.0 encryption too weak 0 less than 128, stat=Deferred",
                                "ruleset=check_mail, arg1=<probe@client.tlsmon.test>"),
                        sendmailOut("STARTTLS_REQUIRED", null, "encryption too weak 0 less than 128"),
                        sendmailIn("STARTTLS_REQUIRED", null, "encryption too weak 0 less than 128")),
                outbound("client-cert-untrusted", ClientRoute.VERIFY_UNTRUSTED,
                        "client requiring verification (TLS_Srv:127.0.0.1 VERIFY) of a certificate from a CA it does not trust",
                        List.of("verify=FAIL", "verifymsg=self-signed certificate in certificate chain",
                                "ruleset=tls_server, arg1=FAIL, " + SMART_HOST + ", reject=454 4.7.0 authentication failed"),
                        sendmailOut("CERTIFICATE_UNTRUSTED", "TLSv1.3", "self-signed certificate in certificate chain"),
                        sendmailIn("OK", "TLSv1.3", null)),
                outbound("client-cert-expired", ClientRoute.VERIFY_EXPIRED,
                        "client requiring verification, trusting our CA, of the daemon's expired certificate",
                        List.of("verify=FAIL", "verifymsg=certificate has expired",
                                "ruleset=tls_server, arg1=FAIL, " + SMART_HOST + ", reject=454 4.7.0 authentication failed"),
                        sendmailOut("CERTIFICATE_EXPIRED", "TLSv1.3", "certificate has expired"),
                        sendmailIn("OK", "TLSv1.3", null)),
                outbound("client-cert-name-mismatch", ClientRoute.NAME_MISMATCH,
                        "client requiring VERIFY+CN:" + RealSendmail.OTHER_NAME + " of the daemon's verified certificate",
                        List.of("verify=OK", "ruleset=tls_server, arg1=OK, " + SMART_HOST
                                + ", reject=454 4.7.0 CN mx.tlsmon.test does not match " + RealSendmail.OTHER_NAME),
                        sendmailOut("CERTIFICATE_NAME_MISMATCH", "TLSv1.3", "CN mx.tlsmon.test does not match"),
                        sendmailIn("OK", "TLSv1.3", null)),
                clientOnly("client-dropped-mid-handshake", ClientRoute.DROPPED,
                        "delivery to a listener of the test's own that takes the ClientHello and closes",
                        List.of("STARTTLS=client, error: connect failed=-1, reason=unexpected eof while reading",
                                "ruleset=tls_server, arg1=SOFTWARE"),
                        sendmailOut("CONNECTION_DROPPED", null, "unexpected eof while reading")),
                clientOnly("client-handshake-timeout", ClientRoute.TIMED_OUT,
                        "delivery to a listener of the test's own that takes the ClientHello and answers nothing",
                        List.of("STARTTLS=client, error: connect failed=-1, reason=unknown", "retry=0"),
                        sendmailOut("HANDSHAKE_TIMEOUT", null, "retry=0")));
    }

    private static SendmailScenario inbound(String name, String description, Consumer<RealSendmail> provoke,
                                            List<String> evidence, ExpectedAttempt expected) {
        return new SendmailScenario(name, description, provoke,
                contains(NO_MAIL).or(contains("proto=ESMTPS")).or(contains("lost input channel")),
                evidence, List.of(expected));
    }

    /** Both sides are daemons of ours: done when the client logged its result and the server child its end. */
    private static SendmailScenario outbound(String name, ClientRoute route, String description,
                                             List<String> evidence, ExpectedAttempt... expected) {
        return new SendmailScenario(name, description, sm -> sm.deliver(route),
                contains(" stat=").and(contains(NO_MAIL).or(contains("proto=ESMTP"))), evidence, List.of(expected));
    }

    private static SendmailScenario clientOnly(String name, ClientRoute route, String description,
                                               List<String> evidence, ExpectedAttempt expected) {
        return new SendmailScenario(name, description, sm -> sm.deliver(route), contains(" stat="), evidence,
                List.of(expected));
    }

    private static Consumer<RealSendmail> handshake(Server server, String... options) {
        return sm -> StartTlsClient.handshake(sm.port(server), options);
    }

    private static Consumer<RealSendmail> swaks(Server server, String protocol) {
        return sm -> Commands.run(Duration.ofSeconds(20), "/usr/bin/swaks", "--server",
                RealSendmail.LOOPBACK + ":" + sm.port(server), "--tls", "--tls-protocol", protocol,
                "--ehlo", SmtpDialogue.EHLO_NAME, "--quit-after", "TLS");
    }

    private static Consumer<RealSendmail> gnutls(Server server, String priority) {
        return sm -> {
            List<String> command = new ArrayList<>(List.of("/usr/bin/gnutls-cli", "--starttls-proto=smtp",
                    "--insecure", "--priority", priority, "--port", Integer.toString(sm.port(server)),
                    RealSendmail.LOOPBACK));
            Commands.run(Duration.ofSeconds(20), "QUIT\r\n", command);
        };
    }

    /** EHLO and STARTTLS on the TLS 1.2+ daemon, then whatever misbehaviour follows, then close. */
    private static Consumer<RealSendmail> startTlsThen(Consumer<SmtpDialogue> misbehave) {
        return sm -> {
            try (SmtpDialogue d = SmtpDialogue.greeted(sm.port(Server.MODERN),
                    Duration.ofSeconds(RealSendmail.STARTTLS_TIMEOUT_SECONDS + 10))) {
                d.command("STARTTLS", "220");
                misbehave.accept(d);
            }
        };
    }

    private static Predicate<List<String>> contains(String text) {
        return lines -> lines.stream().anyMatch(l -> l.contains(text));
    }
}
