package io.tlsmon.topology;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stream threads that have stopped polling: a thread whose {@code poll-total} has not grown for
 * longer than the consumer's {@code max.poll.interval.ms} has lost its partitions by Kafka's own rule
 * and will not get them back, for it is held somewhere it does not return from (a native RocksDB call
 * that waits for room that came back too late for it). Nothing inside the process can free such a
 * thread, so it is said once and {@code /health/live} answers DOWN: the supervisor restarts the
 * process, and its tasks restart from their last commit elsewhere or here.
 *
 * <p>A thread held on purpose does not poll either: by {@link ThreadFailures} while the state
 * directory is full or the schema registry is away. While either lasts the clocks start again.
 */
final class StuckThreads {
    private final long stuckAfterMs;
    private final Map<String, Double> polls = new HashMap<>();
    private final Map<String, Long> sinceMs = new HashMap<>();
    private final Set<String> stuck = new HashSet<>();

    StuckThreads(long stuckAfterMs) {
        this.stuckAfterMs = stuckAfterMs;
    }

    /**
     * The threads' poll counts at {@code nowMs}; {@code heldOnPurpose} while threads may be held by
     * design. Returns the threads found stuck by this look (each once, until it polls again).
     */
    Set<String> observe(Map<String, Double> pollsByThread, long nowMs, boolean heldOnPurpose) {
        polls.keySet().retainAll(pollsByThread.keySet());
        sinceMs.keySet().retainAll(pollsByThread.keySet());
        stuck.retainAll(pollsByThread.keySet());
        Set<String> found = new HashSet<>();
        pollsByThread.forEach((thread, count) -> {
            Double before = polls.put(thread, count);
            if (before == null || count > before || heldOnPurpose) {
                sinceMs.put(thread, nowMs);
                stuck.remove(thread);
            } else if (nowMs - sinceMs.get(thread) > stuckAfterMs && stuck.add(thread)) {
                found.add(thread);
            }
        });
        return found;
    }

    long stuckAfterMs() {
        return stuckAfterMs;
    }

    /** Threads stuck now. */
    int count() {
        return stuck.size();
    }

    /** How long {@code thread} has gone without a poll, as of the last look. */
    long sinceMs(String thread) {
        return sinceMs.getOrDefault(thread, -1L);
    }
}
