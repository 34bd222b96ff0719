package io.tlsmon.topology;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an instance does when a stream thread fails (a write the broker refused to a changelog or
 * repartition topic, a bug): the thread is replaced, so its tasks restart from their last commit,
 * with their state restored from the changelogs; nothing after that commit is lost or skipped.
 */
public final class ThreadFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadFailures.class);

    private ThreadFailures() {
    }

    public static StreamsUncaughtExceptionHandler replaceThread() {
        return e -> {
            LOG.error("stream thread failed; replacing it, its tasks restart from their last commit", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        };
    }
}
