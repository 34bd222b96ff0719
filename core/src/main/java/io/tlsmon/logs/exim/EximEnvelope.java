package io.tlsmon.logs.exim;

import io.tlsmon.logs.LineClock;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.syslog.MtaPrograms;
import io.tlsmon.logs.syslog.SyslogLine;
import io.tlsmon.logs.syslog.SyslogParser;

/**
 * Where the Exim text of a line starts, and what came before it: the time, the host, the pid. Exim
 * writes its mainlog with its own clock ({@code 2024-03-01 12:00:00[.mmm][ +0100] [pid] ...}), and
 * the same text reaches syslog behind any envelope {@link SyslogParser} reads, or behind only
 * {@code host exim[pid]: } with Exim's own time after it. The {@link EximLogParser} reads the text
 * from here; as a {@link LineClock} this gives the time the parser gives.
 *
 * <p>One instance per stream (the syslog year moves with it); {@link #read} rewrites the fields.
 */
public final class EximEnvelope implements LineClock {
    private static final String NOT_EXIM = "not an Exim log line: ";

    private final SyslogParser syslog;

    private String line;
    private int textStart;
    private int end;
    private long time;
    private String host;
    private long pid;

    public EximEnvelope(StreamInfo stream) {
        this.syslog = new SyslogParser(stream);
    }

    /**
     * Reads the envelope of {@code line} (not empty).
     *
     * @return null when the line is Exim's and the fields hold it; "" for a syslog line of another
     *         program (then only {@link #time()} and {@link #host()} are set); else why the line is
     *         no Exim line
     */
    public String read(String line) {
        this.line = line;
        end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        host = null;
        pid = -1;
        time = Long.MIN_VALUE;
        if (end == 0) {
            return NOT_EXIM + "empty line";
        }
        if (startsWithEximClock(line, 0, end)) {
            int q = syslog.readIsoTimestamp(line, 0, end);
            if (q < 0) {
                return NOT_EXIM + syslog.error().substring("not a syslog line: ".length());
            }
            time = syslog.lastTime();
            int afterTag = eximSyslogTag(line, q);
            if (afterTag >= 0) {
                host = line.substring(q, line.indexOf(' ', q));
                afterEximTag(afterTag, time);
                return null;
            }
            textStart = q;
            skipPid();
            return null;
        }
        if (syslog.parse(line)) {
            SyslogLine env = syslog.line();
            time = env.time();
            host = env.host();
            if (MtaPrograms.formatOf(env) != LogFormat.EXIM) {
                return "";
            }
            // skipInnerTimestamp keeps the envelope's time
            pid = env.pid();
            textStart = env.messageStart();
            skipInnerTimestamp();
            skipPid();
            return null;
        }
        // "host exim[pid]: 2024-03-01 12:00:00 ..." (a syslog that kept no time of its own)
        int afterTag = eximSyslogTag(line, 0);
        if (afterTag >= 0) {
            host = line.substring(0, line.indexOf(' '));
            afterEximTag(afterTag, Long.MIN_VALUE);
            return time == Long.MIN_VALUE ? NOT_EXIM + "syslog line without a time of its own or of Exim's" : null;
        }
        return syslog.error();
    }

    /** Exim's time, else the syslog envelope's, for an Exim line or a syslog line of another program. */
    @Override
    public long timeOf(String line) {
        String refused = read(line);
        return (refused == null || refused.isEmpty()) && time != Long.MIN_VALUE ? time : NO_TIME;
    }

    /** Whether {@code line} starts with Exim's own {@code yyyy-MM-dd HH:mm:ss} (as the mainlog does). */
    static boolean startsWithEximClock(String line, int p, int end) {
        return end - p > 19 && SyslogParser.isDigit(line.charAt(p)) && line.charAt(p + 4) == '-' && line.charAt(p + 10) == ' ';
    }

    /** The line last read. */
    public String line() { return line; }

    /** Index of the first character of Exim's text (after its time and pid). */
    public int textStart() { return textStart; }

    /** Index just past the line's last character, a trailing CR excluded. */
    public int end() { return end; }

    /** Epoch milliseconds UTC; {@code Long.MIN_VALUE} when the line was refused. */
    public long time() { return time; }

    /** The host the envelope names, or null (Exim's mainlog names none). */
    public String host() { return host; }

    /** Exim's pid from {@code exim[pid]:} or {@code [pid]} after the time, or -1. */
    public long pid() { return pid; }

    /** When {@code host exim[pid]: } starts at {@code p}, sets the pid and returns the index after it; else -1. */
    private int eximSyslogTag(String line, int p) {
        int sp = line.indexOf(' ', p);
        if (sp <= p || sp + 5 >= end || !line.startsWith("exim", sp + 1)) {
            return -1;
        }
        int tagEnd = line.indexOf(' ', sp + 1);
        if (tagEnd < 0 || tagEnd > end) {
            tagEnd = end;
        }
        if (line.charAt(tagEnd - 1) != ':') {
            return -1;
        }
        int open = line.indexOf('[', sp + 1);
        if (open > 0 && open < tagEnd) {
            pid = SyslogParser.parsePid(line, open + 1, tagEnd - 2);
        }
        return Math.min(tagEnd + 1, end);
    }

    /** Positions after {@code exim[pid]: }, keeping {@code envelopeTime} unless it is {@code Long.MIN_VALUE}. */
    private void afterEximTag(int p, long envelopeTime) {
        textStart = p;
        time = envelopeTime;
        skipInnerTimestamp();
        skipPid();
    }

    /** Exim's own time inside a syslog message: used when the envelope had none. */
    private void skipInnerTimestamp() {
        if (startsWithEximClock(line, textStart, end)) {
            int q = syslog.readIsoTimestamp(line, textStart, end);
            if (q > 0) {
                if (time == Long.MIN_VALUE) {
                    time = syslog.lastTime();
                }
                textStart = q;
            }
        }
    }

    private void skipPid() {
        int m = textStart;
        if (m < end && line.charAt(m) == '[') {
            int close = line.indexOf(']', m);
            if (close > m + 1 && close + 1 < end && line.charAt(close + 1) == ' ') {
                long p = SyslogParser.parsePid(line, m + 1, close);
                if (p >= 0) {
                    pid = p;
                    textStart = close + 2;
                }
            }
        }
    }

}
