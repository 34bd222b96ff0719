package io.tlsmon.logs.syslog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogLineTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 2024-06-15T00:00:00Z: lines of March 2024 belong to 2024. */
    private static final long REF_2024_06 = Instant.parse("2024-06-15T00:00:00Z").toEpochMilli();

    private static SyslogParser parser() {
        return new SyslogParser(ZoneOffset.UTC, REF_2024_06);
    }

    static Stream<Arguments> envelopes() {
        return Stream.of(
                // RFC 3164, space-padded day
                Arguments.of("Mar  1 12:00:00 mx1 postfix/smtpd[1234]: connect from a[1.2.3.4]",
                        "2024-03-01T12:00:00Z", "mx1", "postfix/smtpd", 1234L, "connect from a[1.2.3.4]"),
                // bare day, several instances
                Arguments.of("Mar 1 12:00:00 mx1 postfix-in/smtpd[7]: x", "2024-03-01T12:00:00Z", "mx1", "postfix-in/smtpd", 7L, "x"),
                // Postfix maillog_file / journalctl short: zero-padded day
                Arguments.of("Mar 01 12:00:00 mx1 postfix/submission/smtpd[99]: hello", "2024-03-01T12:00:00Z", "mx1",
                        "postfix/submission/smtpd", 99L, "hello"),
                // fraction of a second on the BSD form
                Arguments.of("Mar 01 12:00:00.123456 mx1 postfix/smtp[5]: y", "2024-03-01T12:00:00.123Z", "mx1", "postfix/smtp", 5L, "y"),
                // BSD with year before the time
                Arguments.of("Mar  1 2023 12:00:00 mx1 sendmail[42]: z", "2023-03-01T12:00:00Z", "mx1", "sendmail", 42L, "z"),
                // RFC 3339 (rsyslog file format)
                Arguments.of("2024-03-01T12:00:00.123456+01:00 mx1 postfix/smtpd[1]: m", "2024-03-01T11:00:00.123Z", "mx1", "postfix/smtpd", 1L, "m"),
                // journalctl short-iso: offset without colon
                Arguments.of("2024-03-01T12:00:00+0100 mx1 postfix/smtpd[1]: m", "2024-03-01T11:00:00Z", "mx1", "postfix/smtpd", 1L, "m"),
                Arguments.of("2024-03-01T12:00:00Z mx1 exim[3]: m", "2024-03-01T12:00:00Z", "mx1", "exim", 3L, "m"),
                // space instead of T, offset as its own token
                Arguments.of("2024-03-01 12:00:00 +0200 mx1 exim[3]: m", "2024-03-01T10:00:00Z", "mx1", "exim", 3L, "m"),
                // RFC 5424
                Arguments.of("<34>1 2024-03-01T12:00:00.123Z mx1 postfix/smtpd 1234 - - connect from x[1.2.3.4]",
                        "2024-03-01T12:00:00.123Z", "mx1", "postfix/smtpd", 1234L, "connect from x[1.2.3.4]"),
                // RFC 5424 without priority (file templates that drop it)
                Arguments.of("1 2024-03-01T13:00:00.123+01:00 mx1 postfix/smtpd 1234 - - connect from x[1.2.3.4]",
                        "2024-03-01T12:00:00.123Z", "mx1", "postfix/smtpd", 1234L, "connect from x[1.2.3.4]"),
                Arguments.of("<22>1 2024-03-01T12:00:00Z - postfix/smtp - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"a\\]b\"] \uFEFFhi",
                        "2024-03-01T12:00:00Z", null, "postfix/smtp", -1L, "hi"),
                // priority before a BSD line
                Arguments.of("<13>Mar  1 12:00:00 mx1 sm-mta[8]: q", "2024-03-01T12:00:00Z", "mx1", "sm-mta", 8L, "q"),
                // no host
                Arguments.of("Mar  1 12:00:00 postfix/smtpd[1234]: msg", "2024-03-01T12:00:00Z", null, "postfix/smtpd", 1234L, "msg"),
                // tag without pid
                Arguments.of("Mar  1 12:00:00 mx1 kernel: [ 1.0] x", "2024-03-01T12:00:00Z", "mx1", "kernel", -1L, "[ 1.0] x"),
                // no tag at all
                Arguments.of("Mar  1 12:00:00 mx1 last message repeated 3 times", "2024-03-01T12:00:00Z", "mx1", null, -1L,
                        "last message repeated 3 times"),
                // trailing CR
                Arguments.of("Mar  1 12:00:00 mx1 postfix/smtpd[1]: m\r", "2024-03-01T12:00:00Z", "mx1", "postfix/smtpd", 1L, "m"));
    }

    @ParameterizedTest
    @MethodSource("envelopes")
    void readsTheEnvelope(String text, String time, String host, String program, long pid, String message) {
        SyslogParser p = parser();
        assertThat(p.parse(text)).as(p.error()).isTrue();
        SyslogLine l = p.line();
        assertThat(Instant.ofEpochMilli(l.time())).isEqualTo(Instant.parse(time));
        assertThat(l.host()).isEqualTo(host);
        assertThat(l.program()).isEqualTo(program);
        assertThat(l.pid()).isEqualTo(pid);
        assertThat(l.message()).isEqualTo(message);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "empty line"),
                Arguments.of("Foo  1 12:00:00 mx1 x: y", "no month name"),
                Arguments.of("Mar 41 12:00:00 mx1 x: y", "day of month 41 out of range"),
                Arguments.of("Mar  1 25:00:00 mx1 x: y", "out of range"),
                Arguments.of("Mar  1 12:00 mx1 x: y", "no HH:mm:ss"),
                Arguments.of("Mar  1 12:00:00", "nothing after the timestamp"),
                Arguments.of("2024-13-01T12:00:00Z mx1 x: y", "month 13 out of range"),
                Arguments.of("2023-02-29T12:00:00Z mx1 x: y", "day of month 29 out of range"),
                Arguments.of("2024-03-01X12:00:00Z mx1 x: y", "no 'T' or space"),
                Arguments.of("<34>1 - mx1 app - - - msg", "RFC 5424 line without timestamp"),
                Arguments.of("1 - mx1 app - - - msg", "RFC 5424 line without timestamp"),
                Arguments.of("1 2024-03-01T12:00:00Z mx1", "RFC 5424 line ends after the hostname"),
                Arguments.of("<34>1 2024-03-01T12:00:00Z mx1 app 1 - [sd x=\"1\" msg", "structured data not closed"),
                Arguments.of("<34 Mar 1", "no <priority>"),
                Arguments.of("<34>1 2024-03-01T12:00:00Z mx1 app 1 - ", "ends before its structured data"),
                Arguments.of("hello world", "no month name"),
                Arguments.of("!garbage", "no timestamp at start"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesWithASpecificReason(String text, String reason) {
        SyslogParser p = parser();
        assertThat(p.parse(text)).isFalse();
        assertThat(p.error()).startsWith("not a syslog line: ").contains(reason);
    }

    @Test
    void missingYearComesFromTheReference() {
        SyslogParser p = new SyslogParser(ZoneOffset.UTC, Instant.parse("2025-01-10T00:00:00Z").toEpochMilli());
        // More than a day after the reference: last year.
        assertThat(p.parse("Dec 30 23:59:00 mx1 a[1]: x")).isTrue();
        assertThat(Instant.ofEpochMilli(p.line().time())).isEqualTo(Instant.parse("2024-12-30T23:59:00Z"));
        // December -> January rolls over, and stays there.
        assertThat(p.parse("Jan  1 00:00:01 mx1 a[1]: x")).isTrue();
        assertThat(Instant.ofEpochMilli(p.line().time())).isEqualTo(Instant.parse("2025-01-01T00:00:01Z"));
        // A late December line after the rollover keeps its own year, and does not move the stream back.
        assertThat(p.parse("Dec 31 23:59:59 mx1 a[1]: x")).isTrue();
        assertThat(Instant.ofEpochMilli(p.line().time())).isEqualTo(Instant.parse("2024-12-31T23:59:59Z"));
        assertThat(p.parse("Jan  2 00:00:00 mx1 a[1]: x")).isTrue();
        assertThat(Instant.ofEpochMilli(p.line().time())).isEqualTo(Instant.parse("2025-01-02T00:00:00Z"));
    }

    @Test
    void aDateWithinADayOfTheReferenceKeepsTheReferenceYear() {
        SyslogParser p = new SyslogParser(ZoneOffset.UTC, Instant.parse("2025-01-10T00:00:00Z").toEpochMilli());
        assertThat(p.parse("Jan 10 20:00:00 mx1 a[1]: x")).isTrue();
        assertThat(Instant.ofEpochMilli(p.line().time())).isEqualTo(Instant.parse("2025-01-10T20:00:00Z"));
    }

    @Test
    void anExplicitYearSetsTheStreamYear() {
        SyslogParser p = parser();
        assertThat(p.parse("2019-11-01T00:00:00Z mx1 a[1]: x")).isTrue();
        assertThat(p.parse("Nov  2 00:00:00 mx1 a[1]: x")).isTrue();
        assertThat(Instant.ofEpochMilli(p.line().time())).isEqualTo(Instant.parse("2019-11-02T00:00:00Z"));
    }

    @Test
    void oneLineFromAClockDecadesOffDoesNotDateTheYearlessLinesAfterIt() {
        SyslogParser p = parser();
        assertThat(p.parse("Nov  1 00:00:00 mx1 a[1]: x")).isTrue();
        long before = p.line().time();
        assertThat(p.parse("2099-01-01T00:00:00Z mx1 a[1]: a clock set 75 years ahead")).isTrue();
        assertThat(p.parse("Nov  2 00:00:00 mx1 a[1]: x")).isTrue();
        assertThat(p.line().time() - before).isEqualTo(86_400_000L);
    }

    @Test
    void timesWithoutZoneAreReadInTheStreamZoneAcrossDaylightSaving() {
        SyslogParser p = new SyslogParser(BERLIN, REF_2024_06);
        assertThat(p.parse("Mar 30 12:00:00 mx1 a[1]: winter")).isTrue();
        assertThat(Instant.ofEpochMilli(p.line().time())).isEqualTo(Instant.parse("2024-03-30T11:00:00Z"));
        assertThat(p.parse("Mar 31 12:00:00 mx1 a[1]: summer")).isTrue();
        assertThat(Instant.ofEpochMilli(p.line().time())).isEqualTo(Instant.parse("2024-03-31T10:00:00Z"));
    }

    @Test
    void programMatchersDoNotNeedTheProgramString() {
        SyslogParser p = parser();
        assertThat(p.parse("Mar  1 12:00:00 mx1 postfix/submission/smtpd[1]: m")).isTrue();
        SyslogLine l = p.line();
        assertThat(l.programEndsWith("/smtpd")).isTrue();
        assertThat(l.programEndsWith("/smtp")).isFalse();
        assertThat(l.programStartsWith("postfix")).isTrue();
        assertThat(l.programIs("postfix/submission/smtpd")).isTrue();
        assertThat(l.programIs("postfix/smtpd")).isFalse();
        assertThat(l.messageStartsWith("m")).isTrue();
    }
}
