package io.tlsmon.ingest.tail;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One kind of log a shipper follows: its {@code logKind} (exchange, postfix, sendmail, exim), the
 * files and folders to watch (folders are walked recursively), the filter for files found in
 * folders, and the clock that reads each line's time.
 */
public record TailSource(String logKind, List<Path> paths, LogFileFilter filter, LineClock clock) {

    public TailSource {
        Objects.requireNonNull(logKind, "logKind");
        paths = List.copyOf(paths);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(clock, "clock");
    }

    /** The default filter and clock of the kind ({@link LogFileFilter#forKind}, {@link LineClocks#forKind} in UTC). */
    public static TailSource of(String logKind, List<Path> paths) {
        return new TailSource(logKind, paths, LogFileFilter.forKind(logKind), LineClocks.forKind(logKind, LineClocks.utc()));
    }

    public boolean isExchange() {
        return "exchange".equalsIgnoreCase(logKind);
    }
}
