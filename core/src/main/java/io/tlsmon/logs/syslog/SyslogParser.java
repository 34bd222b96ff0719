package io.tlsmon.logs.syslog;

import io.tlsmon.logs.LineClock;
import io.tlsmon.logs.StreamInfo;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Reads the syslog envelope shared by Postfix, Sendmail and Exim lines, by hand (no regular
 * expressions, no allocation on success). Accepted forms:
 * <ul>
 *   <li>RFC 3164 / BSD, as written by sysklogd, rsyslog's traditional format, syslog-ng and
 *       {@code journalctl -o short}: {@code Mar  1 12:00:00 host prog[pid]: msg}; the day may be
 *       space-padded, zero-padded or bare; optional fraction ({@code 12:00:00.123456});
 *       optional year before the time ({@code Mar  1 2024 12:00:00}, Cisco/syslog-ng templates);</li>
 *   <li>Postfix's own {@code maillog_file} (postlogd, Postfix 3.4+): the same BSD form,
 *       {@code strftime("%b %d %H:%M:%S")} with a zero-padded day, then the first label of the host
 *       name and {@code postfix/smtpd[pid]:} (Postfix {@code src/util/msg_logger.c});</li>
 *   <li>RFC 3339 / ISO 8601, as written by rsyslog's {@code RSYSLOG_FileFormat} and
 *       {@code journalctl -o short-iso[-precise]}: {@code 2024-03-01T12:00:00.123456+01:00 host prog[pid]: msg};
 *       offsets {@code Z}, {@code +01:00}, {@code +0100} or {@code +01}; a space instead of the {@code T}
 *       (syslog-ng ISO templates) is accepted, and then the offset may follow as its own token;</li>
 *   <li>RFC 5424: {@code <34>1 2024-03-01T12:00:00.123Z host postfix/smtpd 1234 - - msg}, with
 *       structured data skipped and a BOM before the message dropped; also without the
 *       {@code <PRI>} ({@code 1 2024-03-01T12:00:00Z host ...}), as file templates that drop the
 *       priority write it;</li>
 *   <li>any of the first three behind a {@code <PRI>} (raw network syslog captures).</li>
 * </ul>
 * The host may be missing when the tag follows the time directly ({@code Mar 1 12:00:00 prog[1]: msg}).
 * A line whose text after the host is no {@code tag:} (sysklogd's {@code last message repeated 3 times})
 * is a valid envelope without program.
 *
 * <p>Times without a zone are read in {@link StreamInfo#zone()}. Times without a year take it from
 * {@link StreamInfo#referenceEpochMillis()} for the first such line (a date more than a day after
 * the reference belongs to the previous year), then move forward with the stream: a month more than
 * six months before the last one starts the next year (December to January), a month more than six
 * months after it is a late line of the previous year. Lines carrying a year set that year.
 *
 * <p>Not accepted: {@code journalctl -o short-full} ({@code Fri 2024-03-01 12:00:00 CET}, zone names
 * are ambiguous) and a year after the time.
 */
public final class SyslogParser implements LineClock {
    private static final long DAY_MILLIS = 86_400_000L;
    private static final int NO_OFFSET = Integer.MIN_VALUE;

    private final SyslogLine out = new SyslogLine();
    private final LocalTimes localTimes;
    private final ZoneId zone;
    private final long referenceMillis;
    private String error;
    private long lastTime;

    // year inference
    private int currentYear;
    private int lastMonth;

    // fields of the timestamp being read
    private int year;
    private int month;
    private int day;
    private int hour;
    private int minute;
    private int second;
    private int millis;
    private int offsetSeconds;

    public SyslogParser(StreamInfo stream) {
        this(stream.zone(), stream.referenceEpochMillis());
    }

    public SyslogParser(ZoneId zone, long referenceEpochMillis) {
        this.zone = zone == null ? ZoneOffset.UTC : zone;
        this.localTimes = new LocalTimes(this.zone);
        this.referenceMillis = referenceEpochMillis;
    }

    /** The envelope of the last line parsed successfully. */
    public SyslogLine line() {
        return out;
    }

    /** Why the last line was refused: {@code not a syslog line: <reason>}. */
    public String error() {
        return error;
    }

    /**
     * The envelope's time, read by {@link #parse} itself, so that a shipper stamping lines with this
     * clock and the parser of the same stream agree, the inferred year included.
     */
    @Override
    public long timeOf(String line) {
        return parse(line) ? out.time : NO_TIME;
    }

    /**
     * Reads the envelope of {@code line}.
     *
     * @return true when {@link #line()} holds it; false when {@link #error()} says why not
     */
    public boolean parse(String line) {
        error = null;
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        out.reset(line, end);
        if (end == 0) {
            return fail("empty line");
        }
        int p = 0;
        int version = versionEnd(line, 0, end);
        if (version > 0) {
            return parse5424(line, version, end);
        }
        if (line.charAt(0) == '<') {
            int q = 1;
            while (q < end && q < 5 && isDigit(line.charAt(q))) {
                q++;
            }
            if (q == 1 || q >= end || line.charAt(q) != '>') {
                return fail("'<' at start is no <priority>");
            }
            p = q + 1;
            version = versionEnd(line, p, end);
            if (version > 0) {
                return parse5424(line, version, end);
            }
        }
        if (p >= end) {
            return fail("nothing after <priority>");
        }
        char c = line.charAt(p);
        int q;
        if (isLetter(c)) {
            q = scanBsdTime(line, p, end);
        } else if (isDigit(c)) {
            q = scanIsoTime(line, p, end, true);
        } else {
            return fail("no timestamp at start");
        }
        if (q < 0) {
            return false;
        }
        out.time = resolveTime();
        return scanHostAndTag(line, q, end);
    }

    /**
     * Reads an ISO date-time ({@code yyyy-MM-dd HH:mm:ss[.fff][ +hhmm]} or with {@code T}) at
     * {@code from}, followed by a space, for formats that wrap their own timestamp (Exim's mainlog).
     *
     * @return the index after the space, or -1 when {@link #error()} says why not; the time is in
     *         {@link #lastTime()}
     */
    public int readIsoTimestamp(String line, int from, int end) {
        error = null;
        int q = scanIsoTime(line, from, end, true);
        if (q >= 0) {
            lastTime = resolveTime();
        }
        return q;
    }

    /** The time read by the last successful {@link #readIsoTimestamp}, epoch milliseconds. */
    public long lastTime() {
        return lastTime;
    }

    // ---------------------------------------------------------------- RFC 5424

    /**
     * After an RFC 5424 VERSION at {@code p} (one or two digits, not starting with 0, then a space):
     * the index after the space; else -1. No other accepted form starts with a short number and a
     * space (dates start with four digits), so this decides the form.
     */
    private static int versionEnd(String line, int p, int end) {
        if (p + 1 < end && isDigit(line.charAt(p)) && line.charAt(p) != '0') {
            if (line.charAt(p + 1) == ' ') {
                return p + 2;
            }
            if (p + 2 < end && isDigit(line.charAt(p + 1)) && line.charAt(p + 2) == ' ') {
                return p + 3;
            }
        }
        return -1;
    }

    private boolean parse5424(String line, int p, int end) {
        out.rfc5424 = true;
        if (p >= end) {
            return fail("RFC 5424 line ends after the version");
        }
        if (line.charAt(p) == '-') {
            return fail("RFC 5424 line without timestamp");
        }
        int q = scanIsoTime(line, p, end, false);
        if (q < 0) {
            return false;
        }
        out.time = resolveTime();
        // HOSTNAME
        int hostEnd = tokenEnd(line, q, end);
        if (hostEnd == q) {
            return fail("RFC 5424 line without hostname");
        }
        if (!(hostEnd - q == 1 && line.charAt(q) == '-')) {
            out.hostStart = q;
            out.hostEnd = hostEnd;
        }
        if (hostEnd >= end) {
            return fail("RFC 5424 line ends after the hostname");
        }
        // APP-NAME
        int a = hostEnd + 1;
        int appEnd = tokenEnd(line, a, end);
        if (appEnd == a || appEnd >= end) {
            return fail("RFC 5424 line without app-name and procid");
        }
        if (!(appEnd - a == 1 && line.charAt(a) == '-')) {
            out.programStart = a;
            out.programEnd = appEnd;
        }
        // PROCID
        int pr = appEnd + 1;
        int procEnd = tokenEnd(line, pr, end);
        if (procEnd == pr) {
            return fail("RFC 5424 line without procid");
        }
        out.pid = parsePid(line, pr, procEnd);
        if (procEnd >= end) {
            return fail("RFC 5424 line without msgid");
        }
        // MSGID
        int m = procEnd + 1;
        int msgIdEnd = tokenEnd(line, m, end);
        if (msgIdEnd == m || msgIdEnd >= end) {
            return fail("RFC 5424 line without structured data");
        }
        // STRUCTURED-DATA
        int s = msgIdEnd + 1;
        int sdEnd;
        if (s >= end) {
            return fail("RFC 5424 line ends before its structured data");
        }
        if (line.charAt(s) == '-') {
            sdEnd = s + 1;
        } else if (line.charAt(s) == '[') {
            sdEnd = skipStructuredData(line, s, end);
            if (sdEnd < 0) {
                return fail("RFC 5424 structured data not closed");
            }
        } else {
            return fail("RFC 5424 structured data is neither '-' nor '['");
        }
        int msg = sdEnd;
        if (msg < end) {
            if (line.charAt(msg) != ' ') {
                return fail("RFC 5424 structured data not followed by a space");
            }
            msg++;
            if (msg < end && line.charAt(msg) == '\uFEFF') {
                msg++;
            }
        }
        out.messageStart = msg;
        return true;
    }

    private static int skipStructuredData(String line, int p, int end) {
        int i = p;
        while (i < end && line.charAt(i) == '[') {
            boolean quoted = false;
            i++;
            for (; i < end; i++) {
                char c = line.charAt(i);
                if (c == '\\' && quoted) {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ']' && !quoted) {
                    break;
                }
            }
            if (i >= end) {
                return -1;
            }
            i++;
        }
        return i;
    }

    // ---------------------------------------------------------------- host and tag

    private boolean scanHostAndTag(String line, int p, int end) {
        if (p >= end) {
            return fail("nothing after the timestamp");
        }
        int firstEnd = tokenEnd(line, p, end);
        if (firstEnd == p) {
            return fail("two spaces after the timestamp where the host should be");
        }
        if (line.charAt(firstEnd - 1) == ':' && looksLikeTag(line, p, firstEnd - 1)) {
            // no host: the tag follows the time directly
            return readTag(line, p, firstEnd, end);
        }
        out.hostStart = p;
        out.hostEnd = firstEnd;
        if (firstEnd >= end) {
            out.messageStart = end;
            return true;
        }
        int t = firstEnd + 1;
        int tagEnd = tokenEnd(line, t, end);
        if (tagEnd > t && line.charAt(tagEnd - 1) == ':' && looksLikeTag(line, t, tagEnd - 1)) {
            return readTag(line, t, tagEnd, end);
        }
        // A syslog line without tag: valid, but no program to match.
        out.messageStart = t;
        return true;
    }

    /** A tag is a name, optionally followed by {@code [pid]}; a name does not start with a digit or bracket. */
    private static boolean looksLikeTag(String line, int from, int to) {
        if (from >= to) {
            return false;
        }
        char c = line.charAt(from);
        return c != '[' && c != '(' && !isDigit(c);
    }

    /** {@code from..tokenEnd} is {@code prog[pid]:} or {@code prog:}. */
    private boolean readTag(String line, int from, int tokenEnd, int end) {
        int nameEnd = tokenEnd - 1; // before ':'
        out.programStart = from;
        out.programEnd = nameEnd;
        if (nameEnd - from >= 3 && line.charAt(nameEnd - 1) == ']') {
            int open = line.lastIndexOf('[', nameEnd - 1);
            if (open > from) {
                long pid = parsePid(line, open + 1, nameEnd - 1);
                if (pid >= 0) {
                    out.programEnd = open;
                    out.pid = pid;
                }
            }
        }
        out.messageStart = tokenEnd < end ? tokenEnd + 1 : end;
        return true;
    }

    // ---------------------------------------------------------------- timestamps

    /** {@code Mmm d[d] [yyyy ]HH:mm:ss[.f*]} then a space; returns the index after the space or -1. */
    private int scanBsdTime(String line, int p, int end) {
        if (p + 3 > end) {
            return failAt("line too short for a timestamp");
        }
        month = monthOf(line.charAt(p), line.charAt(p + 1), line.charAt(p + 2));
        if (month == 0) {
            return failAt("no month name at start (" + quote(line, p, Math.min(end, p + 3)) + ")");
        }
        int i = p + 3;
        if (i >= end || line.charAt(i) != ' ') {
            return failAt("no space after the month name");
        }
        i++;
        if (i < end && line.charAt(i) == ' ') {
            i++;
        }
        int d = 0;
        int digits = 0;
        while (i < end && isDigit(line.charAt(i)) && digits < 3) {
            d = d * 10 + (line.charAt(i) - '0');
            i++;
            digits++;
        }
        if (digits == 0 || digits > 2) {
            return failAt("no day of month after the month name");
        }
        if (d < 1 || d > LocalTimes.maxDayOfMonth(month)) {
            return failAt("day of month " + d + " out of range");
        }
        day = d;
        if (i >= end || line.charAt(i) != ' ') {
            return failAt("no space after the day of month");
        }
        i++;
        year = 0;
        if (i + 4 < end && isDigit(line.charAt(i)) && isDigit(line.charAt(i + 1)) && isDigit(line.charAt(i + 2))
                && isDigit(line.charAt(i + 3)) && line.charAt(i + 4) == ' ') {
            year = digits4(line, i);
            i += 5;
        }
        i = scanClock(line, i, end);
        if (i < 0) {
            return -1;
        }
        offsetSeconds = NO_OFFSET;
        if (i >= end || line.charAt(i) != ' ') {
            return failAt(i >= end ? "nothing after the timestamp" : "no space after the time");
        }
        return i + 1;
    }

    /**
     * {@code yyyy-MM-dd(T| )HH:mm:ss[.f*][zone]} then a space; returns the index after the space or
     * -1. With {@code allowSpaceZone}, a {@code +hhmm} token after a space-separated date-time is its offset.
     */
    private int scanIsoTime(String line, int p, int end, boolean allowSpaceZone) {
        if (p + 19 > end) {
            return failAt("line too short for an ISO timestamp");
        }
        if (!(isDigit4(line, p) && line.charAt(p + 4) == '-' && isDigit(line.charAt(p + 5)) && isDigit(line.charAt(p + 6))
                && line.charAt(p + 7) == '-' && isDigit(line.charAt(p + 8)) && isDigit(line.charAt(p + 9)))) {
            return failAt("no yyyy-MM-dd date at start (" + quote(line, p, Math.min(end, p + 10)) + ")");
        }
        year = digits4(line, p);
        month = digits2(line, p + 5);
        day = digits2(line, p + 8);
        if (month < 1 || month > 12) {
            return failAt("month " + month + " out of range");
        }
        if (day < 1 || day > LocalTimes.maxDayOfMonth(month) || (month == 2 && day == 29 && !LocalTimes.isLeapYear(year))) {
            return failAt("day of month " + day + " out of range");
        }
        char sep = line.charAt(p + 10);
        if (sep != 'T' && sep != ' ') {
            return failAt("no 'T' or space between date and time");
        }
        int i = scanClock(line, p + 11, end);
        if (i < 0) {
            return -1;
        }
        offsetSeconds = NO_OFFSET;
        if (i < end) {
            char c = line.charAt(i);
            if (c == 'Z' || c == 'z') {
                offsetSeconds = 0;
                i++;
            } else if (c == '+' || c == '-') {
                i = scanOffset(line, i, end);
                if (i < 0) {
                    return -1;
                }
            }
        }
        if (i >= end || line.charAt(i) != ' ') {
            return failAt(i >= end ? "nothing after the timestamp" : "no space after the timestamp");
        }
        i++;
        if (allowSpaceZone && sep == ' ' && offsetSeconds == NO_OFFSET && i + 5 < end
                && (line.charAt(i) == '+' || line.charAt(i) == '-') && isDigit4(line, i + 1) && line.charAt(i + 5) == ' ') {
            i = scanOffset(line, i, end) + 1;
        }
        return i;
    }

    /** {@code HH:mm:ss[.f*]}; returns the index after it or -1. */
    private int scanClock(String line, int i, int end) {
        if (i + 8 > end || !isDigit(line.charAt(i)) || !isDigit(line.charAt(i + 1)) || line.charAt(i + 2) != ':'
                || !isDigit(line.charAt(i + 3)) || !isDigit(line.charAt(i + 4)) || line.charAt(i + 5) != ':'
                || !isDigit(line.charAt(i + 6)) || !isDigit(line.charAt(i + 7))) {
            return failAt("no HH:mm:ss time where expected");
        }
        hour = digits2(line, i);
        minute = digits2(line, i + 3);
        second = digits2(line, i + 6);
        if (hour > 23 || minute > 59 || second > 60) {
            return failAt("time " + quote(line, i, i + 8) + " out of range");
        }
        if (second == 60) {
            second = 59; // leap second: keep it inside the minute
        }
        i += 8;
        millis = 0;
        if (i < end && (line.charAt(i) == '.' || line.charAt(i) == ',')) {
            int f = i + 1;
            int scale = 100;
            while (f < end && isDigit(line.charAt(f))) {
                millis += (line.charAt(f) - '0') * scale;
                scale /= 10;
                f++;
            }
            if (f == i + 1) {
                return failAt("no digits after the decimal point of the time");
            }
            i = f;
        }
        return i;
    }

    /** {@code +hh:mm}, {@code +hhmm} or {@code +hh}. */
    private int scanOffset(String line, int i, int end) {
        int sign = line.charAt(i) == '-' ? -1 : 1;
        int j = i + 1;
        if (j + 2 > end || !isDigit(line.charAt(j)) || !isDigit(line.charAt(j + 1))) {
            return failAt("bad UTC offset in the timestamp");
        }
        int h = digits2(line, j);
        j += 2;
        int m = 0;
        if (j < end && line.charAt(j) == ':') {
            if (j + 3 > end || !isDigit(line.charAt(j + 1)) || !isDigit(line.charAt(j + 2))) {
                return failAt("bad UTC offset in the timestamp");
            }
            m = digits2(line, j + 1);
            j += 3;
        } else if (j + 2 <= end && isDigit(line.charAt(j)) && isDigit(line.charAt(j + 1))) {
            m = digits2(line, j);
            j += 2;
        }
        if (h > 18 || m > 59) {
            return failAt("UTC offset out of range");
        }
        offsetSeconds = sign * (h * 3600 + m * 60);
        return j;
    }

    /** Epoch millis of the fields just scanned, inferring a missing year and reading a missing zone. */
    private long resolveTime() {
        int y = year;
        if (y == 0) {
            y = inferYear();
        } else if (plausibleYear(y)) {
            currentYear = y;
            lastMonth = month;
        }
        long local = LocalTimes.localEpochSecond(y, month, day, hour, minute, second);
        return offsetSeconds == NO_OFFSET ? localTimes.toEpochMillis(local, millis)
                : LocalTimes.toEpochMillis(local, millis, offsetSeconds);
    }

    /**
     * Whether a line's own year may carry the stream's year on to the yearless lines after it: one
     * line from a clock set decades off must not date every RFC 3164 line after it in that decade.
     */
    private boolean plausibleYear(int y) {
        return currentYear == 0 || Math.abs(y - currentYear) <= 1;
    }

    private int inferYear() {
        if (currentYear == 0) {
            int refYear = Instant.ofEpochMilli(referenceMillis).atZone(zone).getYear();
            long candidate = localTimes.toEpochMillis(
                    LocalTimes.localEpochSecond(refYear, month, day, hour, minute, second), millis);
            currentYear = candidate > referenceMillis + DAY_MILLIS ? refYear - 1 : refYear;
            lastMonth = month;
            return currentYear;
        }
        int diff = month - lastMonth;
        if (diff <= -6) {
            currentYear++;
            lastMonth = month;
            return currentYear;
        }
        if (diff >= 6) {
            return currentYear - 1; // a late line from before the new year: the stream's year stays
        }
        lastMonth = month;
        return currentYear;
    }

    // ---------------------------------------------------------------- small helpers

    private boolean fail(String reason) {
        error = "not a syslog line: " + reason;
        return false;
    }

    private int failAt(String reason) {
        fail(reason);
        return -1;
    }

    static String quote(String line, int from, int to) {
        return "'" + line.substring(from, to) + "'";
    }

    private static int tokenEnd(String line, int p, int end) {
        int i = p;
        while (i < end && line.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    /** The decimal number {@code line[from, to)} (at most 18 digits), or -1 when it is none: pids in tags, Exim's {@code [pid]}. */
    public static long parsePid(String line, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isDigit4(String s, int p) {
        return isDigit(s.charAt(p)) && isDigit(s.charAt(p + 1)) && isDigit(s.charAt(p + 2)) && isDigit(s.charAt(p + 3));
    }

    private static int digits2(String s, int p) {
        return (s.charAt(p) - '0') * 10 + (s.charAt(p + 1) - '0');
    }

    private static int digits4(String s, int p) {
        return digits2(s, p) * 100 + digits2(s, p + 2);
    }

    /** 1..12 for an English month abbreviation (any case), else 0. */
    static int monthOf(char a, char b, char c) {
        int x = a | 0x20;
        int y = b | 0x20;
        int z = c | 0x20;
        switch (x) {
            case 'j':
                if (y == 'a' && z == 'n') return 1;
                if (y == 'u' && z == 'n') return 6;
                if (y == 'u' && z == 'l') return 7;
                return 0;
            case 'f':
                return y == 'e' && z == 'b' ? 2 : 0;
            case 'm':
                if (y == 'a' && z == 'r') return 3;
                if (y == 'a' && z == 'y') return 5;
                return 0;
            case 'a':
                if (y == 'p' && z == 'r') return 4;
                if (y == 'u' && z == 'g') return 8;
                return 0;
            case 's':
                return y == 'e' && z == 'p' ? 9 : 0;
            case 'o':
                return y == 'c' && z == 't' ? 10 : 0;
            case 'n':
                return y == 'o' && z == 'v' ? 11 : 0;
            case 'd':
                return y == 'e' && z == 'c' ? 12 : 0;
            default:
                return 0;
        }
    }
}
