package io.tlsmon.ingest.replay;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import io.tlsmon.ingest.tail.LogFileFilter;
import io.tlsmon.logs.LineClock;
import io.tlsmon.logs.LogFormat;

/**
 * The archived logs of one server and kind: files and folders (walked recursively; {@code .gz}
 * files are read decompressed, and filtered by their name without {@code .gz}). Each file is one
 * stream, read in its own order, its line times read by core's {@link LineClock} of the kind with
 * {@code zone} for times that carry none.
 */
public record ReplaySource(String sourceHost, String logKind, List<Path> paths, LogFileFilter filter, ZoneId zone) {

    /** @throws IllegalArgumentException for a kind that is none of the four formats */
    public ReplaySource {
        Objects.requireNonNull(sourceHost, "sourceHost");
        logKind = LogFormat.fromLabel(Objects.requireNonNull(logKind, "logKind")).label();
        paths = List.copyOf(paths);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(zone, "zone");
    }

    /** With the default filter of the kind, times without zone read as UTC. */
    public static ReplaySource of(String sourceHost, String logKind, List<Path> paths) {
        return new ReplaySource(sourceHost, logKind, paths, LogFileFilter.forKind(logKind), ZoneOffset.UTC);
    }

    public LogFormat format() {
        return LogFormat.fromLabel(logKind);
    }
}
