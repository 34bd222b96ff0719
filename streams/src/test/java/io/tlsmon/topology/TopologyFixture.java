package io.tlsmon.topology;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One topology under TopologyTestDriver with real (RocksDB) stores in a temp state dir. */
final class TopologyFixture implements AutoCloseable {
    final TopologyTestDriver driver;
    final TlsmonConfig config;
    final Topics topics;
    final TestInputTopic<String, RawLine> raw;
    final TestInputTopic<byte[], byte[]> shipped;
    final TestOutputTopic<String, NegotiationAttempt> attempts;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<byte[], DeadLetter> deadLetters;
    private final Path stateDir;

    TopologyFixture(Map<String, Object> overrides) {
        try {
            stateDir = Files.createTempDirectory("tlsmon-ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tlsmon-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://ttd-" + UUID.randomUUID());
        props.putAll(overrides);
        config = new TlsmonConfig(props);
        driver = new TopologyTestDriver(TlsmonTopology.topology(config), config.streamsProperties());
        topics = Topics.of(config);
        raw = driver.createInputTopic(topics.rawLines().name(), Serdes.String().serializer(), topics.rawLines().valueSerde().serializer());
        shipped = driver.createInputTopic(topics.shippedLines().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        attempts = driver.createOutputTopic(topics.attempts().name(), Serdes.String().deserializer(), topics.attempts().valueSerde().deserializer());
        alerts = driver.createOutputTopic(topics.alerts().name(), Serdes.String().deserializer(), topics.alerts().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), Serdes.ByteArray().deserializer(), topics.deadLetters().valueSerde().deserializer());
    }

    /** Ships lines of one Exchange receive log of host {@code ex1}, numbered from 1. */
    void exchangeReceive(String file, List<String> lines) {
        ship("ex1", "exchange", file, lines, 1);
    }

    void ship(String host, String kind, String file, List<String> lines, long firstLineNumber) {
        long n = firstLineNumber;
        for (String line : lines) {
            Instant time = lineTime(line);
            RawLine r = RawLine.newBuilder().setSourceHost(host).setLogKind(kind).setStream(file)
                    .setLineNumber(n++).setLine(line).setTime(time)
                    .setHeader(kind.equals("exchange") ? ExchangeLines.HEADER_RECEIVE : null).build();
            raw.pipeInput(host + '|' + kind, r, time == null ? Instant.EPOCH : time);
        }
    }

    private static Instant lineTime(String line) {
        int comma = line.indexOf(',');
        if (line.length() > 20 && line.charAt(4) == '-' && comma > 0) {
            return Instant.parse(line.substring(0, comma));
        }
        return null;
    }

    @Override
    public void close() {
        driver.close();
        try (var walk = Files.walk(stateDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
