package io.tlsmon.topology;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The episodes of one state directory being full. Three things can find it full, and all report here,
 * so that an episode is logged and counted once however it was found:
 * <ul>
 *   <li>a stream thread that failed for want of space ({@link ThreadFailures});</li>
 *   <li>RocksDB, when one of its background flushes or compactions could not write, or when it has
 *       stopped a store's writes ({@link RocksDbSpaceListener}). While RocksDB recovers from a full
 *       disk by itself (or waits for room to compact), it stops the store's writes, and a put waits
 *       inside RocksDB, with no timeout and no error: no thread fails;</li>
 *   <li>the free-space watch of {@link StreamsWatch}, which looks every {@value #LOOK_EVERY_MS} ms and
 *       finds the directory full when fewer than {@link #fullBelow} bytes are left, whether or not
 *       anything has failed yet, or when RocksDB has stopped a store's writes for
 *       {@value #STOPPED_FULL_MS} ms with less free than would end an episode. Writes stopped {@value #STOPPED_LONG_MS} ms with more free are said in a WARN line,
 *       and are no episode.</li>
 * </ul>
 * An episode ends when the filesystem has {@link #SPACE_BACK_BYTES} more free than when it began (a
 * sixteenth of the filesystem, if that is less). One ERROR line names the directory and the cause when
 * an episode begins, one INFO line says when processing resumes.
 *
 * <p>There is one per state directory of this JVM ({@link #of}): the directory, not a thread or a
 * store, is what fills up.
 */
public final class StateDirectoryFull {
    private static final Logger LOG = LoggerFactory.getLogger(StateDirectoryFull.class);
    private static final Map<Path, StateDirectoryFull> BY_DIRECTORY = new ConcurrentHashMap<>();

    /** How often the watch looks at the free space (and a waiting thread too). */
    static final long LOOK_EVERY_MS = 500;
    /**
     * The space that must come back: Kafka Streams' RocksDB memtables are 16 MB, and writing one out
     * needs about that much; on a filesystem smaller than 256 MB, a sixteenth of it. Not more: what
     * is freed may be less than what the state grew to while the directory was full (stores wiped and
     * restored, compactions left undone), and space never seen back would leave the episode open for
     * good.
     */
    static final long SPACE_BACK_BYTES = 16L * 1024 * 1024;
    /** See {@link #SPACE_BACK_BYTES}. */
    static final int SPACE_BACK_SHARE = 16;
    /**
     * Fewer free bytes than this (or than a sixty-fourth of a smaller filesystem) is full: RocksDB
     * cannot write out even a small memtable in it, so processing stops before a store fails half-way.
     */
    static final long FULL_BELOW_BYTES = 1024L * 1024;
    /** See {@link #FULL_BELOW_BYTES}. */
    static final int FULL_BELOW_SHARE = 64;
    /** Writes stopped this long by RocksDB, with little space free, is a full directory. */
    static final long STOPPED_FULL_MS = 10_000;
    /** A failure for want of space this soon after an episode ended, with the space still there, is of that episode. */
    static final long AFTER_EFFECT_MS = 60_000;
    /** Writes stopped this long, whatever the space, is worth a WARN line. */
    static final long STOPPED_LONG_MS = 60_000;

    private final Path stateDir;
    private final StateDirectorySpace space;
    private final OutageMetrics metrics;
    private final LongSupplier clock;

    /** Since when RocksDB has stopped the writes of a store's column family ("store/family"), epoch ms. */
    private final Map<String, Long> stoppedSince = new HashMap<>();
    private final Set<String> stopsWarnedOf = new HashSet<>();
    private long stopWarnings;
    private boolean open;
    private long episodes;
    private long spaceBackAt;        // the free bytes that end the open episode
    private boolean justEnded;       // an episode ended and no failure for want of space came since
    private long endedAtMs;

    /** @param clock epoch milliseconds (a test's own clock) */
    StateDirectoryFull(Path stateDir, StateDirectorySpace space, OutageMetrics metrics, LongSupplier clock) {
        this.stateDir = stateDir;
        this.space = space;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The one of {@code stateDir} in this JVM. */
    public static StateDirectoryFull of(Path stateDir) {
        Path key = stateDir.toAbsolutePath().normalize();
        return BY_DIRECTORY.computeIfAbsent(key, k -> new StateDirectoryFull(k, StateDirectorySpace.of(k), OutageMetrics.get(), System::currentTimeMillis));
    }

    Path directory() {
        return stateDir;
    }

    StateDirectorySpace space() {
        return space;
    }

    /** Episodes so far. */
    public synchronized long episodes() {
        return episodes;
    }

    /** WARN lines so far about writes RocksDB stopped long, with space enough. */
    synchronized long stopWarnings() {
        return stopWarnings;
    }

    /** Whether an episode is open: the directory was found full and the space has not come back since. */
    public synchronized boolean isOpen() {
        return open;
    }

    /**
     * Something found the directory full, saying {@code cause}: opens an episode unless one is open.
     * Returns the number of the open episode.
     */
    synchronized long found(String cause) {
        long free = space.usableBytes();
        long total = space.totalBytes();
        justEnded = false;
        metrics.stateDirectoryFull(cause);
        if (!open) {
            open = true;
            episodes++;
            spaceBackAt = free + spaceBack(total);
            LOG.error("the state directory {} is full: no space left on device ({}); {} bytes free of {}. Processing stops "
                            + "until there is space again, then goes on from the last commit: nothing is lost. "
                            + "Free space there or give state.dir a larger filesystem.",
                    stateDir, cause, free, total);
        }
        return episodes;
    }

    /**
     * A stream thread failed for want of space within {@value #AFTER_EFFECT_MS} ms after an episode
     * ended, with the space still there: a store that was already failing when the space came back.
     * Returns true the first time after an episode ends (the thread is then replaced at once and its
     * stores opened anew); a second such failure is a full directory again, for {@link #found}.
     */
    synchronized boolean isAfterEffect() {
        if (open || !justEnded || clock.getAsLong() - endedAtMs > AFTER_EFFECT_MS
                || space.usableBytes() < spaceBack(space.totalBytes())) {
            return false;
        }
        justEnded = false;
        return true;
    }

    /**
     * Looks at the free space and at the writes RocksDB stopped, as the watch does: opens an episode
     * when the directory is full, ends the open one when the space is back. Returns whether an episode
     * is open afterwards.
     */
    synchronized boolean look() {
        long free = space.usableBytes();
        if (free < 0) {
            return open;   // the filesystem cannot be asked: say nothing rather than guess
        }
        long total = space.totalBytes();
        if (open) {
            endIfSpaceBack();
            return open;
        }
        if (free < fullBelow(total)) {
            found("the free-space watch found " + free + " bytes free");
            return open;
        }
        long now = clock.getAsLong();
        for (Map.Entry<String, Long> stop : stoppedSince.entrySet()) {
            long forMs = now - stop.getValue();
            if (forMs >= STOPPED_FULL_MS && free < spaceBack(total)) {
                found("RocksDB has stopped the writes of " + stop.getKey() + " for " + forMs + " ms, with " + free + " bytes free");
                return open;
            }
            if (forMs >= STOPPED_LONG_MS && stopsWarnedOf.add(stop.getKey())) {
                stopWarnings++;
                LOG.warn("RocksDB has stopped the writes of {} in {} for {} ms ({} bytes free): processing waits for its flushes "
                        + "and compactions", stop.getKey(), stateDir, forMs, free);
            }
        }
        return open;
    }

    /** RocksDB stopped the writes of {@code family} ("store/family"), or let them go on. */
    synchronized void writesStopped(String family, boolean stopped) {
        if (stopped) {
            stoppedSince.putIfAbsent(family, clock.getAsLong());
        } else {
            stoppedSince.remove(family);
            stopsWarnedOf.remove(family);
        }
    }

    /** Whether RocksDB has the writes of some family stopped now. */
    synchronized boolean anyWritesStopped() {
        return !stoppedSince.isEmpty();
    }

    /** The store whose families start with {@code prefix} closed: none of its writes wait any more. */
    synchronized void storeClosed(String prefix) {
        stoppedSince.keySet().removeIf(f -> f.startsWith(prefix));
        stopsWarnedOf.removeIf(f -> f.startsWith(prefix));
    }

    /** Ends the open episode if the space that ends it is back. Returns whether no episode is open. */
    synchronized boolean endIfSpaceBack() {
        if (!open) {
            return true;
        }
        long free = space.usableBytes();
        if (free < spaceBackAt) {
            return false;
        }
        open = false;
        justEnded = true;
        endedAtMs = clock.getAsLong();
        metrics.stateDirectorySpaceBack();
        LOG.info("space is back in the state directory {}: {} bytes free; processing resumes", stateDir, free);
        return true;
    }

    /** The free bytes under which a filesystem of {@code total} bytes is full. */
    static long fullBelow(long total) {
        return total > 0 ? Math.min(FULL_BELOW_BYTES, total / FULL_BELOW_SHARE) : FULL_BELOW_BYTES;
    }

    /** The space that ends an episode that began with nothing free. */
    private static long spaceBack(long total) {
        return total > 0 ? Math.min(SPACE_BACK_BYTES, total / SPACE_BACK_SHARE) : SPACE_BACK_BYTES;
    }
}
