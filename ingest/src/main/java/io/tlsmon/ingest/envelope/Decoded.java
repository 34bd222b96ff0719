package io.tlsmon.ingest.envelope;

import io.tlsmon.avro.RawLine;

import java.util.Objects;

/** What {@link EnvelopeDecoder#decode} made of one record: a {@link Line} or a {@link Failure}. */
public sealed interface Decoded permits Decoded.Line, Decoded.Failure {

    /** True for a {@link Line}. */
    boolean isLine();

    /**
     * A decoded protocol-log line.
     *
     * @param rawLine the line with its stream identity, ready for the raw-lines topic
     * @param shipper the envelope shape it was read from
     */
    record Line(RawLine rawLine, Shipper shipper) implements Decoded {
        public Line {
            Objects.requireNonNull(rawLine, "rawLine");
            Objects.requireNonNull(shipper, "shipper");
        }

        /** The record key for the line: {@link EnvelopeDecoder#streamKey(RawLine)}. */
        public String key() {
            return EnvelopeDecoder.streamKey(rawLine);
        }

        @Override
        public boolean isLine() {
            return true;
        }
    }

    /**
     * A record that is no usable line, for the dead-letter topic.
     *
     * @param reason  what went wrong, as a stable code
     * @param message the specifics (sizes, field names, the offending value, shortened)
     */
    record Failure(FailureReason reason, String message) implements Decoded {
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        /** {@code <code>: <message>}, e.g. {@code value-too-large: value of 2000000 bytes exceeds the limit of 1048576 bytes}. */
        public String describe() {
            return reason.code() + ": " + message;
        }

        @Override
        public boolean isLine() {
            return false;
        }
    }
}
