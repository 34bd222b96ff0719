package io.tlsmon.it;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.RawLine;
import io.tlsmon.topology.StoreNames;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Raw lines to alerts through a real broker, and state restored from the changelogs after a restart. */
class EndToEndIT {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.start();
        System.out.println("EndToEndIT runs against: " + cluster.kind());
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    @Test
    void rawLinesBecomeAttemptsAndAlertsThroughARealBroker(@TempDir Path state) throws Exception {
        Map<String, Object> s = StreamsHarness.settings(cluster, "e2e.", "tlsmon-e2e", "mock://e2e", state.toString());
        TlsmonConfig config = new TlsmonConfig(s);
        StreamsHarness.createTopics(cluster, config);
        Topics topics = Topics.of(config);
        List<RawLine> lines = Workload.lines("ex1", 20, 8, T0);
        StreamsHarness.produce(cluster, topics, lines);
        try (StreamsHarness.Running app = StreamsHarness.start(s)) {
            StreamsHarness.awaitConsumed(cluster, "tlsmon-e2e", topics.rawLines().name(), Duration.ofSeconds(90));
            List<Alert> alerts = StreamsHarness.readAlerts(cluster, topics, Duration.ofSeconds(3));
            Set<Outcome> raised = alerts.stream().filter(a -> a.getType() == AlertType.RAISED).map(Alert::getOutcome).collect(Collectors.toSet());
            assertThat(raised).contains(Outcome.DEPRECATED_PROTOCOL, Outcome.NO_SHARED_CIPHER, Outcome.CERTIFICATE_UNTRUSTED);
            assertThat(alerts).anyMatch(a -> a.getType() == AlertType.RESOLVED);
            assertThat(StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(1)))
                    .hasSize(20 * 8 + 1); // the very last session never closes: nothing comes after it
            assertThat(StreamsHarness.topicNames(cluster)).contains(
                    "tlsmon-e2e-" + StoreNames.SESSIONS + "-changelog",
                    "tlsmon-e2e-" + StoreNames.SENDER_STATES + "-changelog",
                    "tlsmon-e2e-" + StoreNames.ATTEMPTS_BY_SENDER + "-repartition");
        }
    }

    @Test
    void aRestartWithoutLocalStateRestoresItFromTheChangelogs(@TempDir Path first, @TempDir Path second) throws Exception {
        Map<String, Object> s = StreamsHarness.settings(cluster, "restore.", "tlsmon-restore", "mock://restore", first.toString());
        TlsmonConfig config = new TlsmonConfig(s);
        StreamsHarness.createTopics(cluster, config);
        Topics topics = Topics.of(config);
        List<RawLine> all = Workload.lines("ex1", 10, 6, T0);
        int half = all.size() / 2;
        StreamsHarness.produce(cluster, topics, all.subList(0, half));
        long firstHalf;
        try (StreamsHarness.Running app = StreamsHarness.start(s)) {
            StreamsHarness.awaitConsumed(cluster, "tlsmon-restore", topics.rawLines().name(), Duration.ofSeconds(90));
            firstHalf = store(app.streams()).get("10.0.1.7").getTotals().get("DEPRECATED_PROTOCOL");
        }
        assertThat(firstHalf).isBetween(1L, 5L);
        List<Alert> before = StreamsHarness.readAlerts(cluster, topics, Duration.ofSeconds(2));
        assertThat(before).isNotEmpty();

        // a new instance with an empty state directory: everything must come back from the changelogs
        Map<String, Object> again = StreamsHarness.settings(cluster, "restore.", "tlsmon-restore", "mock://restore", second.toString());
        StreamsHarness.produce(cluster, topics, all.subList(half, all.size()));
        try (StreamsHarness.Running app = StreamsHarness.start(again)) {
            StreamsHarness.awaitConsumed(cluster, "tlsmon-restore", topics.rawLines().name(), Duration.ofSeconds(90));
            ReadOnlyKeyValueStore<String, io.tlsmon.avro.SenderState> states = store(app.streams());
            // sender 10.0.1.7 negotiated TLS 1.0 in every session of both halves
            assertThat(states.get("10.0.1.7").getTotals().get("DEPRECATED_PROTOCOL")).isEqualTo(6L);
        }
        List<Alert> after = StreamsHarness.readAlerts(cluster, topics, Duration.ofSeconds(2));
        // deduplicated across the restart: still one deprecated-protocol warning for that sender today
        assertThat(after).filteredOn(a -> a.getSender().equals("10.0.1.7") && a.getType() == AlertType.RAISED).hasSize(1);
        assertThat(after.stream().map(a -> a.getId() + a.getType()).distinct().count()).isEqualTo(after.size());
    }

    private static ReadOnlyKeyValueStore<String, io.tlsmon.avro.SenderState> store(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return streams.store(StoreQueryParameters.fromNameAndType(StoreNames.SENDER_STATES, QueryableStoreTypes.keyValueStore()));
            } catch (InvalidStateStoreException e) {
                // a rebalance or restoration is in progress: Kafka Streams asks callers to retry
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
