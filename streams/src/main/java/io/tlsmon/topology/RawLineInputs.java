package io.tlsmon.topology;

import io.tlsmon.avro.RawLine;
import io.tlsmon.engine.LineInput;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.StreamKey;

/**
 * How a record of the raw-lines topic becomes the engine's input: its stream key, line number and
 * times. The session stage takes every record so, and the tests that compute what an uninterrupted
 * run must make of a topic (the offline engine over its records) take them the same way.
 */
public final class RawLineInputs {
    private RawLineInputs() {
    }

    /** The record's key, or for a record without one (a shipper that sets none) the key its host and kind make. */
    public static String streamKey(String recordKey, RawLine raw) {
        return recordKey != null ? recordKey : raw.getSourceHost() + StreamKey.SEPARATOR + raw.getLogKind();
    }

    /** The line's format by the kind the shipper named, or null when it named none (detected from the lines). */
    public static LogFormat formatOf(RawLine raw) {
        return raw.getLogKind() == null || raw.getLogKind().isEmpty() ? null : StreamKey.parseKind(raw.getLogKind());
    }

    /**
     * The engine input of a line record: the line number the shipper gave (else the byte offset, else
     * the record's offset), the line's own time as the shipper read it as the reference for a yearless
     * clock (else the arrival), and the record's timestamp as the arrival.
     *
     * @param format    {@link #formatOf} of the record, or null where it cannot be told
     * @param timestamp the record's timestamp (the broker's or the shipper's: the arrival)
     * @param at        where the record is, for a dead letter; null where not known
     */
    public static LineInput of(String streamKey, RawLine raw, LogFormat format, long timestamp, LineInput.RecordPosition at) {
        long lineNumber = raw.getLineNumber() != null ? raw.getLineNumber()
                : raw.getOffset() != null ? raw.getOffset()
                : at != null ? at.offset() : -1L;
        long reference = raw.getTime() != null ? raw.getTime().toEpochMilli() : timestamp;
        return new LineInput(streamKey, raw.getSourceHost(), raw.getStream(), format, raw.getHeader(),
                raw.getLine(), lineNumber, reference, timestamp, at);
    }
}
