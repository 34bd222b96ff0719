package io.tlsmon.logs.syslog;

/**
 * The envelope of one syslog line, as found by {@link SyslogParser}: time, host, program tag, pid
 * and where the message starts. It holds offsets into the line rather than substrings, so that a
 * parser can dismiss lines of other programs without allocating; the string accessors allocate.
 *
 * <p>An instance is owned by one {@link SyslogParser} and rewritten by each call of
 * {@link SyslogParser#parse(String)}: read what you need before parsing the next line.
 */
public final class SyslogLine {
    String line;
    int end;
    long time;
    int hostStart;
    int hostEnd;
    int programStart;
    int programEnd;
    long pid;
    int messageStart;
    boolean rfc5424;

    SyslogLine() {
    }

    void reset(String line, int end) {
        this.line = line;
        this.end = end;
        this.time = 0;
        this.hostStart = -1;
        this.hostEnd = -1;
        this.programStart = -1;
        this.programEnd = -1;
        this.pid = -1;
        this.messageStart = end;
        this.rfc5424 = false;
    }

    /** The whole line as given to the parser. */
    public String line() { return line; }

    /** Index just past the last character of the line, a trailing CR excluded. */
    public int end() { return end; }

    /** Event time, epoch milliseconds UTC. */
    public long time() { return time; }

    /** The host named by the envelope, or null when the line names none (RFC 5424 {@code -}, or a local log without host). */
    public String host() {
        return hostStart < 0 ? null : line.substring(hostStart, hostEnd);
    }

    public boolean hasProgram() { return programStart >= 0; }

    /**
     * Whether the line is RFC 5424, where HOSTNAME and APP-NAME are fields of their own. In the other
     * forms the word after the time is a host only by position, and is not one when no tag follows
     * (an Exim mainlog line, {@code 2024-03-01 12:00:00 1abcDE-000123-AB <= ...}, reads as time, word, text).
     */
    public boolean isRfc5424() { return rfc5424; }

    /** The program tag without its pid: {@code postfix/submission/smtpd}; null when the line has no tag. */
    public String program() {
        return programStart < 0 ? null : line.substring(programStart, programEnd);
    }

    /** The pid from {@code prog[pid]:} (or the RFC 5424 PROCID when numeric), or -1. */
    public long pid() { return pid; }

    /** Index of the first character of the message in {@link #line()}. */
    public int messageStart() { return messageStart; }

    /** The message text after the tag; allocates. */
    public String message() {
        return line.substring(messageStart, end);
    }

    /** Whether the program tag equals {@code name}, without allocating. */
    public boolean programIs(String name) {
        return programStart >= 0 && programEnd - programStart == name.length()
                && line.startsWith(name, programStart);
    }

    /** Whether the program tag ends with {@code suffix}, without allocating. */
    public boolean programEndsWith(String suffix) {
        return programStart >= 0 && programEnd - programStart >= suffix.length()
                && line.startsWith(suffix, programEnd - suffix.length());
    }

    /** Whether the program tag starts with {@code prefix}, without allocating. */
    public boolean programStartsWith(String prefix) {
        return programStart >= 0 && programEnd - programStart >= prefix.length()
                && line.startsWith(prefix, programStart);
    }

    /** Whether the message starts with {@code prefix}, without allocating. */
    public boolean messageStartsWith(String prefix) {
        return line.startsWith(prefix, messageStart) && messageStart + prefix.length() <= end;
    }

    @Override
    public String toString() {
        return "SyslogLine{time=" + time + ", host=" + host() + ", program=" + program() + ", pid=" + pid
                + ", message=" + (line == null ? null : message()) + '}';
    }
}
