package io.tlsmon.logs.sendmail;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
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

    /** line, event, outbound, sessionId, host, ip, version, cipher, error, detail */
    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("sendmail[23834]: STARTTLS=client, relay=mx.remotefoo.com., version=TLSv1/SSLv3, verify=FAIL, cipher=AES128-SHA, bits=128/128",
                        LineEvent.TLS_ESTABLISHED, true, "23834", "mx.remotefoo.com", null, null, "AES128-SHA", null, "verify=FAIL, version=TLSv1/SSLv3"),
                Arguments.of("sm-mta[5002]: STARTTLS=server, relay=mail.example.net [198.51.100.70], version=TLSv1.3, verify=NO, cipher=TLS_AES_256_GCM_SHA384, bits=256/256",
                        LineEvent.TLS_ESTABLISHED, false, "5002", "mail.example.net", "198.51.100.70", "TLSv1.3", "TLS_AES_256_GCM_SHA384", null, "verify=NO"),
                Arguments.of("sm-mta[5003]: STARTTLS=server, relay=[198.51.100.71] (may be forged), version=TLSv1.1, verify=NO, cipher=ECDHE-RSA-AES128-SHA, bits=128/128",
                        LineEvent.TLS_ESTABLISHED, false, "5003", null, "198.51.100.71", "TLSv1.1", "ECDHE-RSA-AES128-SHA", null, "verify=NO"),
                Arguments.of("sm-mta[5005]: STARTTLS=server, error: accept failed=-1, reason=no shared cipher, SSL_error=1, errno=0, retry=-1, relay=bank.example.com [198.51.100.72]",
                        LineEvent.TLS_FAILED, false, "5005", "bank.example.com", "198.51.100.72", null, null, "no shared cipher", null),
                Arguments.of("sm-mta[5006]: STARTTLS=client, error: connect failed=-1, reason=unsupported protocol, SSL_error=1, errno=0, retry=-1, relay=mx.strict.example.net [192.0.2.71]",
                        LineEvent.TLS_FAILED, true, "5006", "mx.strict.example.net", "192.0.2.71", null, null, "unsupported protocol", null),
                Arguments.of("sm-acceptingconnections[5007]: STARTTLS=server, error: accept failed=0, SSL_error=5, timedout=0, errno=104",
                        LineEvent.TLS_FAILED, false, "5007", null, null, null, null, "accept failed=0, SSL_error=5, timedout=0, errno=104", null),
                Arguments.of("sm-mta[5008]: q29Ja84u011122: STARTTLS=client, relay=mx.example.org. [192.0.2.9], version=TLSv1.2, verify=OK, cipher=ECDHE-RSA-AES256-GCM-SHA384, bits=256/256",
                        LineEvent.TLS_ESTABLISHED, true, "q29Ja84u011122", "mx.example.org", "192.0.2.9", "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", null, "verify=OK"));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void readsStarttlsLinesAsOneLineAttempts(String message, LineEvent event, boolean outbound, String sessionId, String host,
                                             String ip, String version, String cipher, String error, String detail) {
        ParseResult r = new SendmailLogParser(STREAM).parse(ENV + message, 3);
        assertThat(r.isLine()).as(r.toString()).isTrue();
        ParsedLine l = r.line();
        assertThat(l.kind()).isEqualTo(SourceKind.SENDMAIL);
        assertThat(l.event()).isEqualTo(event);
        assertThat(l.outbound()).isEqualTo(outbound);
        assertThat(l.sessionId()).isEqualTo(sessionId);
        assertThat(l.remoteHost()).isEqualTo(host);
        assertThat(l.remoteIp()).isEqualTo(ip);
        assertThat(l.tlsVersion()).isEqualTo(version);
        assertThat(l.cipher()).isEqualTo(cipher);
        assertThat(l.error()).isEqualTo(error);
        assertThat(l.detail()).isEqualTo(detail);
        assertThat(l.opensSession()).isTrue();
        assertThat(l.closesSession()).isTrue();
        assertThat(l.server()).isEqualTo("bob");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sendmail[28450]: q29Ja84u011122: from=<a@b>, size=3262, class=0, nrcpts=1, proto=ESMTP, daemon=MTA, relay=exch.foo.com []",
            "sendmail[30706]: STARTTLS=client, cert-subject=/CN=x, cert-issuer=/CN=y, verifymsg=unable to get local issuer certificate",
            "sm-mta[22248]: s1NLaDQT022248: ruleset=check_rcpt, arg1=<x@y>, relay=h [1.2.3.4], reject=550 5.7.1 Relaying denied",
            "postfix/smtpd[1]: STARTTLS=server, relay=x [1.2.3.4], version=TLSv1.2, verify=NO, cipher=A, bits=1/1",
            "# comment"})
    void ignoresOtherLines(String message) {
        String line = message.startsWith("#") ? message : ENV + message;
        assertThat(new SendmailLogParser(STREAM).parse(line, 1).isIgnored()).isTrue();
    }
}
