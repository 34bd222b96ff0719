package io.tlsmon.ingest.tail;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import io.tlsmon.logs.LineClock;
import io.tlsmon.logs.LogFormat;

/**
 * One kind of log a shipper follows: its {@code logKind} (exchange, postfix, sendmail, exim), the
 * files and folders to watch (folders are walked recursively), the filter for files found in
 * folders, and the zone of line times that carry none. Each file's line times are read by core's
 * {@link LineClock} of the kind, the clock the kind's parser reads them with.
 */
public record TailSource(String logKind, List<Path> paths, LogFileFilter filter, ZoneId zone) {

    /** @throws IllegalArgumentException for a kind that is none of the four formats */
    public TailSource {
        logKind = LogFormat.fromLabel(Objects.requireNonNull(logKind, "logKind")).label();
        paths = List.copyOf(paths);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(zone, "zone");
    }

    /** The default filter of the kind ({@link LogFileFilter#forKind}), times without zone read as UTC. */
    public static TailSource of(String logKind, List<Path> paths) {
        return new TailSource(logKind, paths, LogFileFilter.forKind(logKind), ZoneOffset.UTC);
    }

    public LogFormat format() {
        return LogFormat.fromLabel(logKind);
    }

    public boolean isExchange() {
        return LogFormat.EXCHANGE.label().equals(logKind); // the kind is normalised to its label
    }
}
