package io.tlsmon.ingest.health;

/**
 * One dependency's outages (the Kafka cluster, the schema registry) as a client lived them: an outage
 * starts at the first failed attempt to reach it and ends at the next success, however many attempts
 * failed in between. Read by status lines and tests, and by a metrics exporter.
 *
 * @param active   whether it is unreachable now
 * @param count    outages so far (the current one included)
 * @param failures failed attempts so far, over all outages
 * @param totalMs  time spent in outages, the current one up to now included
 * @param sinceMs  when the current outage started (epoch ms), or -1
 * @param reason   the last failure of the current outage (it names the broker or registry URLs), or null
 */
public record Outage(boolean active, long count, long failures, long totalMs, long sinceMs, String reason) {
    /** No outage seen. */
    public static final Outage NONE = new Outage(false, 0, 0, 0, -1, null);
}
