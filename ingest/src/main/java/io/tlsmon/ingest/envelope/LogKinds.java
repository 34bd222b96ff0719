package io.tlsmon.ingest.envelope;

import java.util.Locale;
import java.util.regex.Pattern;

/** Where a line's log kind comes from when the envelope does not name it outright. */
final class LogKinds {
    static final String EXCHANGE = "exchange";
    static final String POSTFIX = "postfix";
    static final String SENDMAIL = "sendmail";
    static final String EXIM = "exim";
    /** The stream-key word for "let the parser detect the format". */
    static final String AUTO = "auto";

    /** Exchange names its files RECVyyyymmdd-n.LOG / SENDyyyymmddhh-n.LOG; "sendmail.log" must not match. */
    private static final Pattern EXCHANGE_FILE = Pattern.compile("(?i)(RECV|SEND)\\d{8}.*\\.LOG");

    private LogKinds() {
    }

    /** Result of reading an explicit kind: a kind, "detect it" (null kind), or a value we do not know. */
    record Explicit(String kind, boolean known) {
        static final Explicit DETECT = new Explicit(null, true);
    }

    /**
     * Reads a value meant to be a log kind. Blank and {@code auto} mean "detect"; the four kinds are
     * accepted in any case; anything else is unknown (the caller fails the record: a typo in a
     * shipper config should be seen, not silently guessed around).
     */
    static Explicit explicit(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", AUTO -> Explicit.DETECT;
            case EXCHANGE, POSTFIX, SENDMAIL, EXIM -> new Explicit(v, true);
            default -> new Explicit(v, false);
        };
    }

    /**
     * The kind a file path makes certain, or null. Exchange: an {@code SmtpReceive}/{@code SmtpSend}
     * folder or a RECV/SEND file. Postfix, Exim, Sendmail: their name in a folder or file name
     * ({@code /var/log/postfix.log}, {@code /var/log/exim4/mainlog}).
     *
     * <p>Deliberately not {@code mail.log}/{@code maillog}: that is the syslog mail facility on every
     * MTA (Sendmail writes there too), so naming it Postfix would make the Postfix parser drop a
     * Sendmail host's lines; left null, the parser detects the format from the lines themselves.
     */
    static String fromPath(String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        String[] parts = path.split("[/\\\\]");
        String name = parts[parts.length - 1];
        if (EXCHANGE_FILE.matcher(name).matches()) {
            return EXCHANGE;
        }
        for (String part : parts) {
            String p = part.toLowerCase(Locale.ROOT);
            if (p.equals("smtpreceive") || p.equals("smtpsend")) {
                return EXCHANGE;
            }
        }
        for (String part : parts) {
            String kind = named(part);
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
    static String fromHint(String hint) {
        return hint == null ? null : named(hint);
    }

    private static String named(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("exchange")) {
            return EXCHANGE;
        }
        if (t.contains("postfix")) {
            return POSTFIX;
        }
        if (t.contains("sendmail") || t.contains("sm-mta")) {
            return SENDMAIL;
        }
        if (t.contains("exim")) {
            return EXIM;
        }
        return null;
    }
}
