package io.tlsmon.topology;

import java.util.concurrent.atomic.AtomicLong;

/** Counts of this JVM's topology, for the demo summary and logs (Kafka Streams metrics hold the rest). */
public final class TopologyCounters {
    public static final AtomicLong PARSE_ERRORS = new AtomicLong();
    public static final AtomicLong ALERTS_SUPPRESSED = new AtomicLong();
    /** Stores found corrupt when they opened, deleted and restored from their changelogs. */
    public static final AtomicLong CORRUPT_STORES_REBUILT = new AtomicLong();
    /** Outbound attempts that came after their day's TLS-RPT report was written, left out of it. */
    public static final AtomicLong TLSRPT_LATE = new AtomicLong();

    private TopologyCounters() {
    }
}
