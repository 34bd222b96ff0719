package io.tlsmon.ingest.replay;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import io.tlsmon.ingest.tail.LineClock;
import io.tlsmon.ingest.tail.LineClocks;
import io.tlsmon.ingest.tail.LogFileFilter;

/**
 * The archived logs of one server and kind: files and folders (walked recursively; {@code .gz}
 * files are read decompressed, and filtered by their name without {@code .gz}). Each file is one
 * stream, read in its own order.
 */
public record ReplaySource(String sourceHost, String logKind, List<Path> paths, LogFileFilter filter, LineClock clock) {

    public ReplaySource {
        Objects.requireNonNull(sourceHost, "sourceHost");
        Objects.requireNonNull(logKind, "logKind");
        paths = List.copyOf(paths);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(clock, "clock");
    }

    /** With the default filter and clock of the kind (times without zone read as UTC). */
    public static ReplaySource of(String sourceHost, String logKind, List<Path> paths) {
        return new ReplaySource(sourceHost, logKind, paths, LogFileFilter.forKind(logKind),
            LineClocks.forKind(logKind, LineClocks.utc()));
    }
}
