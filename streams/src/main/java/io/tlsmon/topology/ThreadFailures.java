package io.tlsmon.topology;

import io.tlsmon.schemas.registry.SchemaRegistryException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;
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
 * would fail again at once in the new thread, and again: instead it is reported to the directory's
 * {@link StateDirectoryFull} (which logs and counts the episode once) and the failed thread waits,
 * before it is replaced, until the episode ends (or, in case the space freed cannot be seen, until a
 * retry whose wait doubles, from {@value #FIRST_RETRY_MS} ms up to {@value #MAX_RETRY_MS} ms, each said
 * in a WARN line). The thread is Kafka Streams' own and still holds its tasks: nothing is processed or
 * committed meanwhile, the client stays up (never in {@code ERROR}), and it closes at once if asked to.
 * The first such failure after an episode ended, with the space still there, is a store that was
 * already failing when the space came back: its thread is replaced at once.
 */
public final class ThreadFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

    /** How many of the longest backoffs one failed thread waits for the registry before it is replaced anyway. */
    static final int MAX_WAITS_PER_FAILURE = 4;

    /** Retries without space seen coming back (a filesystem out of inodes frees no bytes) start this far apart... */
    static final long FIRST_RETRY_MS = 30_000;
    /** ...and double up to this. */
    static final long MAX_RETRY_MS = 300_000;

    /** Sleeps; a seam for the tests. */
    interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    private final StateDirectoryFull full;
    private final BooleanSupplier closing;
    private final Sleeper sleeper;
    /** Null where there is no registry to wait for (tests of the disk rules). */
    private final RegistryProbe registry;
    private final OutageMetrics metrics = OutageMetrics.get();

    private long retriesOfEpisode;  // the episode whose retries nextRetryMs counts
    private long nextRetryMs;       // the wait before the next retry without space seen back

    ThreadFailures(StateDirectoryFull full, BooleanSupplier closing, Sleeper sleeper, RegistryProbe registry) {
        this.full = full;
        this.closing = closing;
        this.sleeper = sleeper;
        this.registry = registry;
    }

    /**
     * The handler for {@code streams}, whose state directory is {@code stateDir} and whose schema
     * registry {@code registry} watches.
     */
    public static StreamsUncaughtExceptionHandler replaceThread(KafkaStreams streams, Path stateDir, RegistryProbe registry) {
        return new ThreadFailures(StateDirectoryFull.of(stateDir), () -> !streams.state().isRunningOrRebalancing(), Thread::sleep, registry);
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
        if (full.isAfterEffect()) {
            LOG.warn("a store in {} still said no space left on device ({}) after the space came back; the thread is replaced "
                    + "at once and its stores are opened anew", full.directory(), cause.getMessage());
            return;
        }
        long episode = full.found(cause.getMessage());
        long wait;
        synchronized (this) {
            if (episode != retriesOfEpisode) {
                retriesOfEpisode = episode;
                nextRetryMs = FIRST_RETRY_MS;
            }
            wait = nextRetryMs;
            nextRetryMs = Math.min(2 * nextRetryMs, MAX_RETRY_MS);
        }
        for (long waited = 0; waited < wait; waited += StateDirectoryFull.LOOK_EVERY_MS) {
            if (closing.getAsBoolean() || full.endIfSpaceBack()) {
                return;
            }
            try {
                sleeper.sleep(StateDirectoryFull.LOOK_EVERY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("no space seen coming back in the state directory {} within {} ms ({} bytes free); "
                + "the thread is replaced and tries again", full.directory(), wait, full.space().usableBytes());
    }
}
