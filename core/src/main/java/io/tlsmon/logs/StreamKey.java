package io.tlsmon.logs;

import java.util.Locale;

/**
 * Which stream of raw lines a line belongs to: the mail server that wrote it and the log kind (the
 * {@link LogFormat}, or none when the parser is to detect it). Its text form, {@code host|kind} with
 * {@code auto} for a kind left to detection, is the key of raw-line records: every line of one
 * server's log lands in one partition, and a record can be sent on with its key unchanged. This is
 * the one place that writes and reads that form.
 *
 * @param sourceHost the host; null when unknown (the key {@code |postfix})
 * @param logKind    the format; null to detect it from the lines
 */
public record StreamKey(String sourceHost, LogFormat logKind) {
    /** Between host and kind. A host name never contains it; a kind is split off at the last one. */
    public static final char SEPARATOR = '|';
    /** The kind word for "detect the format from the lines". */
    public static final String AUTO = "auto";

    public static StreamKey of(String sourceHost, LogFormat logKind) {
        return new StreamKey(sourceHost, logKind);
    }

    /** {@code host|kind}: {@code mx1|postfix}, {@code mx1|auto}; a null host is written empty. */
    public String format() {
        return (sourceHost == null ? "" : sourceHost) + SEPARATOR + kindLabel(logKind);
    }

    @Override
    public String toString() {
        return format();
    }

    /**
     * Reads {@code host|kind}, or a bare {@code host} (a key some other shipper set), both trimmed. A
     * blank host is null; the kind is read by {@link #parseKind}.
     *
     * @throws UnknownLogKindException when the kind is none of the known ones
     */
    public static StreamKey parse(String text) {
        String t = text.trim();
        int bar = t.lastIndexOf(SEPARATOR);
        String host = (bar < 0 ? t : t.substring(0, bar)).trim();
        LogFormat kind = bar < 0 ? null : parseKind(t.substring(bar + 1));
        return new StreamKey(host.isEmpty() ? null : host, kind);
    }

    /**
     * Reads a log kind as keys, shipper settings and envelope fields name it: blank or {@code auto}
     * (any case) is null, detect; a format's label in any case is that format.
     *
     * @throws UnknownLogKindException for anything else: a typo in a shipper's setting must be seen,
     *         not guessed around
     */
    public static LogFormat parseKind(String text) {
        String k = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (k.isEmpty() || k.equals(AUTO)) {
            return null;
        }
        for (LogFormat f : LogFormat.values()) {
            if (f.label().equals(k)) {
                return f;
            }
        }
        throw new UnknownLogKindException(text);
    }

    /** The kind as the key writes it: the format's label, or {@code auto}. */
    public static String kindLabel(LogFormat kind) {
        return kind == null ? AUTO : kind.label();
    }

    /** A kind that is none of exchange, postfix, sendmail, exim or auto. */
    public static final class UnknownLogKindException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        /** What the words accepted are, for messages that name the refused one. */
        public static final String EXPECTED = "expected exchange, postfix, sendmail, exim or auto";

        private final String kind;

        UnknownLogKindException(String kind) {
            super("unknown log kind '" + kind + "'; " + EXPECTED);
            this.kind = kind;
        }

        /** The refused text, as given. */
        public String kind() {
            return kind;
        }
    }
}
