package io.tlsmon.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clock a shipper stamps records with must give every line the time the format's parser gives
 * it: same year inference, same zone, same Exchange column.
 */
class LineClockTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 2025-01-02: the first line of a December log belongs to 2024. */
    private static final long REF_2025_01 = Instant.parse("2025-01-02T00:00:00Z").toEpochMilli();

    private static StreamInfo stream(ZoneId zone) {
        return new StreamInfo(null, "mail.log", zone, REF_2025_01);
    }

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    /** A Postfix and a Sendmail log crossing the new year, with a late December line and lines of other programs. */
    private static List<String> syslogAcrossTheNewYear(String program) {
        return List.of(
                "Dec 31 23:59:58 mx1 " + program + "[1]: STARTTLS=server, relay=a [192.0.2.1], version=TLSv1.2, verify=NO, cipher=X, bits=256/256",
                "Dec 31 23:59:59 mx1 CRON[7]: (root) CMD (true)",
                "Jan  1 00:00:01 mx1 " + program + "[1]: STARTTLS=server, relay=b [192.0.2.2], version=TLSv1.2, verify=NO, cipher=X, bits=256/256",
                "Dec 31 23:59:59 mx1 " + program + "[2]: STARTTLS=server, relay=c [192.0.2.3], version=TLSv1.2, verify=NO, cipher=X, bits=256/256",
                "Jan  1 00:10:00 mx1 " + program + "[3]: STARTTLS=server, relay=d [192.0.2.4], version=TLSv1.2, verify=NO, cipher=X, bits=256/256");
    }

    @Test
    void syslogTimesAreThoseTheParserGivesAcrossTheNewYearAndInTheStreamsZone() {
        List<String> lines = syslogAcrossTheNewYear("sendmail");
        LineParser parser = Parsers.forFormat(LogFormat.SENDMAIL, stream(BERLIN));
        LineClock clock = LineClock.of(LogFormat.SENDMAIL, stream(BERLIN));

        List<Long> parsed = new ArrayList<>();
        List<Long> clocked = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ParseResult r = parser.parse(lines.get(i), i + 1);
            long t = clock.timeOf(lines.get(i));
            if (r.isLine()) {
                parsed.add(r.line().time());
                clocked.add(t);
            }
        }

        assertThat(parsed).hasSize(4);
        assertThat(clocked).isEqualTo(parsed);
        assertThat(clocked).containsExactly(at("2024-12-31T22:59:58Z"), at("2024-12-31T23:00:01Z"),
                at("2024-12-31T22:59:59Z"), at("2024-12-31T23:10:00Z"));
    }

    @Test
    void aPostfixClockReadsEveryEnvelopeAndNotesTheYearOfLinesOfOtherPrograms() {
        LineClock clock = LineClock.of(LogFormat.POSTFIX, stream(ZoneOffset.UTC));

        assertThat(clock.timeOf("Dec 31 23:59:59 mx1 dovecot: imap-login: Login")).isEqualTo(at("2024-12-31T23:59:59Z"));
        assertThat(clock.timeOf("Jan 01 00:00:01 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]")).isEqualTo(at("2025-01-01T00:00:01Z"));
        assertThat(clock.timeOf("<22>1 2026-11-29T07:39:04.000000+00:00 mx postfix/smtpd 14532 - - connect from unknown[192.0.2.1]"))
                .isEqualTo(at("2026-11-29T07:39:04Z"));
        assertThat(clock.timeOf("1 2026-11-29T08:39:04.250+01:00 mx postfix/smtpd 14532 - - x")).isEqualTo(at("2026-11-29T07:39:04.250Z"));
        assertThat(clock.timeOf("connect from a[192.0.2.1]")).isEqualTo(LineClock.NO_TIME);
        assertThat(clock.timeOf("")).isEqualTo(LineClock.NO_TIME);
    }

    @Test
    void anEximClockReadsTheMainlogAndSyslogWrappedLinesAsTheParserDoes() {
        List<String> lines = List.of(
                "2024-03-01 12:00:00 +0100 1abcDE-000123-AB <= a@b.example H=mx.b.example [192.0.2.1] X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no",
                "2024-03-01 12:00:01.250 [4242] TLS error on connection from mx.c.example [192.0.2.2] (SSL_accept): timed out",
                "Mar  1 12:00:02 mx1 exim[99]: 2024-03-01 12:00:02 1abcDE-000124-AB => x@y.example H=mx.y.example [198.51.100.1] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes",
                "mx1 exim[99]: 2024-03-01 12:00:03 TLS error on connection to mx.z.example [198.51.100.2] (SSL_connect): error");
        StreamInfo info = new StreamInfo(null, "mainlog", ZoneOffset.UTC, at("2024-06-01T00:00:00Z"));
        LineParser parser = Parsers.forFormat(LogFormat.EXIM, info);
        LineClock clock = LineClock.of(LogFormat.EXIM, info);

        for (int i = 0; i < lines.size(); i++) {
            ParseResult r = parser.parse(lines.get(i), i + 1);
            assertThat(r.isLine()).as(lines.get(i)).isTrue();
            assertThat(clock.timeOf(lines.get(i))).as(lines.get(i)).isEqualTo(r.line().time());
        }
        LineClock again = LineClock.of(LogFormat.EXIM, info);
        assertThat(again.timeOf(lines.get(0))).isEqualTo(at("2024-03-01T11:00:00Z"));
        assertThat(again.timeOf(lines.get(1))).isEqualTo(at("2024-03-01T12:00:01.250Z"));
        assertThat(again.timeOf("Mar  1 12:00:04 mx1 cron[1]: x")).as("another program's syslog time").isEqualTo(at("2024-03-01T12:00:04Z"));
        assertThat(again.timeOf("mx1 exim[99]: no time at all")).isEqualTo(LineClock.NO_TIME);
    }

    @Test
    void anExchangeClockReadsTheColumnTheFieldsHeaderNames() {
        LineClock clock = LineClock.of(LogFormat.EXCHANGE, stream(BERLIN));

        assertThat(clock.timeOf("2023-01-11T15:59:51.433Z,EX01\\Default,08D5,0,,,+,,")).isEqualTo(at("2023-01-11T15:59:51.433Z"));
        assertThat(clock.timeOf("\uFEFF2023-01-11T15:59:51Z,EX01\\Default,08D5,0,,,+,,\r")).isEqualTo(at("2023-01-11T15:59:51Z"));
        assertThat(clock.timeOf("#Fields: session-id,date-time,sequence-number,event,data")).isEqualTo(LineClock.NO_TIME);
        assertThat(clock.timeOf("08D5,2023-01-11T15:59:52.5Z,1,<,\"a, b\"")).isEqualTo(at("2023-01-11T15:59:52.500Z"));
        assertThat(clock.timeOf("08D5,yesterday,1,<,x")).isEqualTo(LineClock.NO_TIME);
        assertThat(clock.timeOf("08D5")).isEqualTo(LineClock.NO_TIME);
    }

    @Test
    void anExchangeClockGivesTheParsersTimeAndNoneForHeadersOrBadDates() {
        List<String> lines = List.of(
                "#Log-type: SMTP Receive Protocol Log",
                "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context",
                "2025-03-01T10:00:00.100Z,EX1\\Default,08D1,1,10.0.0.5:25,192.0.2.1:5000,<,STARTTLS,",
                "2025-03-01T10:00:00.2Z,EX1\\Default,08D1,2,10.0.0.5:25,192.0.2.1:5000,>,220 2.0.0 SMTP server ready,",
                "2025-02-30T10:00:00.000Z,EX1\\Default,08D1,3,10.0.0.5:25,192.0.2.1:5000,<,STARTTLS,");
        StreamInfo info = StreamInfo.of(null, "RECV2025030110-1.LOG");
        LineParser parser = Parsers.forFormat(LogFormat.EXCHANGE, info);
        LineClock clock = LineClock.of(LogFormat.EXCHANGE, info);

        for (int i = 0; i < lines.size(); i++) {
            ParseResult r = parser.parse(lines.get(i), i + 1);
            long t = clock.timeOf(lines.get(i));
            if (r.isLine()) {
                assertThat(t).as(lines.get(i)).isEqualTo(r.line().time());
            } else {
                assertThat(t).as(lines.get(i)).isEqualTo(LineClock.NO_TIME);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LogFormat.class)
    void withoutAFormatEachLineIsReadByTheClockOfItsShape(LogFormat format) {
        String line = switch (format) {
            case EXCHANGE -> "2024-03-01T12:00:00.917Z,EX01\\Default Frontend EX01,08DC39F1A2B3C4D5,7,,,*,,x";
            case POSTFIX -> "Mar  1 12:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]";
            case SENDMAIL -> "<22>1 2024-03-01T13:00:00+01:00 mx1 sm-mta 7 - - STARTTLS=client, relay=x, version=TLSv1.2";
            case EXIM -> "mx1 exim[99]: 2024-03-01 12:00:00 TLS error on connection to mx.z.example [198.51.100.2] (SSL_connect): x";
        };
        StreamInfo info = new StreamInfo(null, "x", ZoneOffset.UTC, at("2024-06-01T00:00:00Z"));

        assertThat(LineClock.ofAnyFormat(info).timeOf(line)).isEqualTo(at("2024-03-01T12:00:00Z") + (format == LogFormat.EXCHANGE ? 917 : 0));
        assertThat(LineClock.of(null, info).timeOf(line)).isEqualTo(LineClock.of(format, info).timeOf(line));
        assertThat(LineClock.ofAnyFormat(info).timeOf("no time here")).isEqualTo(LineClock.NO_TIME);
    }
}
