package io.tlsmon.it;

import io.tlsmon.http.HttpApi;
import io.tlsmon.http.InstanceApi;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.engine.EngineSettings;
import io.tlsmon.engine.LineInput;
import io.tlsmon.engine.OfflineEngine;
import io.tlsmon.topology.EngineDifferentialTest;
import io.tlsmon.topology.RegistryProbe;
import io.tlsmon.topology.StoreNames;
import io.tlsmon.topology.StreamsWatch;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.RawLineInputs;
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

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        // several instances (child JVMs too) run at once: each its own free port for the HTTP API
        s.put(TlsmonConfig.HTTP_PORT_CONFIG, 0);
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
    record Running(KafkaStreams streams, RegistryProbe registry, StreamsWatch watch, HttpApi http) implements AutoCloseable {
        @Override
        public void close() {
            registry.close();
            watch.close();
            if (http != null) {
                http.close();
            }
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
    }

    static Running start(Map<String, Object> settings) {
        return start(settings, null);
    }

    /** As {@code tlsmon run} starts it (without waiting for the registry first), telling {@code states} of every change of state. */
    static Running start(Map<String, Object> settings, KafkaStreams.StateListener states) {
        TlsmonConfig config = new TlsmonConfig(settings);
        Properties props = config.streamsProperties();
        StreamsBuilder builder = new StreamsBuilder();
        TlsmonTopology.build(builder, config);
        HttpApi http = InstanceApi.bind(config, props).orElse(null);
        org.apache.kafka.streams.Topology topology = builder.build(props);
        KafkaStreams streams = new KafkaStreams(topology, props);
        if (http != null) {
            InstanceApi.serve(http, streams, topology, props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        }
        RegistryProbe registry = RegistryProbe.of(config);
        StreamsWatch watch = StreamsWatch.attach(streams, config, registry);
        if (states != null) {
            streams.setStateListener(states);
        }
        streams.start();
        return new Running(streams, registry, watch.start(), http);
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

    /** {@code tlsmon run --config config} in a child JVM, its output in {@code log}. */
    static Process runChild(Path config, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams=info", "-cp", System.getProperty("java.class.path"),
                "io.tlsmon.cli.Main", "run", "--config", config.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    /** The settings as a properties file for {@code tlsmon run --config}. */
    static Path writeProperties(Path file, Map<String, Object> settings) throws IOException {
        Properties p = new Properties();
        settings.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "tlsmon integration test");
        }
        return file;
    }

    /** Attempts, alerts and dead letters as committed to the output topics (dead letters as the differential test describes them). */
    static EngineDifferentialTest.Result committedOutput(KafkaCluster cluster, Topics topics) {
        List<NegotiationAttempt> attempts = read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(2)).stream()
                .map(r -> topics.attempts().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
        List<String> dead = read(cluster, topics.deadLetters().name(), "read_committed", Duration.ofSeconds(1)).stream()
                .map(r -> EngineDifferentialTest.describe(topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value())))
                .toList();
        return new EngineDifferentialTest.Result(attempts, readAlerts(cluster, topics, Duration.ofSeconds(1)), dead);
    }

    /**
     * What the offline engine makes of the records of a raw-lines topic, in their order, each taken as
     * the topology takes it (its key, the broker's timestamp as the arrival time); records that are not
     * RawLines are left out, as the dead letters they become are not the engine's.
     */
    static EngineDifferentialTest.Result offline(List<ConsumerRecord<String, byte[]>> rawRecords, Topics topics, EngineSettings settings) {
        List<NegotiationAttempt> attempts = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        OfflineEngine engine = new OfflineEngine(settings, o -> {
            switch (o.kind()) {
                case ATTEMPT -> attempts.add(o.attempt());
                case ALERT -> alerts.add(o.alert());
                case DEAD_LETTER -> dead.add(EngineDifferentialTest.describe(o.deadLetter()));
            }
        });
        for (ConsumerRecord<String, byte[]> r : rawRecords) {
            RawLine raw;
            try {
                raw = topics.rawLines().valueSerde().deserializer().deserialize(r.topic(), r.value());
            } catch (org.apache.kafka.common.errors.SerializationException e) {
                continue;
            }
            String key = RawLineInputs.streamKey(r.key(), raw);
            if (raw.getEndOfStream()) {
                engine.endOfStream(key);
                continue;
            }
            engine.accept(RawLineInputs.of(key, raw, RawLineInputs.formatOf(raw), r.timestamp(),
                    new LineInput.RecordPosition(r.topic(), r.partition(), r.offset())));
        }
        return new EngineDifferentialTest.Result(attempts, alerts, dead);
    }

    static Set<String> topicNames(KafkaCluster cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            return admin.listTopics().names().get();
        }
    }
}
