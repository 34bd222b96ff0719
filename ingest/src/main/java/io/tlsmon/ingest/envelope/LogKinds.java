package io.tlsmon.ingest.envelope;

import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.StreamKey;
import io.tlsmon.logs.exchange.ExchangeLogFiles;

import java.util.Locale;

/** Where a line's log kind comes from when the envelope does not name it outright. */
final class LogKinds {

    private LogKinds() {
    }

    /** Result of reading an explicit kind: a kind, "detect it" (null kind), or a value we do not know. */
    record Explicit(LogFormat kind, boolean known) {
        static final Explicit DETECT = new Explicit(null, true);
    }

    /**
     * Reads a value meant to be a log kind, with the words of {@link StreamKey#parseKind}: blank and
     * {@code auto} mean "detect", the four kinds in any case, anything else is unknown (the caller
     * fails the record: a typo in a shipper config should be seen, not silently guessed around).
     */
    static Explicit explicit(String value) {
        try {
            LogFormat kind = StreamKey.parseKind(value);
            return kind == null ? Explicit.DETECT : new Explicit(kind, true);
        } catch (StreamKey.UnknownLogKindException e) {
            return new Explicit(null, false);
        }
    }

    /**
     * The kind a file path makes certain, or null. Exchange: an {@code SmtpReceive}/{@code SmtpSend}
     * folder or a RECV/SEND file ({@link ExchangeLogFiles}). Postfix, Exim, Sendmail: their name in a
     * folder or file name ({@code /var/log/postfix.log}, {@code /var/log/exim4/mainlog}).
     *
     * <p>Deliberately not {@code mail.log}/{@code maillog}: that is the syslog mail facility on every
     * MTA (Sendmail writes there too), so naming it Postfix would make the Postfix parser drop a
     * Sendmail host's lines; left null, the parser detects the format from the lines themselves.
     */
    static LogFormat fromPath(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        if (ExchangeLogFiles.hasProtocolLogName(path) || ExchangeLogFiles.inProtocolLogFolder(path)) {
            return LogFormat.EXCHANGE;
        }
        for (String part : path.split("[/\\\\]")) {
            LogFormat kind = named(part);
            if (kind != null) {
                return kind;
            }
        }
        return null;
    }

    /**
     * The kind a free-form hint names ({@code event.module}, {@code event.dataset}, a tag, a syslog
     * program name, an NXLog module name), or null.
     */
    static LogFormat fromHint(String hint) {
        return hint == null ? null : named(hint);
    }

    private static LogFormat named(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("exchange")) {
            return LogFormat.EXCHANGE;
        }
        if (t.contains("postfix")) {
            return LogFormat.POSTFIX;
        }
        if (t.contains("sendmail") || t.contains("sm-mta")) {
            return LogFormat.SENDMAIL;
        }
        if (t.contains("exim")) {
            return LogFormat.EXIM;
        }
        return null;
    }
}
