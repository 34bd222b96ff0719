package io.tlsmon.logs.exim;

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

class EximLogParserTest {
    private static final StreamInfo STREAM = new StreamInfo(null, "mainlog", ZoneOffset.UTC,
            Instant.parse("2024-06-15T00:00:00Z").toEpochMilli());

    private static ParseResult parse(String line) {
        return new EximLogParser(STREAM).parse(line, 1);
    }

    /** line, event, outbound, sessionId, host, ip, port, version, cipher, error */
    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("2024-03-03 08:04:00 [6005] TLS error on connection from slow.example.net (helo.example) [198.51.100.82]:41236 I=[192.0.2.2]:25 (SSL_accept): timed out",
                        LineEvent.TLS_FAILED, false, "6005", "slow.example.net", "198.51.100.82", 41236, null, null, "(SSL_accept): timed out"),
                Arguments.of("2024-03-03 08:04:00 TLS error on connection from (tls10only) [198.51.100.84] (gnutls_handshake): A TLS fatal alert has been received.",
                        LineEvent.TLS_FAILED, false, "198.51.100.84", null, "198.51.100.84", -1, null, null, "(gnutls_handshake): A TLS fatal alert has been received."),
                Arguments.of("2024-03-03 08:07:00 [6008] TLS error on connection to mx.c.example [192.0.2.82] (SSL_connect): error:0A000410:SSL routines::sslv3 alert handshake failure",
                        LineEvent.TLS_FAILED, true, "6008", "mx.c.example", "192.0.2.82", -1, null, null,
                        "(SSL_connect): error:0A000410:SSL routines::sslv3 alert handshake failure"),
                Arguments.of("2024-03-03 08:00:00 [6001] 1rgAbc-0001Xy-AB <= alice@example.net H=mail.example.net (mail.example.net) [198.51.100.80]:41234 I=[192.0.2.2]:25 P=esmtps X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no S=2048",
                        LineEvent.TLS_ESTABLISHED, false, "6001", "mail.example.net", "198.51.100.80", 41234, "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", null),
                Arguments.of("2024-03-03 08:01:00.123 +0100 1rgAbd-000000001Xz-AbCd <= b@l.example H=(l.example) [198.51.100.81] P=esmtps X=TLS1.0:ECDHE-RSA-AES256-SHA:256 S=1",
                        LineEvent.TLS_ESTABLISHED, false, "198.51.100.81", null, "198.51.100.81", -1, "TLSv1", "ECDHE-RSA-AES256-SHA", null),
                Arguments.of("2024-03-03 08:02:00 1rgAbe-0001Y0-AD => c@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.80] X=TLSv1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 ok\"",
                        LineEvent.TLS_ESTABLISHED, true, "1rgAbe-0001Y0-AD/192.0.2.80", "mx.example.org", "192.0.2.80", -1, "TLSv1.3", "TLS_AES_256_GCM_SHA384", null),
                Arguments.of("2016-03-21 06:38:05 [5718] no MAIL in SMTP connection from www.example.jp [49.212.207.15]:28890 I=[172.89.0.6]:25 D=21s C=EHLO,STARTTLS",
                        LineEvent.TLS_FAILED, false, "5718", "www.example.jp", "49.212.207.15", 28890, null, null, "client gave up after STARTTLS"),
                Arguments.of("2024-03-03 08:09:00 1rgAbg-0001Y2-AF == e@s.example R=dnslookup T=remote_smtp defer (-37) H=mx.s.example [192.0.2.83]: TLS session: (SSL_connect): error:0A00042E:SSL routines::tlsv1 alert protocol version",
                        LineEvent.TLS_FAILED, true, "1rgAbg-0001Y2-AF/192.0.2.83", "mx.s.example", "192.0.2.83", -1, null, null,
                        "(SSL_connect): error:0A00042E:SSL routines::tlsv1 alert protocol version"),
                Arguments.of("Mar  3 09:00:00 mx4 exim[7001]: 2024-03-03 09:00:00 [7001] 1rgBcd-0002Ab-CD <= g@e.example H=mail.e.example [198.51.100.90]:41250 P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no",
                        LineEvent.TLS_ESTABLISHED, false, "7001", "mail.e.example", "198.51.100.90", 41250, "TLSv1.3", "TLS_AES_256_GCM_SHA384", null),
                Arguments.of("2024-03-03 09:01:00 mx4 exim[7002]: TLS error on connection from u.example [198.51.100.91]:41251 (SSL_accept): error:0A00010B:SSL routines::wrong version number",
                        LineEvent.TLS_FAILED, false, "7002", "u.example", "198.51.100.91", 41251, null, null, "(SSL_accept): error:0A00010B:SSL routines::wrong version number"),
                Arguments.of("mx4 exim[7003]: 2024-03-03 09:02:00 [7003] 1rgBce-0002Ac-CE => h@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.90] X=TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256 CV=yes",
                        LineEvent.TLS_ESTABLISHED, true, "1rgBce-0002Ac-CE/192.0.2.90", "mx.example.org", "192.0.2.90", -1, "TLSv1.2", "ECDHE_RSA_AES_256_GCM_SHA384", null));
    }

    @ParameterizedTest
    @MethodSource("lines")
    void readsTlsOutcomes(String line, LineEvent event, boolean outbound, String sessionId, String host, String ip,
                                           int port, String version, String cipher, String error) {
        ParseResult r = parse(line);
        assertThat(r.isLine()).as(r.toString()).isTrue();
        ParsedLine l = r.line();
        assertThat(l.kind()).isEqualTo(SourceKind.EXIM);
        assertThat(l.event()).isEqualTo(event);
        assertThat(l.outbound()).isEqualTo(outbound);
        assertThat(l.sessionId()).isEqualTo(sessionId);
        assertThat(l.remoteHost()).isEqualTo(host);
        assertThat(l.remoteIp()).isEqualTo(ip);
        assertThat(l.remotePort()).isEqualTo(port);
        assertThat(l.tlsVersion()).isEqualTo(version);
        assertThat(l.cipher()).isEqualTo(cipher);
        assertThat(l.error()).isEqualTo(error);
        // any line may be a connection's first: only its key and its end tell connections apart
        assertThat(l.opensSession()).isFalse();
        assertThat(l.closesSession()).isTrue();
    }

    @Test
    void readsEximTimesWithZoneAndMilliseconds() {
        ParsedLine l = parse("2024-03-03 08:01:00.123 +0100 1rgAbd-0001Xz-AC <= b@l.example H=(l.example) [198.51.100.81] P=esmtps X=TLS1.2:A:1").line();
        assertThat(Instant.ofEpochMilli(l.time())).isEqualTo(Instant.parse("2024-03-03T07:01:00.123Z"));
        ParsedLine wrapped = parse("mx4 exim[7003]: 2024-03-03 09:02:00 [7003] TLS error on connection to m [192.0.2.1] (SSL_connect): x").line();
        assertThat(Instant.ofEpochMilli(wrapped.time())).isEqualTo(Instant.parse("2024-03-03T09:02:00Z"));
        assertThat(wrapped.server()).isEqualTo("mx4");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2024-03-03 08:12:00 [6013] no MAIL in SMTP connection from p.example [198.51.100.87]:41242 I=[192.0.2.2]:25 D=1s C=EHLO,QUIT",
            "2024-03-03 08:14:00 [6015] 1rgAbh-0001Y3-AG <= f@p.example H=p.example [198.51.100.88]:41244 P=esmtp S=512",
            "2013-06-10 10:10:59 H=u.example (srv.u.example) [193.169.56.211] sender verify fail for <user@example.com>: Unrouteable address",
            "2024-03-03 08:02:01 [6003] 1rgAbe-0001Y0-AD Completed",
            "Mar  3 09:03:00 mx4 postfix/smtpd[7004]: connect from s.example[198.51.100.92]",
            "# comment"})
    void ignoresLinesWithoutTlsOutcome(String line) {
        assertThat(parse(line).isIgnored()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage line", "2024-13-03 08:00:00 x", "mail.example.com exim[1]: no time here"})
    void refusesLinesOfNoKnownShape(String line) {
        ParseResult r = parse(line);
        assertThat(r.isError()).isTrue();
        assertThat(r.error()).startsWith("not a");
    }

    /** The policy domain of an outbound attempt is its delivery line's (final) recipient's domain. */
    @ParameterizedTest
    @MethodSource("deliveryLines")
    void outboundDeliveryLinesNameThePolicyDomain(String line, String domain) {
        ParseResult r = parse(line);
        assertThat(r.isLine()).as(r.toString()).isTrue();
        assertThat(r.line().policyDomain()).isEqualTo(domain);
    }

    static Stream<Arguments> deliveryLines() {
        return Stream.of(
                Arguments.of("2024-03-03 08:02:00 1rgAbe-0001Y0-AD => C@Example.ORG R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.80] X=TLSv1.3:TLS_AES_256_GCM_SHA384:256 CV=yes", "example.org"),
                // forwarded: the final address, not the original in <>
                Arguments.of("2024-03-03 08:02:00 1rgAbe-0001Y0-AE => fwd@partner.example <alias@local.example> R=dnslookup T=remote_smtp H=mx.partner.example [192.0.2.81]", "partner.example"),
                Arguments.of("2024-03-03 08:09:00 1rgAbg-0001Y2-AF == e@s.example R=dnslookup T=remote_smtp defer (-37) H=mx.s.example [192.0.2.83]: TLS session: (SSL_connect): error:0A00042E:SSL routines::tlsv1 alert protocol version", "s.example"),
                Arguments.of("2024-03-03 08:09:00 1rgAbg-0001Y2-AG ** f@t.example R=dnslookup T=remote_smtp H=mx.t.example [192.0.2.84]: a TLS session is required, but the server did not offer TLS support", "t.example"),
                Arguments.of("2024-03-03 08:09:00 1rgAbg-0001Y2-AH == g@u.example R=dnslookup T=remote_smtp defer (-1) H=mx.u.example [192.0.2.85]: SMTP error from remote mail server after MAIL FROM:<a@b> SIZE=1: 530 5.7.0 Must issue a STARTTLS command first", "u.example"),
                // the transport's own line names no address; inbound lines have no policy domain
                Arguments.of("2024-03-03 08:09:00 1rgAbg-0001Y2-AJ H=mx.v.example [192.0.2.86]:25: a TLS session is required, but an attempt to start TLS failed", null),
                Arguments.of("2024-03-03 08:00:00 [6001] 1rgAbc-0001Xy-AB <= alice@example.net H=mail.example.net (mail.example.net) [198.51.100.80]:41234 I=[192.0.2.2]:25 P=esmtps X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no S=2048", null));
    }
}
