package io.tlsmon.topology;

import java.util.concurrent.atomic.AtomicLong;

/** Counts of this JVM's topology, for the demo summary and logs (Kafka Streams metrics hold the rest). */
public final class TopologyCounters {
    public static final AtomicLong PARSE_ERRORS = new AtomicLong();
    public static final AtomicLong ALERTS_SUPPRESSED = new AtomicLong();

    private TopologyCounters() {
    }
}
