package io.tlsmon.logs.exchange;

import io.tlsmon.logs.SourceKind;

import java.util.Locale;

/**
 * The header of one Exchange protocol-log file, as far as it matters for reading its lines: the
 * {@code #Log-type} line (send or receive, or another Exchange log) and the {@code #Fields} line (the
 * column order). Exchange repeats the header at the top of every file; a shipper that starts
 * mid-file captures it here from the file's head and sends {@link #text()} with each line, and the
 * parser reads it back through the same {@link #offer}.
 *
 * <p>One instance per file; not thread-safe.
 */
public final class ExchangeHeader {
    private static final String LOG_TYPE = "#Log-type:";
    private static final String FIELDS = "#Fields:";

    private String logTypeLine;
    private String fieldsLine;
    private SourceKind side;
    private boolean otherLog;
    private FieldLayout layout = FieldLayout.DEFAULT;

    /**
     * Notes {@code line} when it is a header line: one starting with {@code #}, after a byte-order
     * mark. {@code #Log-type} and {@code #Fields} are kept (a later one replaces an earlier one, as in
     * a file Exchange appended a new header to); {@code #Software}, {@code #Version}, {@code #Date}
     * say nothing the lines need.
     *
     * @return whether the line is a header line, which holds no protocol event
     */
    public boolean offer(String line) {
        int from = line.startsWith("\uFEFF") ? 1 : 0;
        if (line.length() <= from || line.charAt(from) != '#') {
            return false;
        }
        int to = line.length();
        if (line.charAt(to - 1) == '\r') {
            to--;
        }
        if (line.regionMatches(true, from, LOG_TYPE, 0, LOG_TYPE.length())) {
            logTypeLine = line.substring(from, to);
            String type = logTypeLine.substring(LOG_TYPE.length()).trim().toUpperCase(Locale.ROOT);
            side = type.startsWith("SMTP SEND") ? SourceKind.EXCHANGE_SEND
                    : type.startsWith("SMTP RECEIVE") ? SourceKind.EXCHANGE_RECEIVE : null;
            otherLog = side == null;
        } else if (line.regionMatches(true, from, FIELDS, 0, FIELDS.length())) {
            fieldsLine = line.substring(from, to);
            layout = FieldLayout.fromHeader(fieldsLine.substring(FIELDS.length()));
        }
        return true;
    }

    /** Forgets what was noted: the file is read again from its start. */
    public void clear() {
        logTypeLine = null;
        fieldsLine = null;
        side = null;
        otherLog = false;
        layout = FieldLayout.DEFAULT;
    }

    /**
     * The {@code #Log-type} and {@code #Fields} lines noted, in that order, joined by a line feed;
     * null when neither was seen. This is the {@code header} a shipped line carries.
     */
    public String text() {
        if (logTypeLine == null) {
            return fieldsLine;
        }
        return fieldsLine == null ? logTypeLine : logTypeLine + "\n" + fieldsLine;
    }

    /** {@link SourceKind#EXCHANGE_SEND} or {@link SourceKind#EXCHANGE_RECEIVE} from {@code #Log-type}; null when it named neither or was not seen. */
    public SourceKind side() {
        return side;
    }

    /** Whether {@code #Log-type} names another Exchange log (message tracking, for one), whose lines are not protocol events. */
    public boolean isOtherLog() {
        return otherLog;
    }

    /** The column order of {@code #Fields}, or Exchange's default order. */
    FieldLayout layout() {
        return layout;
    }

    /**
     * Whether the line is a header only Exchange writes: {@code #Software: Microsoft Exchange ...} or
     * {@code #Log-type: SMTP ...}. The other header lines ({@code #Fields}, {@code #Date}) are the W3C
     * extended log format that IIS writes too.
     */
    public static boolean namesExchange(String line) {
        int from = line.startsWith("\uFEFF") ? 1 : 0;
        return line.startsWith("#Software: Microsoft Exchange", from) || line.startsWith("#Log-type: SMTP", from);
    }
}
