package io.tlsmon.it;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.TlsmonTopology;
import io.tlsmon.topology.TopologyCounters;
import io.tlsmon.topology.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A state directory corrupted while the instance is stopped (RocksDB's files and the offset
 * checkpoints overwritten with garbage, or cut short): on restart the instance restores its state
 * from the changelogs by itself, raises no alert a second time, and commits every attempt once, as
 * an uninterrupted run (the offline engine) does. The deleted state directory is EndToEndIT's.
 */
class CorruptedStateIT {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.start();
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    /** What is done to every file of the stopped instance's task directories. */
    enum Damage {
        GARBAGE, TRUNCATED
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({"GARBAGE, exactly_once_v2", "TRUNCATED, exactly_once_v2", "GARBAGE, at_least_once", "TRUNCATED, at_least_once"})
    void aCorruptedStateDirectoryIsRestoredFromTheChangelogs(Damage damage, String guarantee, @TempDir Path state) throws Exception {
        String name = damage.name().toLowerCase() + "-" + guarantee.replace('_', '-');
        String appId = "tlsmon-corrupt-" + name;
        Map<String, Object> s = StreamsHarness.settings(cluster, "corrupt-" + name + ".", appId, "mock://corrupt-" + name, state.toString());
        s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        TlsmonConfig config = new TlsmonConfig(s);
        Topics topics = Topics.of(config);
        StreamsHarness.createTopics(cluster, config);
        List<RawLine> lines = Workload.lines("ex1", 30, 6, T0);
        Workload.Expected expected = Workload.offline(lines, config.engineSettings());
        int half = lines.size() / 2;

        StreamsHarness.produce(cluster, topics, lines.subList(0, half));
        try (StreamsHarness.Running app = StreamsHarness.start(s)) {
            StreamsHarness.awaitConsumed(cluster, appId, topics.rawLines().name(), Duration.ofSeconds(60));
        }
        long rebuiltBefore = TopologyCounters.CORRUPT_STORES_REBUILT.get();
        List<Path> damaged = damage(state.resolve(appId), damage);
        assertThat(damaged).as("RocksDB files and checkpoints to damage")
                .anyMatch(p -> p.getFileName().toString().equals("CURRENT"))
                .anyMatch(p -> p.getFileName().toString().startsWith("MANIFEST-"))
                .anyMatch(p -> p.getFileName().toString().endsWith(".sst"));

        StreamsHarness.produce(cluster, topics, lines.subList(half, lines.size()));
        try (StreamsHarness.Running app = StreamsHarness.start(s)) {
            StreamsHarness.awaitConsumed(cluster, appId, topics.rawLines().name(), Duration.ofSeconds(60));
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
        long stores = damaged.stream().filter(p -> p.getParent().getParent().getFileName().toString().equals("rocksdb"))
                .map(Path::getParent).distinct().count();
        assertThat(stores).as("every store of the topology was damaged").isEqualTo(persistentStores(config));
        assertThat(TopologyCounters.CORRUPT_STORES_REBUILT.get() - rebuiltBefore).as("every damaged store was rebuilt").isEqualTo(stores);
        List<NegotiationAttempt> attempts = StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(1))
                .stream().map(r -> topics.attempts().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
        assertThat(attempts).as("attempts").containsExactlyElementsOf(expected.attempts());
        List<Alert> alerts = StreamsHarness.readAlerts(cluster, topics, Duration.ofSeconds(1));
        assertThat(alerts).as("alerts, none raised twice").containsExactlyElementsOf(expected.alerts());
    }

    /** Damages every RocksDB file and checkpoint under the application's state directory; returns them. */
    private static List<Path> damage(Path appDir, Damage damage) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(appDir)) {
            files = walk.filter(Files::isRegularFile).filter(CorruptedStateIT::isStateFile).toList();
        }
        Random random = new Random(42);
        for (Path f : files) {
            long size = Files.size(f);
            if (damage == Damage.GARBAGE) {
                byte[] garbage = new byte[(int) Math.max(size, 64)];
                random.nextBytes(garbage);
                Files.write(f, garbage);
            } else {
                try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    c.truncate(size / 2);
                }
            }
        }
        return files;
    }

    /** Every file in a task directory ({@code 0_0}, ...) but its lock. */
    private static boolean isStateFile(Path p) {
        return !p.getFileName().toString().equals(".lock")
                && StreamSupport.stream(p.spliterator(), false).anyMatch(part -> part.toString().matches("\\d+_\\d+"));
    }

    /** The stores of the topology {@code config} builds (every one is persistent, and the TLS-RPT ones are off here). */
    private static long persistentStores(TlsmonConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        TlsmonTopology.build(builder, config);
        return builder.build().describe().subtopologies().stream().flatMap(t -> t.nodes().stream())
                .filter(n -> n instanceof TopologyDescription.Processor).flatMap(n -> ((TopologyDescription.Processor) n).stores().stream())
                .distinct().count();
    }
}
