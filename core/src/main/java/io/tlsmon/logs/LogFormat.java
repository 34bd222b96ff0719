package io.tlsmon.logs;

import java.util.Locale;

/** A family of log files, each with its own parser. */
public enum LogFormat {
    EXCHANGE, POSTFIX, SENDMAIL, EXIM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code --format} or {@code logKind} value; throws with the accepted names otherwise. */
    public static LogFormat fromLabel(String label) {
        for (LogFormat f : values()) {
            if (f.label().equalsIgnoreCase(label.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown log format '" + label + "' (expected exchange, postfix, sendmail or exim)");
    }
}
