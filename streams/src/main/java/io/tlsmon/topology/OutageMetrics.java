package io.tlsmon.topology;

import io.tlsmon.ingest.health.Outage;
import io.tlsmon.ingest.health.OutageTracker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What this JVM's Kafka Streams instance lived through, safe to read from any thread (for logs, the
 * {@code tlsmon run} status and a metrics exporter), beside {@link TopologyCounters} and the counts
 * of {@link DeadLetterHandlers}:
 * <ul>
 *   <li>{@link #registry()}: the schema registry's outages. An outage starts when a stream thread
 *       fails because the registry could not be used (unreachable, 5xx, or refusing us), and ends when
 *       it answers again; {@link Outage#failures()} counts the thread failures (task restarts).</li>
 *   <li>{@link #recordsHeldBack()}: records the error handlers refused to dead-letter because the
 *       registry, not the record, failed; each was read again after the restart.</li>
 *   <li>{@link #broker()}: the Kafka cluster's outages, as seen by {@link StreamsWatch}'s probe.</li>
 *   <li>{@link #lastCommitMs()} and {@link #lastCommitAgeMs()}: the last commit of any stream thread
 *       (a commit happens when there was something to commit: while idle the age grows too).</li>
 *   <li>{@link #threadsReplaced()}: stream threads replaced after a failure ({@link ThreadFailures}).</li>
 *   <li>{@link #stuckThreads()}: stream threads that stopped polling ({@link StuckThreads}).</li>
 *   <li>{@link #stateDirectory()}: the episodes of a full state directory ({@link StateDirectoryFull}):
 *       {@link Outage#failures()} counts what found it full (failed threads, RocksDB, the watch).</li>
 * </ul>
 */
public final class OutageMetrics {
    private static final OutageMetrics JVM = new OutageMetrics(System::currentTimeMillis);

    private final LongSupplier clock;
    private final OutageTracker registry = new OutageTracker();
    private final OutageTracker broker = new OutageTracker();
    private final OutageTracker stateDirectory = new OutageTracker();
    private final AtomicLong recordsHeldBack = new AtomicLong();
    private final AtomicLong threadsReplaced = new AtomicLong();
    private final AtomicLong lastCommitMs = new AtomicLong(-1);
    private final AtomicLong stuckThreads = new AtomicLong();

    /** @param clock epoch milliseconds (a test's own clock) */
    OutageMetrics(LongSupplier clock) {
        this.clock = clock;
    }

    /** The metrics of this JVM's instance. */
    public static OutageMetrics get() {
        return JVM;
    }

    public Outage registry() { return registry.snapshot(clock.getAsLong()); }
    public Outage broker() { return broker.snapshot(clock.getAsLong()); }
    public Outage stateDirectory() { return stateDirectory.snapshot(clock.getAsLong()); }
    public long recordsHeldBack() { return recordsHeldBack.get(); }
    public long threadsReplaced() { return threadsReplaced.get(); }
    /** Stream threads that have stopped polling for good ({@link StuckThreads}). */
    public long stuckThreads() { return stuckThreads.get(); }
    /** Epoch ms of the last commit seen, or -1 before the first. */
    public long lastCommitMs() { return lastCommitMs.get(); }
    /** How long ago the last commit was, or -1 before the first. */
    public long lastCommitAgeMs() {
        long last = lastCommitMs.get();
        return last < 0 ? -1 : Math.max(0, clock.getAsLong() - last);
    }

    void registryDown(String reason) { registry.down(clock.getAsLong(), reason); }
    /** Returns whether an outage ended. */
    boolean registryUp() { return registry.up(clock.getAsLong()); }
    boolean registryDownNow() { return registry.active(); }
    void brokerDown(String reason) { broker.down(clock.getAsLong(), reason); }
    boolean brokerUp() { return broker.up(clock.getAsLong()); }
    void stateDirectoryFull(String reason) { stateDirectory.down(clock.getAsLong(), reason); }
    void stateDirectorySpaceBack() { stateDirectory.up(clock.getAsLong()); }
    void heldBack() { recordsHeldBack.incrementAndGet(); }
    void threadReplaced() { threadsReplaced.incrementAndGet(); }
    void stuckThreads(long count) { stuckThreads.set(count); }
    void committed() { lastCommitMs.set(clock.getAsLong()); }

    @Override
    public String toString() {
        Outage b = broker();
        Outage r = registry();
        return "broker=" + describe(b) + " registry=" + describe(r) + " state-directory=" + describeFull(stateDirectory()) + " held-back=" + recordsHeldBack()
                + " threads-replaced=" + threadsReplaced() + " threads-stuck=" + stuckThreads() + " last-commit-age-ms=" + lastCommitAgeMs()
                + " dead-letters=" + DeadLetterHandlers.COUNT.get();
    }

    private static String describeFull(Outage o) {
        return (o.active() ? "full since " + o.sinceMs() : "not full") + " (" + o.count() + " episodes, " + o.totalMs() + " ms)";
    }

    private static String describe(Outage o) {
        return (o.active() ? "down since " + o.sinceMs() : "up") + " (" + o.count() + " outages, " + o.failures()
                + " failures, " + o.totalMs() + " ms)";
    }
}
