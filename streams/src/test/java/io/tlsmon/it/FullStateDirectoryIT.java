package io.tlsmon.it;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.ops.MetricsEndpoint;
import io.tlsmon.topology.StateDirectoryFull;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state directory on a small filesystem that fills up (a tmpfs of its own, taken by a filler
 * file), twice: the instance stops processing (paused, its threads kept), says why in one log line
 * naming the directory and "no space left on device", neither spins nor gives up, and carries on by
 * itself once the space is back (the first time the filler is deleted, the second time the
 * filesystem is made larger under it). Under exactly-once every attempt and alert is committed once,
 * as the offline engine makes them.
 */
class FullStateDirectoryIT {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    /** How long after the directory was found full a commit already under way may still land. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    @Test
    void aFullStateDirectoryStopsTheInstanceUntilSpaceIsBackAndLosesNothing(@TempDir Path dir) throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(dir.resolve("small"), 64);
             KafkaCluster cluster = KafkaCluster.start();
             CapturedLog log = CapturedLog.start()) {
            String appId = "tlsmon-full";
            Path stateDir = fs.root().resolve("state");
            Map<String, Object> s = StreamsHarness.settings(cluster, "full.", appId, "mock://full", stateDir.toString());
            s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            // the state must reach the disk while the test runs, not stay in memtables
            s.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SmallMemtables.class.getName());
            TlsmonConfig config = new TlsmonConfig(s);
            Topics topics = Topics.of(config);
            StreamsHarness.createTopics(cluster, config);
            List<RawLine> lines = Workload.lines("ex1", 150, 8, T0);
            Workload.Expected expected = Workload.offline(lines, config.engineSettings());
            int quarter = lines.size() / 4;
            StreamsHarness.produce(cluster, topics, lines.subList(0, quarter));
            StateDirectoryFull full = StateDirectoryFull.of(stateDir);
            String named = "ERROR " + StateDirectoryFull.class.getName();

            try (StreamsHarness.Running app = StreamsHarness.start(s)) {
                awaitCommittedAttempts(cluster, topics, 1, Duration.ofSeconds(60));
                Set<String> threadsBefore = threadNames(app.streams());

                // the first time: a filler file takes every byte left, then is deleted
                fs.fill();
                Supplier<String> seen = () -> diagnostics(fs, log);
                int next = produceUntilEpisode(cluster, topics, full, lines, quarter, lines.size() / 2, 1, seen);
                // stopped: nothing more is committed, the client stays up, and the failed thread is not replaced
                // (a new thread would fail again at once, and again) until the space is back
                assertStopped(app.streams(), cluster, topics, threadsBefore);
                assertThat(committedAttempts(cluster, topics).size()).as("the disk filled in the middle of the work")
                        .isLessThan(expected.attempts().size());
                assertThat(log.lines(named, stateDir.toString(), "no space left on device"))
                        .as("one log line naming the state directory and the cause").hasSize(1);
                fs.free();
                StreamsHarness.awaitConsumed(cluster, appId, topics.rawLines().name(), Duration.ofSeconds(60));
                assertThat(app.streams().isPaused()).as("resumed once the space is back").isFalse();
                assertThat(MetricsEndpoint.of(app.streams()).render()).contains("\ntlsmon_state_directory_full 0\n");

                // the second time: full again, with the state grown and restored once, and the filesystem is
                // made larger under the running instance
                fs.fill();
                next = produceUntilEpisode(cluster, topics, full, lines, next, lines.size(), 2, seen);
                assertStopped(app.streams(), cluster, topics, threadNames(app.streams()));
                fs.remount(128);
                StreamsHarness.produce(cluster, topics, lines.subList(next, lines.size()));
                StreamsHarness.awaitConsumed(cluster, appId, topics.rawLines().name(), Duration.ofSeconds(60));

                assertThat(committedAttempts(cluster, topics)).as("attempts").containsExactlyElementsOf(expected.attempts());
                List<Alert> alerts = StreamsHarness.readAlerts(cluster, topics, Duration.ofSeconds(2));
                assertThat(alerts).as("alerts").containsExactlyElementsOf(expected.alerts());
                assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
            assertThat(full.episodes()).as("episodes").isEqualTo(2);
            assertThat(log.lines(named, stateDir.toString(), "no space left on device")).as("logged once per episode").hasSize(2);
            assertThat(log.lines("INFO " + StateDirectoryFull.class.getName(), stateDir.toString(), "processing resumes")).hasSize(2);
        }
    }

    /**
     * Stopped: paused, nothing more committed for four seconds (once a commit already under way has
     * landed), the client up and its threads the same (a failed thread is held until the space is back:
     * a new one would fail again at once, and again).
     */
    private static void assertStopped(KafkaStreams streams, KafkaCluster cluster, Topics topics, Set<String> threads)
            throws InterruptedException {
        Thread.sleep(SETTLE.toMillis());
        int atStop = committedAttempts(cluster, topics).size();
        for (int i = 0; i < 8; i++) {
            Thread.sleep(500);
            assertThat(streams.state()).isNotIn(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
            assertThat(streams.isPaused()).as("paused while the disk is full").isTrue();
            assertThat(MetricsEndpoint.of(streams).render()).contains("\ntlsmon_state_directory_full 1\n");
            assertThat(threadNames(streams)).as("stream threads while the disk is full").isEqualTo(threads);
        }
        assertThat(committedAttempts(cluster, topics)).as("nothing committed while the disk is full").hasSize(atStop);
    }

    /**
     * Produces {@code lines} from {@code from} a few at a time until the state directory was found full
     * {@code episodes} times in all (how many writes reach RocksDB's files before that varies);
     * returns where it stopped: the rest is for later.
     */
    private static int produceUntilEpisode(KafkaCluster cluster, Topics topics, StateDirectoryFull full, List<RawLine> lines,
                                           int from, int to, long episodes, Supplier<String> diagnostics) throws InterruptedException {
        int next = from;
        // generous: on a loaded machine (CI beside a benchmark) the restore after the first episode and the
        // writes that reach RocksDB's files take minutes, not seconds
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (full.episodes() < episodes && System.nanoTime() < deadline) {
            if (next < to) {
                int end = Math.min(next + 400, to);
                StreamsHarness.produce(cluster, topics, lines.subList(next, end));
                next = end;
            }
            Thread.sleep(500);
        }
        int produced = next;
        assertThat(full.episodes())
                .as(() -> "episodes of a full state directory, with lines " + from + "-" + produced + " of " + to + " produced and "
                        + committedAttempts(cluster, topics).size() + " attempts committed; " + diagnostics.get())
                .isEqualTo(episodes);
        return next;
    }

    /** What a failure should say: the space left, and what the instance said about its state directory. */
    private static String diagnostics(SmallFilesystem fs, CapturedLog log) {
        String free;
        try {
            free = fs.usableBytes() + " bytes free";
        } catch (java.io.IOException e) {
            free = "free space unknown (" + e.getMessage() + ")";
        }
        return free + "; the instance said:\n" + String.join("\n", log.lines("io.tlsmon.topology."))
                + "\nits stream threads were at:\n" + streamThreadStacks()
                + "RocksDB's logs said:\n" + rocksDbTroubles(fs.root());
    }

    /** What the stores' RocksDB LOG files say of stalls, stops and errors: the last few such lines of each. */
    private static String rocksDbTroubles(Path root) {
        StringBuilder out = new StringBuilder();
        try (var files = java.nio.file.Files.walk(root)) {
            for (Path logFile : files.filter(f -> f.getFileName().toString().equals("LOG")).toList()) {
                List<String> troubles = java.nio.file.Files.readAllLines(logFile).stream()
                        .filter(l -> l.contains("Stall") || l.contains("Stopping") || l.contains("rror") || l.contains("pace")
                                || l.contains("Cancelled") || l.contains("ecover"))
                        .toList();
                if (!troubles.isEmpty()) {
                    out.append(root.relativize(logFile)).append(":\n");
                    troubles.subList(Math.max(0, troubles.size() - 6), troubles.size()).forEach(l -> out.append("    ").append(l).append('\n'));
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            out.append("(cannot read them: ").append(e).append(")\n");
        }
        return out.toString();
    }

    /** Where each stream thread is: a stall shows whether it waits in RocksDB, in a commit or in the handler. */
    private static String streamThreadStacks() {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().contains("StreamThread")) {
                out.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    out.append("    at ").append(frame).append('\n');
                }
            }
        });
        return out.toString();
    }

    private static List<NegotiationAttempt> committedAttempts(KafkaCluster cluster, Topics topics) {
        return StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofMillis(700)).stream()
                .map(r -> topics.attempts().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    private static void awaitCommittedAttempts(KafkaCluster cluster, Topics topics, int atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (committedAttempts(cluster, topics).size() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + atLeast + " committed attempts within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** The client's stream threads: a replaced thread's successor has a new name. */
    private static Set<String> threadNames(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadName).collect(Collectors.toSet());
    }
}
