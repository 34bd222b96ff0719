package io.tlsmon.it;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.health.Outage;
import io.tlsmon.ingest.tail.LogFileFilter;
import io.tlsmon.ingest.tail.ShipperConfig;
import io.tlsmon.ingest.tail.ShipperLoop;
import io.tlsmon.ingest.tail.TailSource;
import io.tlsmon.schemas.registry.FakeConfluentRegistryServer;
import io.tlsmon.schemas.serde.ConfluentAvroSerde;
import io.tlsmon.topology.EngineDifferentialTest.Result;
import io.tlsmon.topology.OutageMetrics;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole Kafka cluster (the one in-process broker, also the controller) is stopped for a minute
 * under an exactly-once Streams instance and a shipper that follows an Exchange log still being
 * written, then started again on the same ports and log dirs. Every line reaches raw-lines once, the
 * instance never ends in ERROR and keeps going, its attempts and alerts are those of the offline
 * engine over raw-lines, each once, and its {@link OutageMetrics} show the outage: the broker down
 * while it lasts (naming the bootstrap servers), the last commit growing old, one outage afterwards.
 */
class ClusterOutageIT {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final long OUTAGE_MS = 60_000;

    @TempDir
    Path dir;

    @Test
    void aMinuteWithoutTheClusterLosesAndRepeatsNothingAndTheMetricsShowIt() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(); FakeConfluentRegistryServer registry = FakeConfluentRegistryServer.start()) {
            assumeThat(cluster.canStop()).as("only the in-process broker can be stopped and started again").isTrue();
            Map<String, Object> s = StreamsHarness.settings(cluster, "outage.", "tlsmon-outage", registry.url(), dir.resolve("state").toString());
            s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            s.put(TlsmonConfig.BROKER_CHECK_INTERVAL_MS_CONFIG, 1_000);
            TlsmonConfig config = new TlsmonConfig(s);
            StreamsHarness.createTopics(cluster, config);
            Topics topics = Topics.of(config);

            Path log = Files.createDirectories(dir.resolve("FrontEnd/ProtocolLog/SmtpReceive")).resolve("RECV2025030110-1.LOG");
            List<String> lines = new ArrayList<>(List.of(Workload.HEADER.split("\n")));
            Workload.lines("cl1", 50, 8, T0).forEach(r -> lines.add(r.getLine()));
            // written over about 80 s: before, during and after the outage
            Writer writer = new Writer(log, lines, 80_000);

            OutageMetrics metrics = OutageMetrics.get();
            Outage brokerBefore = metrics.broker();
            List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
            ShipperConfig shipperConfig = ShipperConfig.builder()
                    .bootstrapServers(cluster.bootstrapServers())
                    .topic(topics.rawLines().name())
                    .shipperId("outage-shipper")
                    .sourceHost("cl1")
                    .checkpointDir(dir.resolve("checkpoints"))
                    .source(new TailSource("exchange", List.of(dir.resolve("FrontEnd")), LogFileFilter.exchange(), ZoneOffset.UTC))
                    .pollIntervalMs(50).scanIntervalMs(200).commitIntervalMs(200)
                    .retryBackoffMs(200).retryBackoffMaxMs(2_000)
                    .producerSetting("max.block.ms", 2_000)
                    .producerSetting("request.timeout.ms", 1_500)
                    .producerSetting("delivery.timeout.ms", 3_000)
                    .build();
            long ageBefore;
            long ageDuring;
            long ageAfter;
            Outage during;
            Outage shipperDuring;
            Outage after;
            Result expected;
            Result live;
            List<ConsumerRecord<String, byte[]>> raw;
            try (StreamsHarness.Running app = StreamsHarness.start(s, (now, before) -> states.add(now));
                 ShipperLoop shipper = new ShipperLoop(shipperConfig,
                         ConfluentAvroSerde.forClass(RawLine.class, Map.of("schema.registry.url", registry.url()), false).serializer())) {
                new Thread(shipper, "outage-shipper").start();
                Thread w = new Thread(writer, "outage-writer");
                w.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> StreamsHarness.read(cluster, topics.attempts().name(),
                        "read_committed", Duration.ofMillis(300)).size() >= 20);
                ageBefore = metrics.lastCommitAgeMs();

                long stoppedAt = System.currentTimeMillis();
                cluster.stopBroker();
                await().atMost(Duration.ofSeconds(20)).until(() -> metrics.broker().active());
                Thread.sleep(Math.max(0, OUTAGE_MS - 5_000 - (System.currentTimeMillis() - stoppedAt)));
                during = metrics.broker();
                ageDuring = metrics.lastCommitAgeMs();
                shipperDuring = shipper.metrics().brokerOutage();
                Thread.sleep(Math.max(0, OUTAGE_MS - (System.currentTimeMillis() - stoppedAt)));
                cluster.restartBroker();

                w.join(120_000);
                assertThat(writer.written()).isEqualTo(lines.size());
                await().atMost(Duration.ofSeconds(90)).until(() -> shipper.metrics().linesShipped() >= lines.size());
                raw = StreamsHarness.read(cluster, topics.rawLines().name(), "read_committed", Duration.ofSeconds(1));
                expected = StreamsHarness.offline(raw, topics, config.engineSettings());
                await().atMost(Duration.ofSeconds(90)).until(() -> StreamsHarness.read(cluster, topics.attempts().name(),
                        "read_committed", Duration.ofMillis(300)).size() >= expected.attempts().size());
                ageAfter = metrics.lastCommitAgeMs();
                Thread.sleep(2_000);
                live = StreamsHarness.committedOutput(cluster, topics);
                after = metrics.broker();
                assertThat(app.streams().state()).as("the instance keeps going").isEqualTo(KafkaStreams.State.RUNNING);
            }
            Map<String, Long> copies = raw.stream().map(r -> topics.rawLines().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                    .filter(r -> !r.getEndOfStream()).collect(Collectors.groupingBy(RawLine::getLine, Collectors.counting()));
            System.out.printf("cluster outage: %d lines, %d in raw-lines; attempts offline %d / live %d; alerts %d / %d; dead letters %d / %d;"
                            + " broker during %s, after %s; shipper during %s; last commit age before %d ms, during %d ms, after %d ms;"
                            + " states %s; %s%n", lines.size(), raw.size(), expected.attempts().size(), live.attempts().size(),
                    expected.alerts().size(), live.alerts().size(), expected.deadLetters().size(), live.deadLetters().size(),
                    during, after, shipperDuring, ageBefore, ageDuring, ageAfter, states, metrics);

            assertThat(copies.keySet()).as("every line in raw-lines").containsExactlyInAnyOrderElementsOf(lines);
            assertThat(copies.values()).as("each once").containsOnly(1L);
            assertThat(live.attempts()).as("attempts, each once").containsExactlyElementsOf(expected.attempts());
            assertThat(live.alerts()).as("alerts, each once").containsExactlyElementsOf(expected.alerts());
            assertThat(live.deadLetters()).containsExactlyElementsOf(expected.deadLetters());
            assertThat(expected.attempts()).hasSizeGreaterThan(300);
            assertThat(states).as("never in ERROR").doesNotContain(KafkaStreams.State.ERROR);

            assertThat(shipperDuring.active()).isTrue();
            assertThat(during.active()).isTrue();
            assertThat(during.reason()).contains(cluster.bootstrapServers());
            assertThat(ageBefore).as("committing while lines arrive").isBetween(0L, 10_000L);
            assertThat(ageDuring).as("no commit while the cluster is away").isGreaterThan(OUTAGE_MS / 2);
            assertThat(ageAfter).as("committing again").isBetween(0L, 15_000L);
            assertThat(after.active()).isFalse();
            assertThat(after.count()).as("one outage, however many probes failed").isEqualTo(brokerBefore.count() + 1);
            assertThat(after.totalMs() - brokerBefore.totalMs()).isBetween(OUTAGE_MS - 15_000, OUTAGE_MS + 30_000);
        }
    }

    /** Appends the lines to one file, evenly over {@code overMs}, flushing each. */
    private static final class Writer implements Runnable {
        private final Path file;
        private final List<String> lines;
        private final long overMs;
        private final AtomicInteger written = new AtomicInteger();

        Writer(Path file, List<String> lines, long overMs) {
            this.file = file;
            this.lines = lines;
            this.overMs = overMs;
        }

        int written() {
            return written.get();
        }

        @Override
        public void run() {
            long start = System.currentTimeMillis();
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                for (int i = 0; i < lines.size(); i++) {
                    out.write(lines.get(i));
                    out.write("\n");
                    out.flush();
                    written.incrementAndGet();
                    long due = start + overMs * (i + 1) / lines.size();
                    long now = System.currentTimeMillis();
                    if (due > now) {
                        Thread.sleep(due - now);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
