package io.tlsmon.logs.sendmail;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SendmailLogParserTest {
    private static final String ENV = "Mar  4 04:36:08 bob ";
    private static final StreamInfo STREAM = new StreamInfo(null, "maillog", ZoneOffset.UTC,
            Instant.parse("2024-06-15T00:00:00Z").toEpochMilli());

    /** line, event, outbound, host, ip, version, cipher, error, detail, opens, closes */
    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("sendmail[23834]: STARTTLS=client, relay=mx.remotefoo.com., version=TLSv1/SSLv3, verify=FAIL, cipher=AES128-SHA, bits=128/128",
                        LineEvent.TLS_ESTABLISHED, true, "mx.remotefoo.com", null, null, "AES128-SHA", null, "verify=FAIL, version=TLSv1/SSLv3", true, false),
                Arguments.of("sm-mta[5002]: STARTTLS=server, relay=mail.example.net [198.51.100.70], version=TLSv1.3, verify=NO, cipher=TLS_AES_256_GCM_SHA384, bits=256/256",
                        LineEvent.TLS_ESTABLISHED, false, "mail.example.net", "198.51.100.70", "TLSv1.3", "TLS_AES_256_GCM_SHA384", null, "verify=NO", true, false),
                Arguments.of("sm-mta[5003]: STARTTLS=server, relay=[198.51.100.71] (may be forged), version=TLSv1.1, verify=NO, cipher=ECDHE-RSA-AES128-SHA, bits=128/128",
                        LineEvent.TLS_ESTABLISHED, false, null, "198.51.100.71", "TLSv1.1", "ECDHE-RSA-AES128-SHA", null, "verify=NO", true, false),
                Arguments.of("sm-mta[5005]: STARTTLS=server, error: accept failed=-1, reason=no shared cipher, SSL_error=1, errno=0, retry=-1, relay=bank.example.com [198.51.100.72]",
                        LineEvent.TLS_FAILED, false, "bank.example.com", "198.51.100.72", null, null,
                        "accept failed=-1, reason=no shared cipher, SSL_error=1, errno=0, retry=-1", null, true, false),
                // 8.17's client failure names no relay: the delivery line after it does
                Arguments.of("sm-mta[5006]: STARTTLS=client, error: connect failed=-1, reason=unknown, SSL_error=2, errno=11, retry=0",
                        LineEvent.TLS_FAILED, true, null, null, null, null,
                        "connect failed=-1, reason=unknown, SSL_error=2, errno=11, retry=0", null, true, false),
                Arguments.of("sm-mta[5007]: STARTTLS=server: file /etc/mail/tls/sendmail.key unsafe: Group readable file",
                        LineEvent.TLS_FAILED, false, null, null, null, null,
                        "file /etc/mail/tls/sendmail.key unsafe: Group readable file", null, true, true),
                Arguments.of("sm-mta[5008]: STARTTLS=server, error: SSL_CTX_use_PrivateKey_file(/etc/mail/tls/key.pem) failed",
                        LineEvent.TLS_FAILED, false, null, null, null, null,
                        "SSL_CTX_use_PrivateKey_file(/etc/mail/tls/key.pem) failed", null, true, true),
                Arguments.of("sm-mta[5009]: NOQUEUE: connect from mail.example.net [198.51.100.70]",
                        LineEvent.CONNECT, false, "mail.example.net", "198.51.100.70", null, null, null, null, true, false),
                Arguments.of("sm-mta[5010]: ruleset=tls_server, arg1=NONE, relay=[192.0.2.9], reject=454 4.7.0 encryption too weak 0 less than 128",
                        LineEvent.STARTTLS_NOT_OFFERED, true, null, "192.0.2.9", null, null,
                        "454 4.7.0 encryption too weak 0 less than 128", null, false, false),
                Arguments.of("sm-mta[5011]: ruleset=tls_server, arg1=OK, relay=[192.0.2.9], reject=454 4.7.0 CN mx.example.org does not match other.example.org",
                        LineEvent.TLS_FAILED, true, null, "192.0.2.9", null, null,
                        "454 4.7.0 CN mx.example.org does not match other.example.org", null, false, false),
                Arguments.of("sm-mta[5012]: 6B22jg4R019287: ruleset=check_mail, arg1=<a@b>, relay=localhost [127.0.0.1], reject=454 4.7.0 encryption too weak 0 less than 128",
                        LineEvent.STARTTLS_REQUIRED, false, "localhost", "127.0.0.1", null, null,
                        "454 4.7.0 encryption too weak 0 less than 128", null, false, false),
                Arguments.of("sm-mta[5013]: 6B22jqSK019300: to=a@b, delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=30080, relay=[192.0.2.9] [192.0.2.9], dsn=4.7.0, reply=454 4.7.0 encryption too weak 0 less than 128, stat=Deferred: 454 4.7.0 encryption too weak 0 less than",
                        LineEvent.STARTTLS_REQUIRED, true, null, "192.0.2.9", null, null,
                        "454 4.7.0 encryption too weak 0 less than 128", null, false, true),
                Arguments.of("sm-mta[5014]: q29Ja84u011122: to=<bob@example.org>, delay=00:00:01, mailer=esmtp, pri=120000, relay=mx.example.org. [192.0.2.70], dsn=2.0.0, stat=Sent (Ok: queued as 12345)",
                        LineEvent.DELIVERY, true, "mx.example.org", "192.0.2.70", null, null, null, "Sent (Ok: queued as 12345)", false, true));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void readsEachLineOfAProcessSession(String message, LineEvent event, boolean outbound, String host, String ip,
                                        String version, String cipher, String error, String detail, boolean opens,
                                        boolean closes) {
        ParseResult r = new SendmailLogParser(STREAM).parse(ENV + message, 3);
        assertThat(r.isLine()).as(r.toString()).isTrue();
        ParsedLine l = r.line();
        assertThat(l.kind()).isEqualTo(SourceKind.SENDMAIL);
        assertThat(l.event()).isEqualTo(event);
        assertThat(l.outbound()).isEqualTo(outbound);
        assertThat(l.sessionId()).isEqualTo(message.substring(message.indexOf('[') + 1, message.indexOf(']')));
        assertThat(l.remoteHost()).isEqualTo(host);
        assertThat(l.remoteIp()).isEqualTo(ip);
        assertThat(l.tlsVersion()).isEqualTo(version);
        assertThat(l.cipher()).isEqualTo(cipher);
        assertThat(l.error()).isEqualTo(error);
        assertThat(l.detail()).isEqualTo(detail);
        assertThat(l.opensSession()).isEqualTo(opens);
        assertThat(l.closesSession()).isEqualTo(closes);
        assertThat(l.server()).isEqualTo("bob");
    }

    @Test
    void aRequiredVerificationThatFailedTakesTheVerifymsgOfItsProcess() {
        SendmailLogParser parser = new SendmailLogParser(STREAM);
        parser.parse(ENV + "sm-mta[7]: STARTTLS=client, relay=[192.0.2.9], version=TLSv1.3, verify=FAIL, cipher=TLS_AES_256_GCM_SHA384, bits=256/256", 1);
        ParseResult cert = parser.parse(ENV + "sm-mta[7]: STARTTLS=client, cert-subject=/CN=mx, cert-issuer=/CN=ca, verifymsg=certificate has expired", 2);
        assertThat(cert.line().event()).isEqualTo(LineEvent.CERTIFICATE);
        ParseResult other = parser.parse(ENV + "sm-mta[8]: ruleset=tls_server, arg1=FAIL, relay=[192.0.2.8], reject=454 4.7.0 authentication failed", 3);
        assertThat(other.line().error()).isEqualTo("454 4.7.0 authentication failed");
        ParseResult reject = parser.parse(ENV + "sm-mta[7]: ruleset=tls_server, arg1=FAIL, relay=[192.0.2.9], reject=454 4.7.0 authentication failed", 4);
        assertThat(reject.line().event()).isEqualTo(LineEvent.TLS_FAILED);
        assertThat(reject.line().error()).isEqualTo("certificate has expired");
        assertThat(reject.line().tlsRequired()).isTrue();
    }

    @Test
    void theOpensslErrorQueueJoinsOnlyAFailureBeforeIt() {
        SendmailLogParser parser = new SendmailLogParser(STREAM);
        String queue = "sm-mta[9]: STARTTLS=server: error:0A0000C1:SSL routines::no shared cipher:../ssl/statem/statem_srvr.c:2226:";
        assertThat(parser.parse(ENV + queue, 1).isIgnored()).isTrue();
        parser.parse(ENV + "sm-mta[9]: STARTTLS=server, error: accept failed=-1, reason=no shared cipher, SSL_error=1, errno=0, retry=-1, relay=x [192.0.2.1]", 2);
        ParseResult joined = parser.parse(ENV + queue, 3);
        assertThat(joined.line().event()).isEqualTo(LineEvent.TLS_FAILED);
        assertThat(joined.line().opensSession()).isFalse();
        assertThat(joined.line().error()).startsWith("error:0A0000C1:SSL routines::no shared cipher");
    }

    @Test
    void aServerHandshakeAfterAConnectBelongsToItsSession() {
        SendmailLogParser parser = new SendmailLogParser(STREAM);
        parser.parse(ENV + "sm-mta[11]: NOQUEUE: connect from x [192.0.2.1]", 1);
        ParseResult tls = parser.parse(ENV + "sm-mta[11]: STARTTLS=server, relay=x [192.0.2.1], version=TLSv1.2, verify=NO, cipher=A, bits=1/1", 2);
        assertThat(tls.line().opensSession()).isFalse();
        // a local submission ("connect from root@localhost") is no inbound session to join
        parser.parse(ENV + "sm-mta[12]: NOQUEUE: connect from root@localhost", 3);
        ParseResult client = parser.parse(ENV + "sm-mta[12]: STARTTLS=client, relay=[192.0.2.9], version=TLSv1.3, verify=OK, cipher=A, bits=1/1", 4);
        assertThat(client.line().opensSession()).isTrue();
        assertThat(client.line().outbound()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sendmail[28450]: q29Ja84u011122: from=<a@b>, size=3262, class=0, nrcpts=1, proto=ESMTP, daemon=MTA, relay=exch.foo.com []",
            "sm-mta[22248]: s1NLaDQT022248: ruleset=check_rcpt, arg1=<x@y>, relay=h [1.2.3.4], reject=550 5.7.1 Relaying denied",
            "sm-mta[19300]: ruleset=try_tls, arg1=[127.0.0.1], relay=[127.0.0.1], reject=550 5.7.1 a@b... do not try TLS with [127.0.0.1] [127.0.0.1]",
            "sm-mta[19319]: STARTTLS=client, SSL_shutdown failed: -1",
            "sm-mta[19288]: STARTTLS: TLS cert verify: depth=1 /CN=tlsmon test ca, state=0, reason=self-signed certificate in certificate chain",
            "sm-mta[18142]: STARTTLS=server, init=1",
            "sm-mta[19288]: 6B22jhxl019288: to=probe@client.tlsmon.test, delay=00:00:00, mailer=local, pri=31100, stat=queued",
            "sm-mta[19209]: 6B22jS4M019209: localhost [127.0.0.1] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA",
            "postfix/smtpd[1]: STARTTLS=server, relay=x [1.2.3.4], version=TLSv1.2, verify=NO, cipher=A, bits=1/1",
            "# comment"})
    void ignoresOtherLines(String message) {
        String line = message.startsWith("#") ? message : ENV + message;
        assertThat(new SendmailLogParser(STREAM).parse(line, 1).isIgnored()).isTrue();
    }

    /** The policy domain of an outbound delivery is its {@code to=}'s first recipient's domain. */
    @ParameterizedTest
    @MethodSource("deliveryLines")
    void outboundDeliveryLinesNameThePolicyDomain(String message, String domain) {
        ParseResult r = new SendmailLogParser(STREAM).parse(ENV + message, 1);
        assertThat(r.isLine()).as(r.toString()).isTrue();
        assertThat(r.line().policyDomain()).isEqualTo(domain);
    }

    static Stream<Arguments> deliveryLines() {
        return Stream.of(
                Arguments.of("sm-mta[5014]: q29Ja84u011122: to=<Bob@Example.ORG>, delay=00:00:01, mailer=esmtp, pri=120000, relay=mx.example.org. [192.0.2.70], dsn=2.0.0, stat=Sent (Ok: queued as 12345)", "example.org"),
                Arguments.of("sm-mta[5015]: q29Ja84u011123: to=<a@first.example>,<b@second.example>, delay=00:00:01, mailer=esmtp, pri=120000, relay=mx.first.example. [192.0.2.71], dsn=2.0.0, stat=Sent", "first.example"),
                Arguments.of("sm-mta[5013]: 6B22jqSK019300: to=a@b.example, delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=30080, relay=[192.0.2.9] [192.0.2.9], dsn=4.7.0, reply=454 4.7.0 encryption too weak 0 less than 128, stat=Deferred: 454 4.7.0 encryption too weak 0 less than", "b.example"),
                Arguments.of("sm-mta[5016]: q29Ja84u011124: to=postmaster, delay=00:00:01, mailer=esmtp, pri=120000, relay=mx.example.org. [192.0.2.70], dsn=2.0.0, stat=Sent", null),
                Arguments.of("sm-mta[5017]: STARTTLS=client, relay=mx.example.org., version=TLSv1.3, verify=OK, cipher=TLS_AES_256_GCM_SHA384, bits=256/256", null));
    }
}
