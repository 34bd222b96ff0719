package io.tlsmon.it;

import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.RawLine;
import io.tlsmon.topology.DeadLetterHandlers;
import io.tlsmon.topology.StoreNames;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write to a changelog that the broker refuses is never skipped: the task fails and restarts from
 * its last commit, again and again, committing nothing past the record; no dead letter pretends the
 * write was handled. Once the cause is fixed (here: the changelog's size limit, set too small by
 * hand on a real broker), the instance gets past it by itself and loses no line.
 */
class RefusedInternalWriteIT {
    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.start();
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    @Test
    void aRefusedChangelogWriteFailsTheTaskUntilTheCauseIsFixedAndLosesNothing(@TempDir Path state) throws Exception {
        String appId = "tlsmon-refused";
        Map<String, Object> s = StreamsHarness.settings(cluster, "refused.", appId, "mock://refused", state.toString());
        // under exactly-once the failed task's transaction aborts: what it wrote before the refusal is not seen
        s.put("processing.guarantee", "exactly_once_v2");
        TlsmonConfig config = new TlsmonConfig(s);
        Topics topics = Topics.of(config);
        StreamsHarness.createTopics(cluster, config);
        String changelog = appId + "-" + StoreNames.SESSIONS + "-changelog";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            // every open session is larger than this: the broker refuses each changelog write
            admin.createTopics(List.of(new NewTopic(changelog, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "120")))).all().get();
        }
        List<RawLine> lines = Workload.lines("ex1", 10, 4, Instant.parse("2025-03-01T10:00:00Z"));
        StreamsHarness.produce(cluster, topics, lines);
        long refusedBefore = DeadLetterHandlers.INTERNAL_WRITES_REFUSED.get();
        try (StreamsHarness.Running app = StreamsHarness.start(s)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (DeadLetterHandlers.INTERNAL_WRITES_REFUSED.get() - refusedBefore < 3 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            // refused again after each restart: the task goes back to its last commit every time
            assertThat(DeadLetterHandlers.INTERNAL_WRITES_REFUSED.get() - refusedBefore).isGreaterThanOrEqualTo(3);
            assertThat(committedRawOffset(appId, topics)).as("nothing committed past the refused write").isLessThan(lines.size());
            List<DeadLetter> letters = StreamsHarness.read(cluster, topics.deadLetters().name(), "read_committed", Duration.ofSeconds(2))
                    .stream().map(r -> topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            assertThat(letters).as("a refused internal write is no dead letter").isEmpty();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, changelog),
                        List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048576"), AlterConfigOp.OpType.SET)))).all().get();
            }
            StreamsHarness.awaitConsumed(cluster, appId, topics.rawLines().name(), Duration.ofSeconds(120));
            List<String> ids = StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(2)).stream()
                    .map(r -> topics.attempts().valueSerde().deserializer().deserialize(r.topic(), r.value()).getId()).toList();
            // every session is an attempt, once: 10 senders x 4 sessions and the first of the two late ones (the last stays open)
            assertThat(ids).hasSize(41).doesNotHaveDuplicates();
        }
    }

    private static long committedRawOffset(String appId, Topics topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata raw = committed.get(new TopicPartition(topics.rawLines().name(), 0));
            return raw == null ? 0 : raw.offset();
        }
    }
}
