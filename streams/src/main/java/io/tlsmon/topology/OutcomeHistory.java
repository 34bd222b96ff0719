package io.tlsmon.topology;

import io.tlsmon.avro.Outcome;

/**
 * Attempts per outcome and hour of their start, for the outcomes-over-time view: the key format of
 * {@value StoreNames#OUTCOME_HISTORY}, which its writer ({@link OutcomeHistoryProcessor}) and its
 * readers (the query API) share. Each task of the sender stage counts its own partition's attempts
 * under keys that end with that partition, so a scan of every instance's stores reads each count
 * once, and a reader sums the partitions of an hour and outcome.
 */
public final class OutcomeHistory {
    /** The buckets are UTC hours. */
    public static final long BUCKET_MS = 3_600_000L;
    private static final char SEPARATOR = '|';

    private OutcomeHistory() {
    }

    /** The start of the bucket holding {@code epochMillis}. */
    public static long bucketOf(long epochMillis) {
        return Math.floorDiv(epochMillis, BUCKET_MS) * BUCKET_MS;
    }

    /** The store key of one bucket, outcome and partition; keys sort by bucket (the time is zero-padded). */
    public static String key(long bucketStart, Outcome outcome, int partition) {
        return String.format("%013d", bucketStart) + SEPARATOR + outcome.name() + SEPARATOR + partition;
    }

    /** The first key of buckets starting at {@code bucketStart} or later. */
    static String firstKeyFrom(long bucketStart) {
        return String.format("%013d", Math.max(0, bucketStart));
    }

    /** One count, read back from its key. */
    public record Count(long bucketStart, String outcome) {
    }

    /** The bucket and outcome of a store key; null for a key of another shape. */
    public static Count parse(String key) {
        int a = key.indexOf(SEPARATOR);
        int b = a < 0 ? -1 : key.indexOf(SEPARATOR, a + 1);
        if (a != 13 || b < 0) {
            return null;
        }
        try {
            return new Count(Long.parseLong(key, 0, a, 10), key.substring(a + 1, b));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
