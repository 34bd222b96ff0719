package io.tlsmon.logs;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Guesses the format of a stream from its first lines. Each line votes for at most one format;
 * the format with most votes wins. A mail log often mixes programs (Postfix beside a Dovecot or a
 * cron line), so one line never decides alone unless it is an Exchange header.
 */
public final class FormatDetector {
    /** {@code RECV2023011116-1.LOG}, {@code SEND20250301-12.LOG}: Exchange's protocol-log names, any case, maybe gzip'd. */
    private static final java.util.regex.Pattern EXCHANGE_FILE =
            java.util.regex.Pattern.compile("(?i)(RECV|SEND)\\d{6,10}-\\d+\\.LOG(\\.gz)?");
    private final Map<LogFormat, Integer> votes = new EnumMap<>(LogFormat.class);
    private int linesSeen;
    private LogFormat certain;

    /** Feeds one line; returns true once the answer can no longer change. */
    public boolean offer(String line) {
        if (certain != null) {
            return true;
        }
        linesSeen++;
        if (isExchangeHeader(line)) {
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

    /** The format {@code line} alone speaks for, or null when it names none (another program's line, garbage). */
    public static LogFormat voteOf(String line) {
        if (looksLikeExchangeCsv(line) || isExchangeHeader(line)) {
            return LogFormat.EXCHANGE;
        }
        if (line.contains("postfix") && line.contains("]: ")) {
            return LogFormat.POSTFIX;
        }
        if (line.contains(" sendmail[") || line.contains(" sm-mta[") || line.contains("STARTTLS=client")
                || line.contains("STARTTLS=server")) {
            return LogFormat.SENDMAIL;
        }
        if (line.contains(" exim[") || line.contains("TLS error on connection") || line.contains(" <= ")
                || line.contains(" => ") || line.contains(" C=EHLO")) {
            return LogFormat.EXIM;
        }
        return null;
    }

    private static boolean isExchangeHeader(String line) {
        return line.startsWith("#Software: Microsoft Exchange") || line.startsWith("#Log-type: SMTP")
                || line.startsWith("\uFEFF#Software: Microsoft Exchange");
    }

    /** {@code 2023-01-11T15:59:51.433Z,connector,...}: an ISO timestamp ending in Z and a comma. */
    private static boolean looksLikeExchangeCsv(String line) {
        int start = line.startsWith("\uFEFF") ? 1 : 0;
        if (line.length() < start + 25) {
            return false;
        }
        int z = line.indexOf("Z,", start);
        return z >= start + 19 && z <= start + 30 && line.charAt(start + 4) == '-' && line.charAt(start + 10) == 'T'
                && line.indexOf(',', z + 2) > 0;
    }

    /** Detects from a path alone when the name is unambiguous (Exchange's RECV/SEND files). */
    public static Optional<LogFormat> fromPath(String path) {
        String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        return EXCHANGE_FILE.matcher(name).matches() ? Optional.of(LogFormat.EXCHANGE) : Optional.empty();
    }
}
