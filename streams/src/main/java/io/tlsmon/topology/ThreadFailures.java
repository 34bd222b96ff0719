package io.tlsmon.topology;

import io.tlsmon.schemas.registry.SchemaRegistryException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What an instance does when a stream thread fails (a write the broker refused to a changelog or
 * repartition topic, the schema registry out of reach, a bug): the thread is replaced, so its tasks
 * restart from their last commit, with their state restored from the changelogs; nothing after that
 * commit is lost or skipped (under exactly-once the open transaction is aborted).
 *
 * <p>A failure because of the schema registry ({@link DeadLetterHandlers} fail the task rather than
 * dead-letter a good record) first waits, on the failed thread, until the registry answers or the
 * longest backoff has passed a few times over ({@link RegistryProbe#awaitAnswer}); so processing
 * pauses while the registry is away instead of restarting threads in a loop.
 *
 * <p>A failure caused by a full state directory ("No space left on device" anywhere in its causes)
 * would fail again at once in the new thread, and again: instead the failed thread waits, before it
 * is replaced, until the space is back (or, in case the space freed cannot be seen, until a retry
 * whose wait doubles, from {@value #FIRST_RETRY_MS} ms up to {@value #MAX_RETRY_MS} ms, each said in a
 * WARN line). The thread is
 * Kafka Streams' own and still holds its tasks: nothing is processed or committed meanwhile, the
 * client stays up (never in {@code ERROR}), and it closes at once if asked to. One ERROR line names
 * the directory and the cause when the directory fills, one INFO line says when processing resumes;
 * {@link #STATE_DIRECTORY_FULL} counts those episodes, not the threads that failed in them.
 */
public final class ThreadFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

    /** How many of the longest backoffs one failed thread waits for the registry before it is replaced anyway. */
    static final int MAX_WAITS_PER_FAILURE = 4;

    /** Times a state directory of this JVM filled up: once per episode, however many threads failed in it. */
    public static final AtomicLong STATE_DIRECTORY_FULL = new AtomicLong();

    /** How often a waiting thread looks at the free space and at whether its client is closing. */
    static final long LOOK_EVERY_MS = 500;
    /** Retries without space seen coming back (a filesystem out of inodes frees no bytes) start this far apart... */
    static final long FIRST_RETRY_MS = 30_000;
    /** ...and double up to this. */
    static final long MAX_RETRY_MS = 300_000;
    /**
     * The space that must come back: Kafka Streams' RocksDB memtables are 16 MB, and writing one out
     * needs about that much; on a filesystem smaller than 256 MB, a sixteenth of it. Not more: what
     * is freed may be less than what the state grew to while the directory was full (stores wiped and
     * restored, compactions left undone), and space never seen back would leave the episode open for
     * good: the thread would go on only at each retry, and the next time the directory fills would
     * go unreported.
     */
    static final long SPACE_BACK_BYTES = 16L * 1024 * 1024;
    /** See {@link #SPACE_BACK_BYTES}. */
    static final int SPACE_BACK_SHARE = 16;

    /** Sleeps; a seam for the tests. */
    interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    private final Path stateDir;
    private final StateDirectorySpace space;
    private final BooleanSupplier closing;
    private final Sleeper sleeper;
    /** Null where there is no registry to wait for (tests of the disk rules). */
    private final RegistryProbe registry;
    private final OutageMetrics metrics = OutageMetrics.get();

    private final Object episode = new Object();
    private boolean full;          // in an episode: the directory was found full and no space seen back since
    private long nextRetryMs;      // the wait before the next retry without space seen back

    ThreadFailures(Path stateDir, StateDirectorySpace space, BooleanSupplier closing, Sleeper sleeper, RegistryProbe registry) {
        this.stateDir = stateDir;
        this.space = space;
        this.closing = closing;
        this.sleeper = sleeper;
        this.registry = registry;
    }

    /**
     * The handler for {@code streams}, whose state directory is {@code stateDir} and whose schema
     * registry {@code registry} watches.
     */
    public static StreamsUncaughtExceptionHandler replaceThread(KafkaStreams streams, Path stateDir, RegistryProbe registry) {
        return new ThreadFailures(stateDir, StateDirectorySpace.of(stateDir),
                () -> !streams.state().isRunningOrRebalancing(), Thread::sleep, registry);
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        Optional<Throwable> noSpace = NoSpaceLeft.in(failure);
        SchemaRegistryException registryCause = SchemaRegistryException.in(failure);
        if (noSpace.isPresent()) {
            awaitSpace(noSpace.get());
        } else if (registryCause != null && registry != null) {
            awaitRegistry(registryCause);
        } else {
            LOG.error("stream thread failed; replacing it, its tasks restart from their last commit", failure);
        }
        metrics.threadReplaced();
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private void awaitRegistry(SchemaRegistryException cause) {
        metrics.registryDown(cause.getMessage());
        LOG.warn("stream thread stopped: the schema registry {} cannot be used ({}). Nothing was dead-lettered; processing "
                + "pauses until it answers, then the thread is replaced and its tasks restart from their last commit",
                registry.where(), cause.getMessage());
        SchemaRegistryException last = registry.awaitAnswer(MAX_WAITS_PER_FAILURE * registry.maxBackoffMs());
        if (last != null && !last.isTransient()) {
            LOG.error("the schema registry {} answers but refuses: {}. Check schema.registry.url and its credentials; "
                    + "the thread is replaced and tries again", registry.where(), last.getMessage());
        }
    }

    private void awaitSpace(Throwable cause) {
        long freeAtFailure = space.usableBytes();
        long total = space.totalBytes();
        long wait;
        synchronized (episode) {
            if (!full) {
                full = true;
                nextRetryMs = FIRST_RETRY_MS;
                STATE_DIRECTORY_FULL.incrementAndGet();
                LOG.error("the state directory {} is full: no space left on device ({}); {} bytes free of {}. Processing stops "
                                + "until there is space again, then the tasks restart from their last commit: nothing is lost. "
                                + "Free space there or give state.dir a larger filesystem.",
                        stateDir, cause.getMessage(), freeAtFailure, total);
            }
            wait = nextRetryMs;
            nextRetryMs = Math.min(2 * nextRetryMs, MAX_RETRY_MS);
        }
        long needed = freeAtFailure + (total > 0 ? Math.min(SPACE_BACK_BYTES, total / SPACE_BACK_SHARE) : SPACE_BACK_BYTES);
        for (long waited = 0; waited < wait; waited += LOOK_EVERY_MS) {
            if (closing.getAsBoolean()) {
                return;
            }
            long free = space.usableBytes();
            if (free >= needed) {
                synchronized (episode) {
                    if (full) {
                        full = false;
                        LOG.info("space is back in the state directory {}: {} bytes free; processing resumes", stateDir, free);
                    }
                }
                return;
            }
            try {
                sleeper.sleep(LOOK_EVERY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("no space seen coming back in the state directory {} within {} ms ({} bytes free, {} needed); "
                + "the thread is replaced and tries again", stateDir, wait, space.usableBytes(), needed);
    }
}
