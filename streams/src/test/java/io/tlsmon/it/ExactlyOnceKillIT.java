package io.tlsmon.it;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.RawLine;
import io.tlsmon.schemas.registry.FakeConfluentRegistryServer;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code processing.guarantee=exactly_once_v2}, an instance killed with SIGKILL in the middle
 * of its work and restarted yields exactly the alerts of an uninterrupted run: none missing, none
 * twice. The instance is the real {@code tlsmon run} command in a child JVM; the schema registry is
 * an in-JVM server speaking Confluent's REST API, shared by the test and the child.
 */
class ExactlyOnceKillIT {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    /** The child instances' logs stay in target/ for a look after a failure. */
    private static final Path LOGS = Path.of("target", "exactly-once-kill");

    @Test
    void killedMidRunAndRestartedItEmitsEveryAlertExactlyOnce(@TempDir Path dir) throws Exception {
        Files.createDirectories(LOGS);
        try (KafkaCluster cluster = KafkaCluster.start(); FakeConfluentRegistryServer registry = FakeConfluentRegistryServer.start()) {
            List<RawLine> lines = Workload.lines("ex1", 150, 10, T0);

            // the reference: the same lines, processed without interruption
            Map<String, Object> ref = StreamsHarness.settings(cluster, "ref.", "tlsmon-ref", registry.url(), dir.resolve("ref").toString());
            TlsmonConfig refConfig = new TlsmonConfig(ref);
            StreamsHarness.createTopics(cluster, refConfig);
            Topics refTopics = Topics.of(refConfig);
            StreamsHarness.produce(cluster, refTopics, lines);
            try (StreamsHarness.Running app = StreamsHarness.start(ref)) {
                StreamsHarness.awaitConsumed(cluster, "tlsmon-ref", refTopics.rawLines().name(), Duration.ofSeconds(120));
            }
            List<String> expected = ids(StreamsHarness.readAlerts(cluster, refTopics, Duration.ofSeconds(2)));
            assertThat(expected).hasSizeGreaterThan(100);

            // the same lines for an exactly-once instance that is killed twice on the way
            Map<String, Object> eos = StreamsHarness.settings(cluster, "eos.", "tlsmon-eos", registry.url(), dir.resolve("eos").toString());
            eos.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            // long transactions, so that each kill falls inside one and its writes must be aborted
            eos.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 3_000);
            TlsmonConfig eosConfig = new TlsmonConfig(eos);
            StreamsHarness.createTopics(cluster, eosConfig);
            Topics eosTopics = Topics.of(eosConfig);
            Path config = StreamsHarness.writeProperties(dir.resolve("eos.properties"), eos);
            int third = lines.size() / 3;

            long written = 0;
            for (int kill = 1; kill <= 2; kill++) {
                // lines arrive while instances come and go, as they would live
                StreamsHarness.produce(cluster, eosTopics, lines.subList((kill - 1) * third, kill * third));
                Process child = StreamsHarness.runChild(config, LOGS.resolve("child-" + kill + ".log"));
                try {
                    // kill as soon as this instance has written output of its own, committed or not
                    written = awaitUncommittedAttempts(cluster, eosTopics, written + 1, Duration.ofSeconds(120), child, LOGS.resolve("child-" + kill + ".log"));
                } finally {
                    child.destroyForcibly();
                }
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(StreamsHarness.read(cluster, eosTopics.attempts().name(), "read_committed", Duration.ofMillis(500)))
                        .as("kill %d came in the middle of the work", kill).hasSizeLessThan(lines.size() / 8);
            }
            StreamsHarness.produce(cluster, eosTopics, lines.subList(2 * third, lines.size()));
            Process last = StreamsHarness.runChild(config, LOGS.resolve("child-last.log"));
            try {
                // under exactly-once a committed offset stops short of the last transaction marker, so
                // "consumed" is judged by the output: as many committed alerts as the reference, then quiet
                awaitCommittedAlerts(cluster, eosTopics, expected.size(), Duration.ofSeconds(180), last, LOGS.resolve("child-last.log"));
                Thread.sleep(3_000);
            } finally {
                last.destroy();
                if (!last.waitFor(60, TimeUnit.SECONDS)) {
                    last.destroyForcibly();
                }
            }
            List<String> actual = ids(StreamsHarness.readAlerts(cluster, eosTopics, Duration.ofSeconds(2)));
            assertThat(actual).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
            assertThat(StreamsHarness.read(cluster, eosTopics.attempts().name(), "read_uncommitted", Duration.ofSeconds(1)))
                    .as("the killed instances wrote attempts that were then aborted")
                    .hasSizeGreaterThan(StreamsHarness.read(cluster, eosTopics.attempts().name(), "read_committed", Duration.ofSeconds(1)).size());
        }
    }

    private static List<String> ids(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getType() + " " + a.getId() + " " + a.getRule() + " " + a.getSender()).toList();
    }

    /** Waits until the attempts topic holds at least {@code target} records, committed or not. */
    private static long awaitUncommittedAttempts(KafkaCluster cluster, Topics topics, long target, Duration timeout,
                                               Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long n = StreamsHarness.read(cluster, topics.attempts().name(), "read_uncommitted", Duration.ofMillis(300)).size();
            if (n >= target) {
                return n;
            }
            if (!child.isAlive()) {
                throw new AssertionError("tlsmon run exited early:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + target + " attempts within " + timeout + ":\n" + Files.readString(log));
    }

    private static void awaitCommittedAlerts(KafkaCluster cluster, Topics topics, int target, Duration timeout,
                                             Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (StreamsHarness.readAlerts(cluster, topics, Duration.ofMillis(300)).size() >= target) {
                return;
            }
            if (!child.isAlive()) {
                throw new AssertionError("tlsmon run exited early:\n" + Files.readString(log));
            }
            Thread.sleep(500);
        }
        // not thrown: the comparison that follows shows what is missing or different
    }
}
