package io.tlsmon.ingest.tail;

import io.tlsmon.ingest.health.Outage;
import static io.tlsmon.ingest.testing.LogWriter.append;
import static io.tlsmon.ingest.testing.LogWriter.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.testing.LineCounts;
import io.tlsmon.ingest.testing.TopicReader;
import io.tlsmon.schemas.registry.FakeConfluentRegistryServer;
import io.tlsmon.schemas.registry.RestSchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistryException;
import io.tlsmon.schemas.serde.ConfluentAvroSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipper with the Confluent-wire-format serializer and the in-JVM Confluent-API registry, on a
 * real broker, while the registry is down: at start (it says so, naming the URL, and retries), in the
 * middle of a transaction (it aborts, waits and ships on), and after the schema id is known (nothing
 * to wait for). A registry that refuses stops it. Lines are read back through the registry and
 * counted against what was written.
 */
class ShipperRegistryOutageIT {
    static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    FakeConfluentRegistryServer registry;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void startRegistry() throws Exception {
        registry = FakeConfluentRegistryServer.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    record Running(ShipperLoop loop, Thread thread) implements AutoCloseable {
        @Override
        public void close() {
            loop.close();
        }
    }

    private Map<String, String> registrySettings() {
        return Map.of("schema.registry.url", registry.url(), "http.connect.timeout.ms", "1000", "http.read.timeout.ms", "2000");
    }

    private Serializer<RawLine> registrySerializer() {
        return ConfluentAvroSerde.forClass(RawLine.class, registrySettings(), false).serializer();
    }

    private Deserializer<RawLine> registryDeserializer() {
        return ConfluentAvroSerde.forClass(RawLine.class, registrySettings(), false).deserializer();
    }

    private ShipperConfig.Builder config(String topic, Path log) {
        broker.createTopics(1, topic);
        return ShipperConfig.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(topic)
            .shipperId(topic)
            .sourceHost("mx1")
            .checkpointDir(dir.resolve("checkpoints"))
            .source(new TailSource("postfix", List.of(log.getParent()), LogFileFilter.postfix(), ZoneOffset.UTC))
            .pollIntervalMs(20)
            .scanIntervalMs(100)
            .commitIntervalMs(50)
            .retryBackoffMs(200)
            .retryBackoffMaxMs(1000);
    }

    private static Running start(ShipperConfig config, Serializer<RawLine> serializer) {
        ShipperLoop loop = new ShipperLoop(config, serializer);
        Thread t = new Thread(loop, "shipper-" + config.topic());
        t.start();
        return new Running(loop, t);
    }

    private static void awaitShipped(ShipperLoop loop, long n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> loop.metrics().linesShipped() >= n);
    }

    private LineCounts counts(String topic, List<String> written) {
        return LineCounts.of(written, TopicReader.readAll(broker.bootstrapServers(), topic, written.size(),
            Duration.ofSeconds(30), registryDeserializer()));
    }

    private Path log() throws Exception {
        return Files.createDirectories(dir.resolve("logs")).resolve("mail.log");
    }

    private static List<String> expected(String prefix, int from, int to) {
        return List.of(lines(prefix, from, to).split("\n"));
    }

    @Test
    void aRegistryDownAtStartIsNamedAndWaitedForAndNothingIsReadUntilItAnswers() throws Exception {
        registry.stop();
        Path log = log();
        append(log, lines("s", 0, 200));
        try (Running r = start(config("registry-start", log).build(), registrySerializer())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> r.loop().metrics().registryOutage().failures() >= 3);
            Outage down = r.loop().metrics().registryOutage();
            assertThat(down.active()).isTrue();
            assertThat(down.reason()).contains(registry.url());
            assertThat(r.thread().isAlive()).as("retrying, not dead").isTrue();
            assertThat(r.loop().metrics().linesRead()).isZero();
            assertThat(r.loop().metrics().linesShipped()).isZero();

            registry.restart();
            awaitShipped(r.loop(), 200);
            Outage after = r.loop().metrics().registryOutage();
            assertThat(after.active()).isFalse();
            assertThat(after.count()).isEqualTo(1);
            assertThat(after.totalMs()).isPositive();
        }
        LineCounts c = counts("registry-start", expected("s", 0, 200));
        System.out.println("registry down at start: " + c);
        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
    }

    @Test
    void aSerializerThatNeedsTheRegistryMidTransactionAbortsWaitsAndShipsEveryLineOnce() throws Exception {
        Path log = log();
        append(log, lines("m", 0, 10_000));
        // call 1 is the probe, calls 2-5001 the first 5000-line chunk of the first transaction: the
        // registry goes down within the second chunk, after the first was sent
        Serializer<RawLine> serializer = new ConsultingSerializer(registrySerializer(),
            RestSchemaRegistryClient.create(registrySettings()), "registry-mid-value", 500, call -> {
                if (call == 5_400) {
                    registry.stop();
                }
            });
        ShipperConfig config = config("registry-mid", log).commitIntervalMs(60_000).build();
        try (Running r = start(config, serializer)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> r.loop().metrics().registryOutage().active());
            assertThat(r.loop().metrics().linesShipped()).isZero();
            assertThat(r.loop().metrics().registryOutage().reason()).contains(registry.url());
            Thread.sleep(2_000);
            assertThat(r.loop().metrics().linesShipped()).as("paused while the registry is down").isZero();

            registry.restart();
            awaitShipped(r.loop(), 10_000);
            assertThat(r.loop().metrics().abortedTransactions()).isEqualTo(1);
            assertThat(r.loop().metrics().registryOutage().count()).isEqualTo(1);
            assertThat(r.loop().metrics().registryOutage().active()).isFalse();
        }
        LineCounts c = counts("registry-mid", expected("m", 0, 10_000));
        System.out.println("registry down mid-transaction: " + c);
        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
    }

    @Test
    void aRegistryDownOnceTheSchemaIdIsKnownDoesNotStopTheShipper() throws Exception {
        Path log = log();
        append(log, lines("k", 0, 100));
        try (Running r = start(config("registry-known", log).build(), registrySerializer())) {
            awaitShipped(r.loop(), 100);
            int requests = registry.requestCount();
            registry.stop();
            append(log, lines("k", 100, 300));
            awaitShipped(r.loop(), 300);
            registry.restart();
            assertThat(registry.requestCount()).as("no registry call for the lines shipped meanwhile").isEqualTo(requests);
            assertThat(r.loop().metrics().registryOutage().count()).isZero();
        }
        LineCounts c = counts("registry-known", expected("k", 0, 300));
        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
    }

    @Test
    void aRegistryThatRefusesTheCredentialsStopsTheShipperNamingItsAnswer() throws Exception {
        registry.requireBasicAuth("shipper", "secret");
        Path log = log();
        append(log, lines("a", 0, 10));
        try (Running r = start(config("registry-refuses", log).build(), registrySerializer())) {
            r.thread().join(20_000);
            assertThat(r.thread().isAlive()).isFalse();
            assertThat(r.loop().failure()).isPresent();
            assertThat(r.loop().failure().get().getMessage()).contains("401").contains(registry.url());
            assertThat(r.loop().metrics().linesShipped()).isZero();
        }
    }

    /**
     * A serializer that consults the registry every {@code every} records, as Confluent's does when its
     * latest-version cache expires ({@code latest.cache.ttl.sec}); {@code beforeEach} runs first.
     */
    private record ConsultingSerializer(Serializer<RawLine> delegate, SchemaRegistryClient client, String subject, int every,
                                        java.util.function.IntConsumer beforeEach, AtomicInteger count) implements Serializer<RawLine> {
        ConsultingSerializer(Serializer<RawLine> delegate, SchemaRegistryClient client, String subject, int every,
                             java.util.function.IntConsumer beforeEach) {
            this(delegate, client, subject, every, beforeEach, new AtomicInteger());
        }

        @Override
        public byte[] serialize(String topic, RawLine data) {
            return serialize(topic, null, data);
        }

        @Override
        public byte[] serialize(String topic, Headers headers, RawLine data) {
            int n = count.incrementAndGet();
            beforeEach.accept(n);
            if (n % every == 0) {
                try {
                    client.latest(subject);
                } catch (SchemaRegistryException e) {
                    throw new SerializationException("cannot read the latest version of " + subject + ": " + e.getMessage(), e);
                }
            }
            return delegate.serialize(topic, headers, data);
        }
    }
}
