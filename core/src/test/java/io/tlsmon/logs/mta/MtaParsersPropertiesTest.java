package io.tlsmon.logs.mta;

import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.Parsers;
import io.tlsmon.logs.StreamInfo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Random, truncated and mutated lines never make a parser throw, and every error says why. */
class MtaParsersPropertiesTest {
    private static final List<String> SEEDS = List.of(
            "Mar  1 10:00:01 mx1 postfix/smtpd[1001]: Anonymous TLS connection established from a.example[198.51.100.10]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
            "Mar  1 10:04:01 mx1 postfix/smtpd[1005]: SSL_accept error from unknown[198.51.100.14]: -1",
            "2024-03-01T11:03:01.000000+01:00 mx1 postfix/smtp[2004]: SSL_connect error to mx.example.net[192.0.2.29]:25: -1",
            "2024-03-01T11:03:02+01:00 mx1 postfix/smtp[2004]: 4Q2dL40AbCz9sWu: to=<d@example.net>, relay=mx.example.net[192.0.2.29]:25, delay=1, tls=dane:nocertmatch, status=deferred (Cannot start TLS: handshake failure)",
            "<22>1 2024-03-01T12:02:01.123456+01:00 mx2 postfix/smtpd 3003 - [a b=\"c\\]\"] connect from b.example.net[198.51.100.42]",
            "Mar  1 12:05:01 postfix/smtp[3006]: Host offered STARTTLS: [mx.example.com]",
            "Mar  2 09:03:01 relay1 sm-mta[5005]: STARTTLS=server, error: accept failed=-1, reason=no shared cipher, SSL_error=1, errno=0, retry=-1, relay=b.example [198.51.100.72]",
            "Mar  2 09:02:01 relay1 sendmail[5004]: q29Ja84u011122: STARTTLS=client, relay=mx.example.org., version=TLSv1/SSLv3, verify=FAIL, cipher=AES128-SHA, bits=128/128",
            "2024-03-03 08:00:00.123 +0100 [6001] 1rgAbc-0001Xy-AB <= a@example.net H=m.example (m) [198.51.100.80]:41234 P=esmtps X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no",
            "2024-03-03 08:05:00 [6006] TLS error on connection from b.example [198.51.100.83]:41237 I=[192.0.2.2]:25 (SSL_accept): error:0A0000C1:SSL routines::no shared cipher",
            "mx4 exim[7003]: 2024-03-03 09:02:00 [7003] 1rgBce-0002Ac-CE == h@example.org H=mx.example.org [192.0.2.90]: TLS session: (SSL_connect): x",
            "2016-03-21 06:38:05 [5718] no MAIL in SMTP connection from w.example [49.212.207.15]:28890 D=21s C=EHLO,STARTTLS");

    @Provide
    Arbitrary<String> seeds() {
        return Arbitraries.of(SEEDS);
    }

    @Provide
    Arbitrary<LogFormat> formats() {
        return Arbitraries.of(LogFormat.POSTFIX, LogFormat.SENDMAIL, LogFormat.EXIM);
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> seed = seeds();
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 400);
        Arbitrary<String> insert = Arbitraries.strings().withChars("[]:<> -,=()\\\"0123456789aZ\r\t\uFEFF").ofMaxLength(6);
        Arbitrary<Integer> delete = Arbitraries.integers().between(0, 8);
        return Combinators.combine(seed, at, insert, delete).as((s, pos, ins, del) -> {
            int p = Math.min(pos, s.length());
            int q = Math.min(s.length(), p + del);
            return s.substring(0, p) + ins + s.substring(q);
        });
    }

    private static LineParser parser(LogFormat format) {
        return Parsers.forFormat(format, new StreamInfo(null, "prop", ZoneId.of("Europe/Berlin"), 1_700_000_000_000L));
    }

    private static void check(ParseResult r) {
        assertThat(r).isNotNull();
        if (r.isError()) {
            assertThat(r.error()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void randomLinesNeverThrow(@ForAll("formats") LogFormat format, @ForAll String line) {
        check(parser(format).parse(line, 1));
    }

    @Property(tries = 2000)
    void truncatedLinesNeverThrow(@ForAll("formats") LogFormat format, @ForAll("seeds") String seed,
                                  @ForAll("cut") int cut) {
        check(parser(format).parse(seed.substring(0, Math.min(cut, seed.length())), 1));
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, 300);
    }

    @Property(tries = 3000)
    void mutatedLinesNeverThrow(@ForAll("formats") LogFormat format, @ForAll("mutated") String line) {
        LineParser p = parser(format);
        // twice through one parser: per-stream state (year, open smtp peers) must not break either
        check(p.parse(line, 1));
        check(p.parse(line, 2));
    }
}
