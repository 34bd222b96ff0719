package io.tlsmon.it;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.health.Outage;
import io.tlsmon.schemas.registry.FakeConfluentRegistryServer;
import io.tlsmon.schemas.registry.RestSchemaRegistryClient;
import io.tlsmon.schemas.serde.ConfluentAvroSerde;
import io.tlsmon.topology.EngineDifferentialTest.Result;
import io.tlsmon.topology.OutageMetrics;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Streams instance while the schema registry (the in-JVM Confluent-API server) is down. Mid-run,
 * records arrive written with a schema id the instance has not seen yet, so reading them needs the
 * registry: processing pauses, nothing becomes a dead letter because of the outage, and once the
 * registry is back (same port, same schemas) every attempt and alert is there exactly once, as the
 * offline engine makes them of the same records; a garbage record among them still becomes its one
 * dead letter (as one before the outage did). At start, {@code tlsmon run} names the registry, waits for it, then processes.
 */
class RegistryOutageIT {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Path LOGS = Path.of("target", "registry-outage");
    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.start();
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    private static Map<String, Object> settings(String prefix, String appId, FakeConfluentRegistryServer registry, Path state) {
        Map<String, Object> s = StreamsHarness.settings(cluster, prefix, appId, registry.url(), state.toString());
        s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        s.put(TlsmonConfig.REGISTRY_RETRY_BACKOFF_MS_CONFIG, 200);
        s.put(TlsmonConfig.REGISTRY_RETRY_BACKOFF_MAX_MS_CONFIG, 1_000);
        s.put(TlsmonConfig.BROKER_CHECK_INTERVAL_MS_CONFIG, 1_000);
        s.put("http.connect.timeout.ms", 1_000);
        s.put("http.read.timeout.ms", 2_000);
        return s;
    }

    @Test
    void aRegistryDownMidRunPausesProcessingLosesNothingAndDeadLettersOnlyTheGarbage(@TempDir Path dir) throws Exception {
        try (FakeConfluentRegistryServer registry = FakeConfluentRegistryServer.start()) {
            Map<String, Object> s = settings("rmid.", "tlsmon-rmid", registry, dir.resolve("state"));
            TlsmonConfig config = new TlsmonConfig(s);
            StreamsHarness.createTopics(cluster, config);
            Topics topics = Topics.of(config);
            List<RawLine> lines = Workload.lines("rg1", 40, 6, T0);
            int half = lines.size() / 2;
            StreamsHarness.produce(cluster, topics, lines.subList(0, half));
            // a garbage record before the outage too: its dead letter's schema is known to the instance
            // by the time the registry goes, so an outage taken for bad data could be dead-lettered
            produceBytes(List.of(garbage(topics, "this line was never Avro (before)")));

            // a newer shipper's RawLine, with a field more: a schema id the instance will first meet mid-run
            Schema newer = withExtraField(RawLine.getClassSchema());
            int newerId;
            try (RestSchemaRegistryClient client = RestSchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()))) {
                newerId = client.register(ConfluentAvroSerde.subjectName(topics.rawLines().name(), false), newer);
            }
            List<ProducerRecord<String, byte[]>> second = new ArrayList<>();
            for (RawLine r : lines.subList(half, lines.size())) {
                second.add(new ProducerRecord<>(topics.rawLines().name(), null, r.getTime().toEpochMilli(),
                        r.getSourceHost() + "|" + r.getLogKind(), wire(newerId, newer, r)));
            }
            int garbageAt = second.size() / 2;
            second.add(garbageAt, garbage(topics, "this line was never Avro (during)"));

            OutageMetrics metrics = OutageMetrics.get();
            Outage registryBefore = metrics.registry();
            long heldBackBefore = metrics.recordsHeldBack();
            List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
            Result firstHalf = StreamsHarness.offline(asRecords(topics, lines.subList(0, half)), topics, config.engineSettings());
            Outage during;
            long attemptsDuring;
            try (StreamsHarness.Running app = StreamsHarness.start(s, (now, before) -> states.add(now))) {
                await().atMost(Duration.ofSeconds(90)).until(() -> StreamsHarness.read(cluster, topics.attempts().name(),
                        "read_committed", Duration.ofMillis(300)).size() >= firstHalf.attempts().size()
                        && StreamsHarness.read(cluster, topics.deadLetters().name(), "read_committed", Duration.ofMillis(300)).size() == 1);

                int attemptsBefore = StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(1)).size();
                registry.stop();
                produceBytes(second);
                await().atMost(Duration.ofSeconds(30)).until(() -> metrics.recordsHeldBack() > heldBackBefore
                        && metrics.registry().active());
                Thread.sleep(4_000); // paused: the thread waits for the registry, then fails on the record again
                during = metrics.registry();
                attemptsDuring = StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(1)).size();
                assertThat(attemptsDuring).as("processing paused: no attempt of a line the registry is needed for").isEqualTo(attemptsBefore);
                assertThat(StreamsHarness.read(cluster, topics.deadLetters().name(), "read_uncommitted", Duration.ofSeconds(1)))
                        .as("no dead letter while the registry is down").hasSize(1);

                registry.restart();
                List<ConsumerRecord<String, byte[]>> raw = StreamsHarness.read(cluster, topics.rawLines().name(), "read_committed", Duration.ofSeconds(1));
                Result expected = StreamsHarness.offline(raw, topics, config.engineSettings());
                await().atMost(Duration.ofSeconds(90)).until(() -> StreamsHarness.read(cluster, topics.attempts().name(),
                        "read_committed", Duration.ofMillis(300)).size() >= expected.attempts().size());
                Thread.sleep(1_000);
                Result live = StreamsHarness.committedOutput(cluster, topics);
                Outage after = metrics.registry();
                System.out.printf("registry down mid-run: %d lines + 2 garbage; attempts offline %d / live %d (%d while down);"
                                + " alerts %d / %d; dead letters %s; registry %s -> %s; %s%n", lines.size(), expected.attempts().size(),
                        live.attempts().size(), attemptsDuring, expected.alerts().size(), live.alerts().size(), live.deadLetters(),
                        during, after, metrics);

                assertThat(live.attempts()).as("every attempt exactly once").containsExactlyElementsOf(expected.attempts());
                assertThat(live.alerts()).as("every alert exactly once").containsExactlyElementsOf(expected.alerts());
                assertThat(expected.deadLetters()).isEmpty();
                assertThat(live.deadLetters()).as("the garbage, and nothing the outage touched").hasSize(2);
                assertThat(live.deadLetters().get(0)).startsWith("DESERIALIZE").endsWith("this line was never Avro (before)");
                assertThat(live.deadLetters().get(1)).startsWith("DESERIALIZE").endsWith("this line was never Avro (during)");

                assertThat(during.active()).isTrue();
                assertThat(during.reason()).contains(registry.url());
                assertThat(during.failures()).as("thread failures while it was down").isGreaterThan(registryBefore.failures());
                assertThat(after.active()).isFalse();
                assertThat(after.count()).isEqualTo(registryBefore.count() + 1);
                assertThat(metrics.recordsHeldBack()).isGreaterThan(heldBackBefore);
                assertThat(states).doesNotContain(KafkaStreams.State.ERROR);
                assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    @Test
    void tlsmonRunNamesAnUnreachableRegistryWaitsForItAndThenProcesses(@TempDir Path dir) throws Exception {
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve("run.log");
        try (FakeConfluentRegistryServer registry = FakeConfluentRegistryServer.start()) {
            Map<String, Object> s = settings("rstart.", "tlsmon-rstart", registry, dir.resolve("state"));
            TlsmonConfig config = new TlsmonConfig(s);
            StreamsHarness.createTopics(cluster, config);
            Topics topics = Topics.of(config);
            List<RawLine> lines = Workload.lines("rs1", 20, 4, T0);
            StreamsHarness.produce(cluster, topics, lines);
            Result expected = StreamsHarness.offline(asRecords(topics, lines), topics, config.engineSettings());
            registry.stop();

            Process child = StreamsHarness.runChild(StreamsHarness.writeProperties(dir.resolve("run.properties"), s), log);
            try {
                String unreachable = "schema registry [" + registry.url() + "] unreachable, nothing is processed until it answers";
                await().atMost(Duration.ofSeconds(60)).until(() -> count(log, unreachable) >= 3 || !child.isAlive());
                assertThat(child.isAlive()).as("waiting, not exited:\n%s", Files.readString(log)).isTrue();
                assertThat(Files.readString(log)).doesNotContain("Exception in thread");
                assertThat(StreamsHarness.read(cluster, topics.attempts().name(), "read_uncommitted", Duration.ofMillis(300))).isEmpty();

                registry.restart();
                await().atMost(Duration.ofSeconds(90)).until(() -> !child.isAlive() || StreamsHarness.read(cluster,
                        topics.attempts().name(), "read_committed", Duration.ofMillis(300)).size() >= expected.attempts().size());
                assertThat(child.isAlive()).as("%s", Files.readString(log)).isTrue();
                Thread.sleep(1_000);
            } finally {
                child.destroy();
                if (!child.waitFor(60, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
            Result live = StreamsHarness.committedOutput(cluster, topics);
            System.out.printf("registry down at start: attempts offline %d / live %d, alerts %d / %d%n", expected.attempts().size(),
                    live.attempts().size(), expected.alerts().size(), live.alerts().size());
            assertThat(Files.readString(log)).contains("schema registry [" + registry.url() + "] answers; starting");
            assertThat(live.attempts()).containsExactlyElementsOf(expected.attempts());
            assertThat(live.alerts()).containsExactlyElementsOf(expected.alerts());
            assertThat(live.deadLetters()).isEmpty();
        }
    }

    private static long count(Path log, String text) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
    }

    /** The records as the raw-lines topic would hand them to the offline reference (no timestamp needed: no CLOCK rule applies). */
    private static List<ConsumerRecord<String, byte[]>> asRecords(Topics topics, List<RawLine> lines) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long offset = 0;
        for (RawLine r : lines) {
            ConsumerRecord<String, byte[]> c = new ConsumerRecord<>(topics.rawLines().name(), 0, offset++,
                    r.getSourceHost() + "|" + r.getLogKind(), topics.rawLines().valueSerde().serializer().serialize(topics.rawLines().name(), r));
            out.add(new ConsumerRecord<>(c.topic(), c.partition(), c.offset(), System.currentTimeMillis(),
                    org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, 0, 0, c.key(), c.value(),
                    new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty()));
        }
        return out;
    }

    private static ProducerRecord<String, byte[]> garbage(Topics topics, String text) {
        return new ProducerRecord<>(topics.rawLines().name(), "rg1|exchange", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void produceBytes(List<ProducerRecord<String, byte[]>> records) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : records) {
                sent.add(producer.send(r));
            }
            producer.flush();
            for (var f : sent) {
                f.get();
            }
        }
    }

    /** The schema with one more optional field, as a newer version of the shipper might write it. */
    private static Schema withExtraField(Schema schema) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("shipperBuild", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "added by a newer shipper", Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /** {@code line} in Confluent's wire format, written with {@code schema} as schema id {@code id}. */
    private static byte[] wire(int id, Schema schema, RawLine line) throws IOException {
        GenericRecord g = new GenericData.Record(schema);
        for (Schema.Field f : RawLine.getClassSchema().getFields()) {
            g.put(f.name(), line.get(f.name()));
        }
        g.put("shipperBuild", "2.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema, SpecificData.getForClass(RawLine.class)).write(g, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
