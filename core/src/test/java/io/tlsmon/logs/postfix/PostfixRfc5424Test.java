package io.tlsmon.logs.postfix;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.FormatDetector;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.Parsers;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.pipeline.LogPipeline;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Postfix log written three ways: RFC 3164 (as {@code maillog_file} and rsyslog's traditional
 * format write it), RFC 5424 (rsyslog's {@code RSYSLOG_SyslogProtocol23Format}) and RFC 5424 without
 * its priority. The lines were composed for this test from the Postfix messages in
 * shared/reference/log-formats.md §2.1; the three forms must read the same everywhere.
 */
class PostfixRfc5424Test {
    /** Near the end of the log: the RFC 3164 dates, which have no year, belong to 2026. */
    private static final long REFERENCE = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    private static final List<String> RFC3164 = List.of(
            "Nov 29 07:39:00 mx systemd[1]: Started Postfix Mail Transport Agent.",
            "Nov 29 07:39:04 mx postfix/smtpd[14532]: connect from unknown[192.0.2.1]",
            "Nov 29 07:39:04 mx postfix/smtpd[14532]: SSL_accept error from unknown[192.0.2.1]: lost connection",
            "Nov 29 07:39:04 mx postfix/smtpd[14532]: lost connection after STARTTLS from unknown[192.0.2.1]",
            "Nov 29 07:39:05 mx dovecot[77]: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=192.0.2.9",
            "Nov 29 07:39:05 mx postfix/smtpd[14532]: disconnect from unknown[192.0.2.1] ehlo=1 starttls=0/1 commands=1/2",
            "Nov 29 07:40:10 mx postfix/smtp[14600]: Untrusted TLS connection established to mx.example.net[198.51.100.7]:25: "
                    + "TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
            "Nov 29 07:40:11 mx postfix/smtp[14600]: 4F3A21C0D2: to=<a@example.net>, relay=mx.example.net[198.51.100.7]:25, "
                    + "delay=1.2, delays=0.1/0/0.6/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)");

    private static final List<String> RFC5424 = List.of(
            "<30>1 2026-11-29T07:39:00.000000+00:00 mx systemd 1 - - Started Postfix Mail Transport Agent.",
            "<22>1 2026-11-29T07:39:04.000000+00:00 mx postfix/smtpd 14532 - - connect from unknown[192.0.2.1]",
            "<22>1 2026-11-29T07:39:04.000000+00:00 mx postfix/smtpd 14532 - - SSL_accept error from unknown[192.0.2.1]: lost connection",
            "<22>1 2026-11-29T07:39:04.000000+00:00 mx postfix/smtpd 14532 - - lost connection after STARTTLS from unknown[192.0.2.1]",
            "<22>1 2026-11-29T07:39:05.000000+00:00 mx dovecot 77 - - imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=192.0.2.9",
            "<22>1 2026-11-29T07:39:05.000000+00:00 mx postfix/smtpd 14532 - - disconnect from unknown[192.0.2.1] ehlo=1 starttls=0/1 commands=1/2",
            "<22>1 2026-11-29T07:40:10.000000+00:00 mx postfix/smtp 14600 - - Untrusted TLS connection established to "
                    + "mx.example.net[198.51.100.7]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
            "<22>1 2026-11-29T07:40:11.000000+00:00 mx postfix/smtp 14600 - - 4F3A21C0D2: to=<a@example.net>, "
                    + "relay=mx.example.net[198.51.100.7]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)");

    private static final List<String> RFC5424_WITHOUT_PRI = RFC5424.stream().map(l -> l.substring(l.indexOf('>') + 1)).toList();

    private static StreamInfo stream() {
        return new StreamInfo(null, "maillog", ZoneOffset.UTC, REFERENCE);
    }

    /** What a parsed line says, its time included (toString leaves the time out). */
    private static List<String> parsed(List<String> lines) {
        LineParser parser = Parsers.forFormat(LogFormat.POSTFIX, stream());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ParseResult r = parser.parse(lines.get(i), i + 1);
            assertThat(r.isError()).as("%s: %s", lines.get(i), r).isFalse();
            out.add(r.isLine() ? Instant.ofEpochMilli(r.line().time()) + " " + r.line() : "ignored");
        }
        return out;
    }

    private static List<LogFormat> votes(List<String> lines) {
        return lines.stream().map(FormatDetector::voteOf).toList();
    }

    private static List<NegotiationAttempt> classified(List<String> lines, LogFormat format) {
        List<NegotiationAttempt> out = new ArrayList<>();
        LogPipeline.Options options = LogPipeline.Options.defaults().withFormat(format);
        try (LogPipeline p = new LogPipeline(options, out::add)) {
            try (LogPipeline.StreamReader s = p.openStream("maillog", REFERENCE)) {
                for (int i = 0; i < lines.size(); i++) {
                    s.line(lines.get(i), i + 1);
                }
            }
        }
        return out;
    }

    @Test
    void theThreeFormsParseToTheSameLines() {
        List<String> expected = parsed(RFC3164);

        assertThat(expected).filteredOn(l -> !l.equals("ignored")).hasSize(6);
        assertThat(expected.get(1)).startsWith("2026-11-29T07:39:04Z ParsedLine{CONNECT postfix-smtpd mx postfix/smtpd[14532]");
        assertThat(expected.get(6)).contains("version=TLSv1.2").contains("host=mx.example.net");
        assertThat(parsed(RFC5424)).isEqualTo(expected);
        assertThat(parsed(RFC5424_WITHOUT_PRI)).isEqualTo(expected);
    }

    @Test
    void theThreeFormsVoteAlikeAndOnlyPostfixLinesVote() {
        List<LogFormat> expected = votes(RFC3164);

        assertThat(expected).containsExactly(null, LogFormat.POSTFIX, LogFormat.POSTFIX, LogFormat.POSTFIX, null,
                LogFormat.POSTFIX, LogFormat.POSTFIX, LogFormat.POSTFIX);
        assertThat(votes(RFC5424)).isEqualTo(expected);
        assertThat(votes(RFC5424_WITHOUT_PRI)).isEqualTo(expected);
    }

    /** What {@code tlsmon classify} does without {@code --format}: the attempts are those of {@code --format postfix}. */
    @Test
    void detectedWithoutBeingToldEachFormGivesTheAttemptsOfTheExplicitFormat() {
        List<NegotiationAttempt> told = classified(RFC3164, LogFormat.POSTFIX);

        assertThat(told).extracting(NegotiationAttempt::getOutcome)
                .containsExactlyInAnyOrder(Outcome.CONNECTION_DROPPED, Outcome.OK);
        for (List<String> form : List.of(RFC3164, RFC5424, RFC5424_WITHOUT_PRI)) {
            assertThat(classified(form, null)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("evidence")
                    .containsExactlyInAnyOrderElementsOf(told);
        }
    }

    /**
     * The log of the issue: RFC 5424 Postfix lines none of which has a {@code ]: } (the tag is no
     * {@code prog[pid]:} in RFC 5424), so a detector looking for it found no format and the log gave
     * no attempt unless {@code --format postfix} was given.
     */
    @Test
    void anRfc5424LogWithoutAnyBracketColonIsStillDetected() {
        List<String> log = RFC5424.stream().filter(l -> !l.contains("SSL_accept")).toList();
        assertThat(log).noneMatch(l -> l.contains("]: "));

        List<NegotiationAttempt> detected = classified(log, null);

        assertThat(detected).extracting(NegotiationAttempt::getOutcome)
                .containsExactlyInAnyOrder(Outcome.CONNECTION_DROPPED, Outcome.OK);
        assertThat(detected).usingRecursiveFieldByFieldElementComparatorIgnoringFields("evidence")
                .containsExactlyInAnyOrderElementsOf(classified(log, LogFormat.POSTFIX));
    }
}
