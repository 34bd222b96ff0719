package io.tlsmon.format;

import io.tlsmon.logs.SourceKind;

/**
 * The mail server product whose log an attempt was read from: the observer in ECS terms (the
 * device that saw the session), while tlsmon is the tool that classified it.
 *
 * @param product the product name, e.g. {@code Exchange Server}
 * @param vendor  its vendor, e.g. {@code Microsoft}
 */
record SourceProducts(String product, String vendor) {

    /** The product of a {@code sourceKind} label; null fields for a label tlsmon does not know. */
    static SourceProducts of(String sourceKindLabel) {
        SourceKind kind = SourceKind.ofLabel(sourceKindLabel);
        if (kind == null) {
            return new SourceProducts(null, null);
        }
        return switch (kind) {
            case EXCHANGE_RECEIVE, EXCHANGE_SEND -> new SourceProducts("Exchange Server", "Microsoft");
            case POSTFIX_SMTPD, POSTFIX_SMTP -> new SourceProducts("Postfix", "Postfix");
            case SENDMAIL -> new SourceProducts("Sendmail", "Proofpoint");
            case EXIM -> new SourceProducts("Exim", "Exim");
        };
    }
}
