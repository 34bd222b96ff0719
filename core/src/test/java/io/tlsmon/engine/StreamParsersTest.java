package io.tlsmon.engine;

import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Which parser reads a stream: the given format, else the file name's, else the first line that votes. */
class StreamParsersTest {
    private static final long REF = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
    private static final String POSTFIX_LINE = "2026-01-01T10:00:00+00:00 mx1 postfix/smtpd[12]: connect from b.example[192.0.2.2]";
    private static final String EXIM_LINE = "2026-01-01 10:00:00 1tABCD-000123-AB <= a@b.example H=x [192.0.2.1] P=esmtps X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no S=100";
    private static final String CRON_LINE = "Jan  1 00:00:01 mx1 CRON[5]: (root) CMD (true)";
    private static final String EXCHANGE_LINE = "2025-03-01T10:00:00.000Z,EX1\\Default,08DD0001,0,10.0.0.5:25,198.51.100.10:2001,+,,";
    private static final String DEFAULT_FIELDS = "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";

    private final StreamParsers parsers = new StreamParsers(ZoneOffset.UTC, new MapState<>());

    private static LineInput in(String host, String stream, LogFormat format, String header, String line) {
        return new LineInput(host + "|auto", host, stream, format, header, line, 1, REF, REF, null);
    }

    private ParseResult parse(String stream, LogFormat format, String line) {
        return parsers.parse(in("mx1", stream, format, null, line));
    }

    @Test
    void theGivenFormatIsUsedFromTheFirstLineWhateverTheLineOrTheFileName() {
        assertThat(parse("RECV2025030110-1.LOG", LogFormat.POSTFIX, CRON_LINE).isIgnored()).isTrue();
        assertThat(parsers.formatOf("mx1", "RECV2025030110-1.LOG")).isEqualTo(LogFormat.POSTFIX);
        // an Exchange line in a stream said to be Postfix is Postfix's error, not a vote
        ParseResult r = parse("RECV2025030110-1.LOG", null, EXCHANGE_LINE);
        assertThat(r.isError()).isTrue();
        assertThat(r.error()).startsWith("not a syslog line");
    }

    @Test
    void aGarbageLineOfAGivenFormatIsThatParsersError() {
        ParseResult r = parse("mail.log", LogFormat.POSTFIX, "garbage");
        assertThat(r.error()).startsWith("not a syslog line").isNotEqualTo(StreamParsers.UNRECOGNISED);
    }

    @Test
    void anExchangeFileNameNamesTheFormat() {
        ParseResult r = parse("C:/Logs/ProtocolLog/SmtpReceive/RECV2025030110-1.LOG", null, EXCHANGE_LINE);
        assertThat(r.line().kind()).isEqualTo(SourceKind.EXCHANGE_RECEIVE);
        assertThat(parsers.formatOf("mx1", "C:/Logs/ProtocolLog/SmtpReceive/RECV2025030110-1.LOG")).isEqualTo(LogFormat.EXCHANGE);
        // known from the name alone: a first line that votes for nothing is Exchange's to judge
        assertThat(parse("SEND2025030110-1.LOG", null, "garbage").error()).isNotEqualTo(StreamParsers.UNRECOGNISED);
        assertThat(parsers.formatOf("mx1", "SEND2025030110-1.LOG")).isEqualTo(LogFormat.EXCHANGE);
    }

    @Test
    void otherwiseTheFirstLineThatVotesDecidesAndStays() {
        assertThat(parse("mail.log", null, CRON_LINE).isIgnored()).isTrue();
        assertThat(parsers.formatOf("mx1", "mail.log")).as("unknown while no line voted").isNull();

        ParseResult first = parse("mail.log", null, POSTFIX_LINE);
        assertThat(first.line().kind()).isEqualTo(SourceKind.POSTFIX_SMTPD);
        assertThat(parsers.formatOf("mx1", "mail.log")).isEqualTo(LogFormat.POSTFIX);

        // decided: an Exim line now is Postfix's to judge, and a garbage line Postfix's error
        assertThat(parse("mail.log", null, EXIM_LINE).isLine()).isFalse();
        assertThat(parse("mail.log", null, "garbage").error()).startsWith("not a syslog line");
        assertThat(parsers.formatOf("mx1", "mail.log")).isEqualTo(LogFormat.POSTFIX);
    }

    @Test
    void eachStreamOfEachHostHasItsOwnParser() {
        parse("mail.log", null, POSTFIX_LINE);
        assertThat(parsers.parse(in("mx1", "exim.log", null, null, EXIM_LINE)).isLine()).isTrue();
        assertThat(parsers.parse(in("mx2", "mail.log", null, null, EXIM_LINE)).isLine()).isTrue();
        assertThat(parsers.formatOf("mx1", "mail.log")).isEqualTo(LogFormat.POSTFIX);
        assertThat(parsers.formatOf("mx1", "exim.log")).isEqualTo(LogFormat.EXIM);
        assertThat(parsers.formatOf("mx2", "mail.log")).isEqualTo(LogFormat.EXIM);
        assertThat(parsers.formatOf("mx3", "mail.log")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            CRON_LINE,                                                   // another program, RFC 3164
            "Jan  1 00:00:01 mx1",                                       // a syslog envelope with no tag
            "2026-01-01T00:00:01Z mx1 dovecot[3]: imap-login: Login",    // another program, ISO
            "2026-01-01T00:00:01Z ",                                     // an ISO time and nothing a syslog reader takes
            "",
            "   ",
            "\t",
            "#",
            "# a comment that is no Exchange header"})
    void beforeTheVoteAnotherProgramsLineOrABlankOrCommentIsIgnored(String line) {
        assertThat(parse("mail.log", null, line).isIgnored()).isTrue();
        assertThat(parsers.formatOf("mx1", "mail.log")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage that is no log line", "2026-01-01T00:00:01Z", "Jan  1 00:00:01", "x#"})
    void beforeTheVoteAnyOtherLineIsAnErrorThatSaysToNameTheFormat(String line) {
        ParseResult r = parse("mail.log", null, line);
        assertThat(r.isError()).isTrue();
        assertThat(r.error()).isEqualTo(StreamParsers.UNRECOGNISED).contains("--format");
        // and it decides nothing: the next line still votes
        assertThat(parse("mail.log", null, EXIM_LINE).isLine()).isTrue();
        assertThat(parsers.formatOf("mx1", "mail.log")).isEqualTo(LogFormat.EXIM);
    }

    @Test
    void aParserMadeMidFileIsPrimedWithTheShippedHeader() {
        String reordered = "#Fields: session-id,date-time,connector-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";
        String line = "08DD0001,2025-03-01T10:00:00.000Z,EX1\\Default,0,10.0.0.5:25,198.51.100.10:2001,+,,";
        assertThat(parsers.parse(in("mx1", "a.log", LogFormat.EXCHANGE, null, line)).isError()).isTrue();
        ParseResult primed = parsers.parse(in("mx1", "b.log", LogFormat.EXCHANGE, reordered, line));
        assertThat(primed.line().sessionId()).isEqualTo("08DD0001");
    }

    @Test
    void aParserChosenByVoteIsPrimedToo() {
        String header = "#Log-type: SMTP Send Protocol Log\n" + DEFAULT_FIELDS;
        ParseResult withHeader = parsers.parse(in("mx1", "a.log", null, header, EXCHANGE_LINE));
        ParseResult without = parsers.parse(in("mx1", "b.log", null, null, EXCHANGE_LINE));
        assertThat(withHeader.line().kind()).isEqualTo(SourceKind.EXCHANGE_SEND);
        assertThat(without.line().kind()).isEqualTo(SourceKind.EXCHANGE_RECEIVE);
    }

    @Test
    void theHeaderOfTheStreamsFirstLineIsTheOneThatPrimes() {
        String header = "#Log-type: SMTP Send Protocol Log\n" + DEFAULT_FIELDS;
        parsers.parse(in("mx1", "a.log", LogFormat.EXCHANGE, header, EXCHANGE_LINE));
        // later lines carry it too; the parser made on the first is kept, not made again
        ParseResult second = parsers.parse(in("mx1", "a.log", LogFormat.EXCHANGE, null,
                EXCHANGE_LINE.replace(",0,", ",1,")));
        assertThat(second.line().kind()).isEqualTo(SourceKind.EXCHANGE_SEND);
    }

    @Test
    void theEndOfAStreamForgetsItsParserSoTheNextFileIsDetectedAfresh() {
        parse("mail.log", null, POSTFIX_LINE);
        parsers.end("mx1", "mail.log");
        assertThat(parsers.formatOf("mx1", "mail.log")).isNull();
        assertThat(parse("mail.log", null, EXIM_LINE).isLine()).isTrue();
        assertThat(parsers.formatOf("mx1", "mail.log")).isEqualTo(LogFormat.EXIM);

        parsers.end("mx1", "never-seen.log"); // harmless
        assertThat(parsers.formatOf("mx1", "mail.log")).isEqualTo(LogFormat.EXIM);
    }

    @Test
    void aSyslogLineWithoutYearTakesItsYearFromTheFirstLinesReferenceAndItsZoneFromTheSettings() {
        StreamParsers paris = new StreamParsers(ZoneId.of("Europe/Paris"), new MapState<>());
        String line = "Jan  1 10:00:00 mx1 postfix/smtpd[12]: connect from b.example[192.0.2.2]";
        ParseResult r = paris.parse(in("mx1", "mail.log", LogFormat.POSTFIX, null, line));
        assertThat(Instant.ofEpochMilli(r.line().time())).isEqualTo(Instant.parse("2026-01-01T09:00:00Z"));
    }

    @Test
    void atMostMaxStreamsParsersAreKeptTheLeastRecentlyUsedGoingFirst() {
        for (int i = 0; i < StreamParsers.MAX_STREAMS; i++) {
            parse("f" + i, LogFormat.POSTFIX, CRON_LINE);
        }
        assertThat(parsers.formatOf("mx1", "f0")).as("all of them kept").isEqualTo(LogFormat.POSTFIX);
        // f0 was just used: f1 is now the eldest
        parse("new", LogFormat.POSTFIX, CRON_LINE);
        assertThat(parsers.formatOf("mx1", "f1")).isNull();
        assertThat(parsers.formatOf("mx1", "f0")).isEqualTo(LogFormat.POSTFIX);
        assertThat(parsers.formatOf("mx1", "new")).isEqualTo(LogFormat.POSTFIX);
    }
}
