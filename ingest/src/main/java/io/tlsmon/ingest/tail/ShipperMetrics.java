package io.tlsmon.ingest.tail;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one shipper, safe to read from any thread (for a status line or a metrics exporter).
 * Nothing is dropped silently: a line is either shipped, pending (read, not yet acknowledged; it
 * will be read again after a failure), or the failure shows in {@code retries} and {@code errors}.
 */
public final class ShipperMetrics {
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong linesShipped = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong reconciledLines = new AtomicLong();
    private final AtomicLong followedFiles = new AtomicLong();

    /** Lines taken from files (a line read again after a failed send counts again). */
    public long linesRead() { return linesRead.get(); }
    /** Lines in committed transactions: acknowledged by the broker, checkpointed. */
    public long linesShipped() { return linesShipped.get(); }
    /** Lines read and sent in the open transaction, not acknowledged yet. */
    public long pending() { return pending.get(); }
    /** Times the shipper backed off and started over from the last acknowledged positions. */
    public long retries() { return retries.get(); }
    /** Send callbacks that reported an error (their transaction is then retried as a whole). */
    public long errors() { return errors.get(); }
    public long transactions() { return transactions.get(); }
    /** Lines found in the topic at (re)start that the local checkpoint did not know yet. */
    public long reconciledLines() { return reconciledLines.get(); }

    /** Files followed after the last scan. */
    public long followedFiles() { return followedFiles.get(); }

    void followedFiles(long n) { followedFiles.set(n); }
    void read(long n) { linesRead.addAndGet(n); }
    void pending(long n) { pending.set(n); }
    void committed(long n) {
        linesShipped.addAndGet(n);
        pending.set(0);
        transactions.incrementAndGet();
    }
    void retry() { retries.incrementAndGet(); }
    void error() { errors.incrementAndGet(); }
    void reconciled(long n) { reconciledLines.addAndGet(n); }

    @Override
    public String toString() {
        return "read=" + linesRead() + " shipped=" + linesShipped() + " pending=" + pending() + " retries=" + retries()
            + " errors=" + errors() + " transactions=" + transactions() + " files=" + followedFiles();
    }
}
