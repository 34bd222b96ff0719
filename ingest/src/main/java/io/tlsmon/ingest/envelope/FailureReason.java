package io.tlsmon.ingest.envelope;

/** Why a shipped-line record could not be turned into a {@link io.tlsmon.avro.RawLine}. */
public enum FailureReason {
    /** The record has no value (a tombstone). */
    NULL_VALUE("null-value"),
    /** The value has zero bytes. */
    EMPTY_VALUE("empty-value"),
    /** The value is larger than the decoder's limit. */
    VALUE_TOO_LARGE("value-too-large"),
    /** The value starts with {@code {} but is not one well-formed JSON object. */
    INVALID_JSON("invalid-json"),
    /** A JSON object without any of the message fields; the message names the fields it had. */
    NO_MESSAGE_FIELD("no-message-field"),
    /** The message field holds a number, a boolean, an object or an array instead of text. */
    MESSAGE_NOT_TEXT("message-not-text"),
    /** The line is empty once its line terminator is removed. */
    EMPTY_LINE("empty-line"),
    /** The line holds a line feed: several lines were joined (a multiline setting of the shipper). */
    MULTIPLE_LINES("multiple-lines"),
    /** An explicit log kind (envelope field or record key) that is none of exchange, postfix, sendmail, exim, auto. */
    UNKNOWN_LOG_KIND("unknown-log-kind"),
    /** A bug in the decoder: an exception it did not expect. Never produced by any known input. */
    UNEXPECTED("unexpected");

    private final String code;

    FailureReason(String code) {
        this.code = code;
    }

    /** Stable kebab-case name, the prefix of {@link Decoded.Failure#describe()}. */
    public String code() {
        return code;
    }
}
