package io.tlsmon.ingest.tail;

import java.util.OptionalLong;

/**
 * Reads the time a log line carries in its own text. Shippers use it for the record timestamp and
 * {@code RawLine.time}; the replayer uses it to merge streams in time order. Implementations never
 * throw: a line whose time cannot be read gives {@link OptionalLong#empty()}.
 */
@FunctionalInterface
public interface LineClock {

    /** The line's time in epoch milliseconds UTC, if the line states one. */
    OptionalLong timeOf(String line);

    /** A clock that never knows: every line falls back to its stream's previous time or the file time. */
    LineClock NONE = line -> OptionalLong.empty();
}
