package io.tlsmon.logs;

import io.tlsmon.logs.exchange.ExchangeHeader;
import io.tlsmon.logs.exchange.ExchangeLogFiles;
import io.tlsmon.logs.exchange.ExchangeLogParser;
import io.tlsmon.logs.exim.EximEnvelope;
import io.tlsmon.logs.syslog.MtaPrograms;
import io.tlsmon.logs.syslog.SyslogParser;

import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Guesses the format of a stream from its first lines. Each line votes for at most one format;
 * the format with most votes wins. A mail log often mixes programs (Postfix beside a Dovecot or a
 * cron line), so one line never decides alone unless it is an Exchange header.
 */
public final class FormatDetector {
    private final Map<LogFormat, Integer> votes = new EnumMap<>(LogFormat.class);
    private int linesSeen;
    private LogFormat certain;

    /** Feeds one line; returns true once the answer can no longer change. */
    public boolean offer(String line) {
        if (certain != null) {
            return true;
        }
        linesSeen++;
        if (ExchangeHeader.namesExchange(line)) {
            certain = LogFormat.EXCHANGE;
            return true;
        }
        LogFormat vote = voteOf(line);
        if (vote != null) {
            votes.merge(vote, 1, Integer::sum);
        }
        return false;
    }

    /** The best guess so far, if any line voted. */
    public Optional<LogFormat> result() {
        if (certain != null) {
            return Optional.of(certain);
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    public int linesSeen() {
        return linesSeen;
    }

    /**
     * The format one line speaks for, or null. A syslog line (any envelope {@link SyslogParser}
     * reads: RFC 3164, ISO, RFC 5424 with or without {@code <PRI>}, Postfix's {@code maillog_file})
     * votes by its program tag alone ({@link MtaPrograms}): a cron, dovecot or systemd line in a mail
     * log votes for nothing, whatever its text mentions. Exchange votes by its CSV line or its own
     * header; Exim also by its mainlog, which has no syslog tag.
     */
    public static LogFormat voteOf(String line) {
        if (line == null || line.isEmpty()) {
            return null;
        }
        if (ExchangeHeader.namesExchange(line) || ExchangeLogParser.isProtocolLogLine(line)) {
            return LogFormat.EXCHANGE;
        }
        // the times are not wanted: any zone and reference do
        StreamInfo any = new StreamInfo(null, null, ZoneOffset.UTC, 0L);
        SyslogParser syslog = new SyslogParser(any);
        if (syslog.parse(line) && syslog.line().hasProgram()) {
            return MtaPrograms.formatOf(syslog.line());
        }
        // Exim's mainlog reads as a syslog line without tag (time, then a word); the Exim envelope knows it
        return new EximEnvelope(any).read(line) == null ? LogFormat.EXIM : null;
    }

    /** Detects from a path alone when the name is unambiguous (Exchange's RECV/SEND files). */
    public static Optional<LogFormat> fromPath(String path) {
        return ExchangeLogFiles.hasProtocolLogName(path) ? Optional.of(LogFormat.EXCHANGE) : Optional.empty();
    }
}
