package io.tlsmon.logs.syslog;

import java.time.ZoneOffset;

/**
 * The host a syslog line names in its envelope, read by {@link SyslogParser}, so that a line
 * shipped without any other word of its origin still says which server wrote it, and says it as the
 * parsers read it. Every envelope the parser accepts counts: RFC 3164 with or without a year,
 * Postfix's {@code maillog_file}, RFC 3339 / ISO, RFC 5424 with or without {@code <PRI>}.
 */
public final class SyslogHost {
    private SyslogHost() {
    }

    /**
     * The host of {@code line}, or null when the line is no syslog line (Exchange CSV), names no host
     * (a local log with the tag right after the time, RFC 5424 {@code -}), or has no tag after the word
     * in the host's place. RFC 3164 and ISO lines give the host by position only, and a line without a
     * tag is as likely some other log with a leading time (Exim's mainlog puts a message id there).
     */
    public static String of(String line) {
        if (line == null || line.isEmpty()) {
            return null;
        }
        // the time is not wanted: any zone and reference do
        SyslogParser parser = new SyslogParser(ZoneOffset.UTC, 0L);
        if (!parser.parse(line)) {
            return null;
        }
        SyslogLine env = parser.line();
        return env.isRfc5424() || env.hasProgram() ? env.host() : null;
    }
}
