package io.tlsmon.logs;

/** Which program wrote a line, and so which side of the SMTP session the log speaks for. */
public enum SourceKind {
    EXCHANGE_RECEIVE("exchange-receive", false),
    EXCHANGE_SEND("exchange-send", true),
    POSTFIX_SMTPD("postfix-smtpd", false),
    POSTFIX_SMTP("postfix-smtp", true),
    SENDMAIL("sendmail", false),
    EXIM("exim", false);

    private final String label;
    private final boolean outbound;

    SourceKind(String label, boolean outbound) {
        this.label = label;
        this.outbound = outbound;
    }

    /** The name used in outputs and the taxonomy: {@code exchange-receive}, {@code postfix-smtp}, ... */
    public String label() {
        return label;
    }

    /** The kind with this {@link #label()}, or null for a label no kind has. */
    public static SourceKind ofLabel(String label) {
        for (SourceKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        return null;
    }

    /**
     * Whether sessions of this kind are sent by the logging server. Sendmail and Exim log both
     * sides in one program; their parsers say the direction per line.
     */
    public boolean outboundByDefault() {
        return outbound;
    }
}
