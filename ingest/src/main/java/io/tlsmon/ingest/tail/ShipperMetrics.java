package io.tlsmon.ingest.tail;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.tlsmon.ingest.health.Outage;
import io.tlsmon.ingest.health.OutageTracker;

/**
 * Counters of one shipper, safe to read from any thread (for a status line or a metrics exporter).
 * Nothing is dropped silently: a line is either shipped, pending (read, not yet acknowledged; it
 * will be read again after a failure), or the failure shows in {@code retries} and {@code errors};
 * while the broker or the schema registry cannot be reached, {@link #brokerOutage()} and
 * {@link #registryOutage()} say since when and why, and {@link #bytesBehind()} how much waits.
 */
public final class ShipperMetrics {
    private final LongSupplier clock;
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong linesShipped = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong abortedTransactions = new AtomicLong();
    private final AtomicLong reconciledLines = new AtomicLong();
    private final AtomicLong followedFiles = new AtomicLong();
    private final AtomicLong openFiles = new AtomicLong();
    private final AtomicLong goneFilesOpen = new AtomicLong();
    private final AtomicLong filesWaitingForHandle = new AtomicLong();
    private final AtomicLong filesGoneUnread = new AtomicLong();
    private final AtomicLong bytesGoneUnread = new AtomicLong();
    private final AtomicLong bytesBehind = new AtomicLong();
    private final OutageTracker broker = new OutageTracker();
    private final OutageTracker registry = new OutageTracker();

    public ShipperMetrics() {
        this(System::currentTimeMillis);
    }

    /** @param clock epoch milliseconds (a test's own clock) */
    ShipperMetrics(LongSupplier clock) {
        this.clock = clock;
    }

    /** Lines taken from files (a line read again after a failed send counts again). */
    public long linesRead() { return linesRead.get(); }
    /** Lines in committed transactions: acknowledged by the broker, checkpointed. */
    public long linesShipped() { return linesShipped.get(); }
    /** Lines read and sent in the open transaction, not acknowledged yet. */
    public long pending() { return pending.get(); }
    /** Times the shipper backed off and started over from the last acknowledged positions (broker or registry). */
    public long retries() { return retries.get(); }
    /** Send callbacks that reported an error (their transaction is then retried as a whole). */
    public long errors() { return errors.get(); }
    public long transactions() { return transactions.get(); }
    /** Transactions aborted by the shipper itself (the registry failed after part of a batch was sent). */
    public long abortedTransactions() { return abortedTransactions.get(); }
    /** Lines found in the topic at (re)start that the local checkpoint did not know yet. */
    public long reconciledLines() { return reconciledLines.get(); }

    /** Files followed after the last scan (gone files still being read included). */
    public long followedFiles() { return followedFiles.get(); }
    /** File handles held (bounded by {@code max.open.files}). */
    public long openFiles() { return openFiles.get(); }
    /** Files deleted or renamed out of the filter that are still read through their handle. */
    public long goneFilesOpen() { return goneFilesOpen.get(); }
    /** Files with unread lines waiting for a handle ({@code max.open.files} reached). */
    public long filesWaitingForHandle() { return filesWaitingForHandle.get(); }
    /** Files deleted before they could be read, because they waited for a handle; and the bytes they held unread. */
    public long filesGoneUnread() { return filesGoneUnread.get(); }
    public long bytesGoneUnread() { return bytesGoneUnread.get(); }
    /** Bytes of the followed files after the last committed positions, at the last scan: how far behind the shipper is. */
    public long bytesBehind() { return bytesBehind.get(); }

    /** The broker's outages (producer, transaction or reconciliation failures). */
    public Outage brokerOutage() { return broker.snapshot(clock.getAsLong()); }
    /** The schema registry's outages (the value serializer could not reach it). */
    public Outage registryOutage() { return registry.snapshot(clock.getAsLong()); }

    void files(FileTailer tailer) {
        followedFiles.set(tailer.followedFiles());
        openFiles.set(tailer.openFiles());
        goneFilesOpen.set(tailer.goneFilesOpen());
        filesWaitingForHandle.set(tailer.filesWaitingForHandle());
        filesGoneUnread.set(tailer.filesGoneUnread());
        bytesGoneUnread.set(tailer.bytesGoneUnread());
    }

    void bytesBehind(long n) { bytesBehind.set(n); }
    void read(long n) { linesRead.addAndGet(n); }
    void pending(long n) { pending.set(n); }
    void committed(long n) {
        linesShipped.addAndGet(n);
        pending.set(0);
        transactions.incrementAndGet();
    }
    void aborted() { abortedTransactions.incrementAndGet(); }
    void retry() { retries.incrementAndGet(); }
    void error() { errors.incrementAndGet(); }
    void reconciled(long n) { reconciledLines.addAndGet(n); }
    void brokerDown(String reason) { broker.down(clock.getAsLong(), reason); }
    void brokerUp() { broker.up(clock.getAsLong()); }
    void registryDown(String reason) { registry.down(clock.getAsLong(), reason); }
    void registryUp() { registry.up(clock.getAsLong()); }

    @Override
    public String toString() {
        Outage b = brokerOutage();
        Outage r = registryOutage();
        return "read=" + linesRead() + " shipped=" + linesShipped() + " pending=" + pending() + " retries=" + retries()
            + " errors=" + errors() + " transactions=" + transactions() + " files=" + followedFiles()
            + " open=" + openFiles() + " behind=" + bytesBehind() + "B"
            + " broker=" + (b.active() ? "down since " + b.sinceMs() : "up") + " (" + b.count() + " outages, " + b.totalMs() + " ms)"
            + " registry=" + (r.active() ? "down since " + r.sinceMs() : "up") + " (" + r.count() + " outages, " + r.totalMs() + " ms)";
    }
}
