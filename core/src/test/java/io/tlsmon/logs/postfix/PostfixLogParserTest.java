package io.tlsmon.logs.postfix;

import io.tlsmon.avro.PolicyType;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PostfixLogParserTest {
    private static final String ENV = "Mar  1 10:00:00 mx1 ";
    private static final StreamInfo STREAM = new StreamInfo(null, "test.log", ZoneOffset.UTC,
            Instant.parse("2024-06-15T00:00:00Z").toEpochMilli());

    private static ParseResult parse(String line) {
        return new PostfixLogParser(STREAM).parse(line, 7);
    }

    /** line, kind, event, remoteHost, remoteIp, port, tlsVersion, cipher, error, opens, closes */
    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("postfix/smtpd[11]: connect from mail.example.net[198.51.100.1]",
                        SourceKind.POSTFIX_SMTPD, LineEvent.CONNECT, "mail.example.net", "198.51.100.1", -1, null, null, null, true, false),
                Arguments.of("postfix/smtpd[11]: connect from unknown[198.51.100.1]:52144",
                        SourceKind.POSTFIX_SMTPD, LineEvent.CONNECT, null, "198.51.100.1", 52144, null, null, null, true, false),
                Arguments.of("postfix/smtpd[11]: disconnect from a.example[2001:db8::1] ehlo=1 starttls=0/1 commands=1/2",
                        SourceKind.POSTFIX_SMTPD, LineEvent.DISCONNECT, "a.example", "2001:db8::1", -1, null, null, null, false, true),
                Arguments.of("postfix/submission/smtpd[11]: Anonymous TLS connection established from a.example[198.51.100.1]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
                        SourceKind.POSTFIX_SMTPD, LineEvent.TLS_ESTABLISHED, "a.example", "198.51.100.1", -1, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", null, false, false),
                Arguments.of("postfix-in/smtpd[11]: Verified TLS connection established from a.example[198.51.100.1]: TLSv1 with cipher AES256-SHA (256/256 bits)",
                        SourceKind.POSTFIX_SMTPD, LineEvent.TLS_ESTABLISHED, "a.example", "198.51.100.1", -1, "TLSv1", "AES256-SHA", null, false, false),
                Arguments.of("postfix/smtpd[11]: SSL_accept error from unknown[72.13.58.7]: 0",
                        SourceKind.POSTFIX_SMTPD, LineEvent.TLS_FAILED, null, "72.13.58.7", -1, null, null, "0", false, false),
                Arguments.of("postfix/smtpd[11]: SSL_accept error from unknown[72.13.58.7]: Connection timed out",
                        SourceKind.POSTFIX_SMTPD, LineEvent.TLS_FAILED, null, "72.13.58.7", -1, null, null, "Connection timed out", false, false),
                Arguments.of("postfix/smtpd[11]: warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:ssl/statem/statem_srvr.c:2220:",
                        SourceKind.POSTFIX_SMTPD, LineEvent.TLS_FAILED, null, null, -1, null, null,
                        "error:0A0000C1:SSL routines::no shared cipher:ssl/statem/statem_srvr.c:2220:", false, false),
                Arguments.of("postfix/smtpd[11]: lost connection after STARTTLS from x.example[192.0.2.1]",
                        SourceKind.POSTFIX_SMTPD, LineEvent.TLS_FAILED, "x.example", "192.0.2.1", -1, null, null, "lost connection after STARTTLS", false, false),
                Arguments.of("postfix/smtpd[11]: timeout after STARTTLS from x.example[192.0.2.1]",
                        SourceKind.POSTFIX_SMTPD, LineEvent.TLS_FAILED, "x.example", "192.0.2.1", -1, null, null, "timeout after STARTTLS", false, false),
                Arguments.of("postfix/smtpd[11]: warning: cannot get RSA certificate from file \"/etc/c.pem\": disabling TLS support",
                        SourceKind.POSTFIX_SMTPD, LineEvent.PROCESS_TLS_PROBLEM, null, null, -1, null, null,
                        "cannot get RSA certificate from file \"/etc/c.pem\": disabling TLS support", false, false),
                Arguments.of("postfix/smtpd[11]: NOQUEUE: reject: MAIL from unknown[192.0.2.9]: 530 5.7.0 Must issue a STARTTLS command first; proto=ESMTP helo=<x>",
                        SourceKind.POSTFIX_SMTPD, LineEvent.STARTTLS_REQUIRED, null, "192.0.2.9", -1, null, null,
                        "530 5.7.0 Must issue a STARTTLS command first", false, false),
                Arguments.of("postfix/smtp[22]: Untrusted TLS connection established to mx4.hotmail.com[65.55.92.136]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-SHA384 (256/256 bits)",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_ESTABLISHED, "mx4.hotmail.com", "65.55.92.136", 25, "TLSv1.2", "ECDHE-RSA-AES256-SHA384", null, true, false),
                Arguments.of("postfix/smtp[22]: Verified TLS connection established to mail.sys4.de[2001:1578:400:111::7]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_ESTABLISHED, "mail.sys4.de", "2001:1578:400:111::7", 25, "TLSv1.3", "TLS_AES_256_GCM_SHA384", null, true, false),
                Arguments.of("postfix/smtp[22]: SSL_connect error to mail.example.org[112.63.65.2]:25: lost connection",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, "mail.example.org", "112.63.65.2", 25, null, null, "lost connection", true, false),
                Arguments.of("postfix/smtp[22]: B97C42542CE: Cannot start TLS: handshake failure",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, null, null, -1, null, null, "Cannot start TLS: handshake failure", false, false),
                Arguments.of("postfix/smtp[22]: warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed:ssl/statem/statem_clnt.c:1889:",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, null, null, -1, null, null,
                        "error:0A000086:SSL routines::certificate verify failed:ssl/statem/statem_clnt.c:1889:", false, false),
                Arguments.of("postfix/smtp[22]: Host offered STARTTLS: [mx.example.net]",
                        SourceKind.POSTFIX_SMTP, LineEvent.CAPABILITIES, "mx.example.net", null, -1, null, null, null, true, false),
                Arguments.of("postfix/smtp[22]: 7EE668039: to=<u@example.com>, relay=mail.example.com[1.2.3.4]:25, delay=3.6, delays=0.08/0.02/0.85/0.14, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 153053D)",
                        SourceKind.POSTFIX_SMTP, LineEvent.DELIVERY, "mail.example.com", "1.2.3.4", 25, null, null, null, false, true),
                Arguments.of("postfix/smtp[22]: 7EE668039: to=<u@example.com>, relay=mx.plain.example[192.0.2.5]:25, delay=1, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host mx.plain.example[192.0.2.5])",
                        SourceKind.POSTFIX_SMTP, LineEvent.STARTTLS_NOT_OFFERED, "mx.plain.example", "192.0.2.5", 25, null, null,
                        "TLS is required, but was not offered by host mx.plain.example[192.0.2.5]", false, true),
                Arguments.of("postfix/smtp[22]: 7EE668039: to=<u@example.com>, relay=s.example[192.0.2.6]:587, delay=1, dsn=4.7.3, status=deferred (host s.example[192.0.2.6] said: 451 5.7.3 Must issue a STARTTLS command first (in reply to MAIL FROM command))",
                        SourceKind.POSTFIX_SMTP, LineEvent.STARTTLS_REQUIRED, "s.example", "192.0.2.6", 587, null, null,
                        "host s.example[192.0.2.6] said: 451 5.7.3 Must issue a STARTTLS command first (in reply to MAIL FROM command)", false, true),
                Arguments.of("postfix/smtp[22]: 7EE668039: to=<u@example.com>, relay=m.example[192.0.2.7]:25, delay=1, dsn=4.7.5, status=deferred (Server certificate not verified)",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, "m.example", "192.0.2.7", 25, null, null, "Server certificate not verified", false, true),
                Arguments.of("postfix/smtp[22]: 7EE668039: to=<u@example.com>, relay=m.example[192.0.2.7]:25, delay=1, dsn=4.4.2, status=deferred (lost connection with m.example[192.0.2.7] while performing the TLS handshake)",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, "m.example", "192.0.2.7", 25, null, null,
                        "lost connection with m.example[192.0.2.7] while performing the TLS handshake", false, true),
                Arguments.of("postfix/smtp[22]: 7EE668039: to=<u@example.com>, relay=none, delay=1, dsn=4.7.5, status=deferred (TLSA lookup error for mx.example.org:25)",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, null, null, -1, null, null, "TLSA lookup error for mx.example.org:25", false, true),
                Arguments.of("postfix/smtp[22]: warning: TLSA lookup error for mx.example.org:25",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, null, null, -1, null, null, "TLSA lookup error for mx.example.org:25", false, false),
                Arguments.of("postfix/smtp[22]: 7EE668039: to=<u@example.com>, relay=mail.example.com[1.2.3.4]:25, delay=3.6, delays=0.08/0.02/0.85/0.14, tls=dane/!requiretls:nocertmatch, dsn=2.1.5, status=sent (250 2.0.0 Ok)",
                        SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, "mail.example.com", "1.2.3.4", 25, null, null, "tls=dane/!requiretls:nocertmatch", false, true));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void readsTheTlsLines(String message, SourceKind kind, LineEvent event, String host, String ip, int port,
                          String version, String cipher, String error, boolean opens, boolean closes) {
        ParseResult r = parse(ENV + message);
        assertThat(r.isLine()).as(r.toString()).isTrue();
        ParsedLine l = r.line();
        assertThat(l.kind()).isEqualTo(kind);
        assertThat(l.event()).isEqualTo(event);
        assertThat(l.remoteHost()).isEqualTo(host);
        assertThat(l.remoteIp()).isEqualTo(ip);
        assertThat(l.remotePort()).isEqualTo(port);
        assertThat(l.tlsVersion()).isEqualTo(version);
        assertThat(l.cipher()).isEqualTo(cipher);
        assertThat(l.error()).isEqualTo(error);
        assertThat(l.opensSession()).as("opens").isEqualTo(opens);
        assertThat(l.closesSession()).as("closes").isEqualTo(closes);
        assertThat(l.server()).isEqualTo("mx1");
        assertThat(l.lineNumber()).isEqualTo(7);
        assertThat(l.source()).isEqualTo("test.log");
        assertThat(l.time()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z").toEpochMilli());
    }

    static Stream<String> ignored() {
        return Stream.of(
                "postfix/qmgr[1]: 4Q2: from=<a@b>, size=1, nrcpt=1 (queue active)",
                "postfix/lmtp[1]: 4Q2: to=<a@b>, relay=private/dovecot-lmtp, delay=0, status=sent (250 ok)",
                "postfix/tlsproxy[1]: CONNECT from [82.118.17.142]:51637",
                "dovecot: imap-login: Login: user=<x>",
                "sendmail[1]: STARTTLS=client, relay=x., version=TLSv1.2, verify=OK, cipher=A, bits=1/1",
                "postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[1.2.3.4]: 554 5.7.1 Relay access denied",
                "postfix/smtpd[1]: setting up TLS connection from localhost[127.0.0.1]",
                "postfix/smtp[1]: connect to mx.example[192.0.2.1]:25: Connection refused",
                "last message repeated 3 times");
    }

    @ParameterizedTest
    @MethodSource("ignored")
    void ignoresWhatSaysNothingAboutTls(String message) {
        assertThat(parse(ENV + message).isIgnored()).isTrue();
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        assertThat(parse("# composed fixture").isIgnored()).isTrue();
        assertThat(parse("").isIgnored()).isTrue();
        assertThat(parse("   ").isIgnored()).isTrue();
    }

    @Test
    void aMalformedEnvelopeIsAnErrorWithItsReason() {
        ParseResult r = parse("postfix/smtpd[3319640]: lost connection after STARTTLS from x[1.2.3.4]");
        assertThat(r.isError()).isTrue();
        assertThat(r.error()).startsWith("not a syslog line: ");
    }

    @Test
    void sessionIdIsProgramAndPidAndTheHostTheLineNamesWins() {
        // a central syslog server ships the lines of many MTAs: each line names its own
        PostfixLogParser p = new PostfixLogParser(new StreamInfo("syslog-collector", "s", ZoneOffset.UTC, 0));
        ParsedLine l = p.parse("2024-03-01T10:00:00Z mx1 postfix/submission/smtpd[77]: connect from a[192.0.2.1]", 1).line();
        assertThat(l.sessionId()).isEqualTo("postfix/submission/smtpd[77]");
        assertThat(l.connector()).isEqualTo("postfix/submission/smtpd");
        assertThat(l.server()).isEqualTo("mx1");
        assertThat(l.outbound()).isFalse();
    }

    @Test
    void aHandshakeAfterTheOfferStaysInTheSessionTheOfferOpened() {
        PostfixLogParser p = new PostfixLogParser(STREAM);
        ParsedLine offer = p.parse(ENV + "postfix/smtp[5]: Host offered STARTTLS: [mx.example.net]", 1).line();
        ParsedLine tls = p.parse(ENV + "postfix/smtp[5]: Untrusted TLS connection established to mx.example.net[192.0.2.4]:25: TLSv1.2 with cipher A (1/1 bits)", 2).line();
        ParsedLine done = p.parse(ENV + "postfix/smtp[5]: 4Q2dN10AbCz9sZa: to=<a@b>, relay=mx.example.net[192.0.2.4]:25, delay=1, status=sent (250 ok)", 3).line();
        ParsedLine next = p.parse(ENV + "postfix/smtp[5]: Untrusted TLS connection established to mx.example.net[192.0.2.4]:25: TLSv1.2 with cipher A (1/1 bits)", 4).line();
        assertThat(offer.opensSession()).isTrue();
        assertThat(offer.starttlsOffered()).isTrue();
        assertThat(tls.opensSession()).isFalse();
        assertThat(done.closesSession()).isTrue();
        assertThat(next.opensSession()).as("a new connection after the delivery").isTrue();
        assertThat(tls.outbound()).isTrue();
    }

    @Test
    void aHandshakeToAnotherPeerOpensANewSession() {
        PostfixLogParser p = new PostfixLogParser(STREAM);
        assertThat(p.parse(ENV + "postfix/smtp[5]: SSL_connect error to mx1.example[192.0.2.4]:25: -1", 1).line().opensSession()).isTrue();
        assertThat(p.parse(ENV + "postfix/smtp[5]: SSL_connect error to mx2.example[192.0.2.5]:25: -1", 2).line().opensSession()).isTrue();
    }

    @Test
    void deliveryKeepsStatusTextAndTlsFeature() {
        ParsedLine l = parse(ENV + "postfix/smtp[22]: 7EE668039: to=<u@example.com>, relay=m.example[1.2.3.4]:25, delay=3.6, tls=may:none, dsn=2.0.0, status=sent (250 2.0.0 Ok (id 5))").line();
        assertThat(l.event()).isEqualTo(LineEvent.DELIVERY);
        assertThat(l.detail()).isEqualTo("status=sent (250 2.0.0 Ok (id 5)), tls=may:none");
    }

    @Test
    void deliveryNamesTheRecipientDomainAndTheDanePolicyItsTlsFeatureShows() {
        String status = ENV + "postfix/smtp[22]: 7EE668039: to=<U@Example.COM>, relay=m.example[1.2.3.4]:25, delay=3.6, tls=%s, dsn=2.0.0, status=sent (250 ok)";
        ParsedLine dane = parse(String.format(status, "dane/!requiretls:nocertmatch")).line();
        assertThat(dane.policyDomain()).isEqualTo("example.com");
        assertThat(dane.policyType()).isEqualTo(PolicyType.TLSA);
        ParsedLine may = parse(String.format(status, "may:none")).line();
        assertThat(may.policyDomain()).isEqualTo("example.com");
        assertThat(may.policyType()).as("may, encrypt, verify, secure are the sender's own levels").isNull();
        ParsedLine tlsa = parse(ENV + "postfix/smtp[22]: 7EE668039: to=<u@example.org>, relay=none, delay=1, dsn=4.7.5, status=deferred (TLSA lookup error for mx.example.org:25)").line();
        assertThat(tlsa.policyType()).isEqualTo(PolicyType.TLSA);
        assertThat(parse(ENV + "postfix/smtp[22]: warning: TLSA lookup error for mx.example.org:25").line().policyType()).isEqualTo(PolicyType.TLSA);
        assertThat(parse(ENV + "postfix/smtpd[11]: disconnect from a.example[198.51.100.1] ehlo=1 commands=1").line().policyDomain()).isNull();
    }

    @Test
    void disconnectKeepsTheCommandCounts() {
        ParsedLine l = parse(ENV + "postfix/smtpd[11]: disconnect from a.example[198.51.100.1] ehlo=1 starttls=0/1 commands=1/2").line();
        assertThat(l.detail()).isEqualTo("ehlo=1 starttls=0/1 commands=1/2");
    }

    private static final String DROPPED = "postfix/smtp[9]: 4Q2dP10AbCz9sZb: to=<%s@drops.example>, relay=mx.drops.example[192.0.2.7]:25, delay=0.3, delays=0.1/0/0.2/0, dsn=4.7.5, status=deferred (lost connection with mx.drops.example[192.0.2.7] while performing the TLS handshake)";

    @Test
    void furtherRecipientsOfAFailedDeliveryAreIgnored() {
        PostfixLogParser p = new PostfixLogParser(STREAM);
        assertThat(p.parse(ENV + "postfix/smtp[9]: SSL_connect error to mx.drops.example[192.0.2.7]:25: lost connection", 1).line().opensSession()).isTrue();
        ParseResult first = p.parse(ENV + DROPPED.formatted("a"), 2);
        assertThat(first.line().closesSession()).isTrue();
        assertThat(first.line().event()).isEqualTo(LineEvent.TLS_FAILED);
        assertThat(p.parse(ENV + DROPPED.formatted("b"), 3).isIgnored()).isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("c").replace("delay=0.3", "delay=0.4"), 4).isIgnored())
                .as("delays differ per recipient").isTrue();
    }

    @Test
    void furtherRecipientsOfAFailureWithoutTlsLinesAreIgnored() {
        PostfixLogParser p = new PostfixLogParser(STREAM);
        String notOffered = "postfix/smtp[9]: 4Q2dP20AbCz9sZc: to=<%s@plain.example>, relay=mx.plain.example[192.0.2.8]:25, delay=1, dsn=4.7.4, status=deferred (TLS is required, but was not offered by host mx.plain.example[192.0.2.8])";
        assertThat(p.parse(ENV + notOffered.formatted("a"), 1).line().event()).isEqualTo(LineEvent.STARTTLS_NOT_OFFERED);
        assertThat(p.parse(ENV + notOffered.formatted("b"), 2).isIgnored()).isTrue();
    }

    @Test
    void anotherQueueIdRelayTextOrProcessIsAnotherDelivery() {
        PostfixLogParser p = new PostfixLogParser(STREAM);
        assertThat(p.parse(ENV + DROPPED.formatted("a"), 1).isLine()).isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("b").replace("4Q2dP10AbCz9sZb", "4Q2dP30AbCz9sZd"), 2).isLine())
                .as("another queue id").isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("c").replace("4Q2dP10AbCz9sZb", "4Q2dP30AbCz9sZd").replace("relay=mx.drops.example", "relay=mx2.drops.example"), 3).isLine())
                .as("another relay").isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("d").replace("4Q2dP10AbCz9sZb", "4Q2dP30AbCz9sZd").replace("relay=mx.drops.example", "relay=mx2.drops.example").replace("lost connection", "conversation"), 4).isLine())
                .as("another text").isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("d").replace("4Q2dP10AbCz9sZb", "4Q2dP30AbCz9sZd").replace("relay=mx.drops.example", "relay=mx2.drops.example").replace("lost connection", "conversation").replace("dsn=", "tls=dane, dsn="), 5).isLine())
                .as("another tls feature").isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("e").replace("smtp[9]", "smtp[10]"), 5).isLine())
                .as("another process").isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("f").replace("smtp[9]", "smtp[10]"), 6).isIgnored())
                .as("that process's second recipient").isTrue();
    }

    @Test
    void aNewTlsLineOfTheProcessStartsAfresh() {
        PostfixLogParser p = new PostfixLogParser(STREAM);
        assertThat(p.parse(ENV + DROPPED.formatted("a"), 1).isLine()).isTrue();
        assertThat(p.parse(ENV + "postfix/smtp[9]: SSL_connect error to mx.drops.example[192.0.2.7]:25: lost connection", 2).line().opensSession()).isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("a"), 3).line().closesSession()).as("the retry's status").isTrue();
        assertThat(p.parse(ENV + "postfix/smtp[9]: connect to mx.drops.example[192.0.2.7]:25: Connection refused", 4).isIgnored()).isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("b"), 5).isIgnored()).as("a line saying nothing about TLS keeps the delivery").isTrue();
    }

    @Test
    void theSameDeliveryMuchLaterIsARetry() {
        PostfixLogParser p = new PostfixLogParser(STREAM);
        assertThat(p.parse(ENV + DROPPED.formatted("a"), 1).isLine()).isTrue();
        assertThat(p.parse("Mar  1 10:05:00 mx1 " + DROPPED.formatted("a"), 2).isLine()).isTrue();
    }

    @Test
    void rememberedDeliveriesAreBoundedPerProcess() {
        PostfixLogParser p = new PostfixLogParser(STREAM);
        assertThat(p.parse(ENV + DROPPED.formatted("a"), 1).isLine()).isTrue();
        for (int pid = 100; pid < 10_100; pid++) {
            p.parse(ENV + DROPPED.formatted("a").replace("smtp[9]", "smtp[" + pid + "]"), pid);
        }
        assertThat(p.parse(ENV + DROPPED.formatted("b"), 20_000).isLine()).as("the least recently used process was forgotten").isTrue();
        assertThat(p.parse(ENV + DROPPED.formatted("b").replace("smtp[9]", "smtp[10099]"), 20_001).isIgnored()).isTrue();
    }
}
