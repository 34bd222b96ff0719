package io.tlsmon.it;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.RawLine;
import io.tlsmon.topology.StoreNames;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.TlsmonTopology;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/** Producing, running and reading the real topology against a real broker, for the *IT tests. */
final class StreamsHarness {
    private StreamsHarness() {
    }

    static Map<String, Object> settings(KafkaCluster cluster, String prefix, String appId, String registryUrl, String stateDir) {
        Map<String, Object> s = new HashMap<>();
        s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        s.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        s.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        s.put(TlsmonConfig.TOPIC_PREFIX_CONFIG, prefix);
        s.put(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        s.put(TlsmonConfig.TOPIC_PARTITIONS_CONFIG, 1);
        // an instance killed without leaving its group holds its partitions until this expires
        s.put("session.timeout.ms", 10_000);
        s.put("heartbeat.interval.ms", 2_000);
        return s;
    }

    static void createTopics(KafkaCluster cluster, TlsmonConfig config) {
        cluster.createTopics(1, Topics.of(config).externalNames().toArray(String[]::new));
    }

    static void produce(KafkaCluster cluster, Topics topics, List<RawLine> lines) {
        produce(cluster, topics, lines.stream().map(r -> new ProducerRecord<>(topics.rawLines().name(), null, r.getTime().toEpochMilli(),
                r.getSourceHost() + "|" + r.getLogKind(), r)).toList());
    }

    /** Writes {@code records} in order and waits until the broker has every one. */
    static void produce(KafkaCluster cluster, Topics topics, Collection<ProducerRecord<String, RawLine>> records) {
        // one request in flight keeps the order on a loaded machine; every send is checked, so a
        // lost line fails the test here and not as a puzzling count later
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>(records.size());
        try (KafkaProducer<String, RawLine> producer = new KafkaProducer<>(p, new StringSerializer(), topics.rawLines().valueSerde().serializer())) {
            for (ProducerRecord<String, RawLine> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (var f : sent) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a test line was not written: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    /** A running instance that leaves its group on close, so the next instance need not wait for its session to expire. */
    record Running(KafkaStreams streams) implements AutoCloseable {
        @Override
        public void close() {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }

    static Running start(Map<String, Object> settings) {
        TlsmonConfig config = new TlsmonConfig(settings);
        Properties props = config.streamsProperties();
        StreamsBuilder builder = new StreamsBuilder();
        TlsmonTopology.build(builder, config);
        KafkaStreams streams = new KafkaStreams(builder.build(props), props);
        streams.setUncaughtExceptionHandler(io.tlsmon.topology.ThreadFailures.replaceThread());
        streams.start();
        return new Running(streams);
    }

    /**
     * Waits until the application has committed offsets at the end of the raw topic and of every
     * other partition it reads (its repartition topics), twice in a row.
     */
    static void awaitConsumed(KafkaCluster cluster, String appId, String topic, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int caughtUp = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
                // every stage must have committed: the input and the repartition topics behind it
                List<String> required = new ArrayList<>(List.of(topic, appId + "-" + StoreNames.ATTEMPTS_BY_SENDER + "-repartition"));
                if (topic.endsWith(Topics.SHIPPED_LINES)) {
                    required.add(appId + "-" + StoreNames.SHIPPED_BY_STREAM + "-repartition");
                }
                boolean rawSeen = required.stream().allMatch(t -> committed.keySet().stream().anyMatch(tp -> tp.topic().equals(t)));
                Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
                committed.keySet().forEach(tp -> ask.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(ask).all().get();
                boolean all = rawSeen && committed.entrySet().stream()
                        .allMatch(e -> e.getValue() != null && e.getValue().offset() >= ends.get(e.getKey()).offset());
                caughtUp = all ? caughtUp + 1 : 0;
                if (caughtUp >= 2) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("application " + appId + " did not consume everything (" + topic + " and its repartition topics) within " + timeout);
        }
    }

    /** Every committed alert of the topic, in order. */
    static List<Alert> readAlerts(KafkaCluster cluster, Topics topics, Duration quiet) {
        return read(cluster, topics.alerts().name(), "read_committed", quiet).stream()
                .map(r -> topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .collect(Collectors.toList());
    }

    /** Reads a topic from the start until nothing new came for {@code quiet}. */
    static List<ConsumerRecord<String, byte[]>> read(KafkaCluster cluster, String topic, String isolation, Duration quiet) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long lastNew = System.nanoTime();
            while (System.nanoTime() - lastNew < quiet.toNanos()) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    batch.forEach(out::add);
                    lastNew = System.nanoTime();
                }
            }
        }
        return out;
    }

    static Set<String> topicNames(KafkaCluster cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            return admin.listTopics().names().get();
        }
    }
}
