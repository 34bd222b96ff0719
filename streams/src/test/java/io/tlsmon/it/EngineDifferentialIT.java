package io.tlsmon.it;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.RawLineRecords;
import io.tlsmon.logs.LineClock;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.topology.EngineDifferentialTest;
import io.tlsmon.topology.EngineDifferentialTest.Item;
import io.tlsmon.topology.EngineDifferentialTest.Result;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential test's generated workload (105,000 lines of seven servers in every format)
 * through the topology on a real broker, against the offline engine: the same attempts, every
 * field, the same alerts and the same dead letters, in the same order. The lines go in as
 * {@code tlsmon replay} sends them: stamped with the time the shipper reads off each line (with
 * core's line clock), each stream ended by its marker; the broker stamps the arrival time.
 */
class EngineDifferentialIT {
    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.start();
    }

    private static Result withoutArrival(Result r) {
        return new Result(r.attempts(), r.alerts(), r.deadLetters().stream()
                .map(d -> d.replaceAll("after the line arrived \\([^)]*\\)", "after the line arrived (...)")).toList());
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    @Test
    void theGeneratedWorkloadGivesTheSameAnswersThroughARealBroker(@TempDir Path state) throws Exception {
        Result[] both = throughTheBroker("diff", EngineDifferentialTest.generated(), state);
        assertThat(both[0].attempts()).hasSizeGreaterThan(20_000);
        // the broker stamps the arrival time, which a CLOCK dead letter's reason names
        EngineDifferentialTest.assertSame(withoutArrival(both[0]), withoutArrival(both[1]));
    }

    /**
     * What real Postfix, Exim and Sendmail wrote in the scenarios of the Real*IT harnesses
     * ({@code fixtures/*-captured}), each file a stream: the same attempts and alerts through the
     * broker as offline, where {@code OutcomeTableTest} holds offline to each scenario's expected outcome.
     */
    @Test
    void theCapturedMailServerLogsGiveTheSameAnswersThroughARealBroker(@TempDir Path state) throws Exception {
        List<Path> files = new ArrayList<>();
        try (var dirs = java.nio.file.Files.list(EngineDifferentialTest.FIXTURES)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().endsWith("-captured")).sorted().toList()) {
                files.addAll(EngineDifferentialTest.filesUnder(dir));
            }
        }
        assertThat(files).as("captured fixture files").hasSizeGreaterThanOrEqualTo(20);
        Result[] both = throughTheBroker("captured", EngineDifferentialTest.filesAsStreams("captured", files), state);
        assertThat(both[0].attempts()).hasSizeGreaterThanOrEqualTo(20);
        EngineDifferentialTest.assertSame(withoutArrival(both[0]), withoutArrival(both[1]));
    }

    /** {@code generated} as a shipper sends it, offline and through the topology on the broker: {offline, live}. */
    private static Result[] throughTheBroker(String name, List<Item> generated, Path state) throws Exception {
        // what a shipper sends: the line's own time as core's clock reads it, per file
        Map<String, LineClock> clocks = new HashMap<>();
        List<Item> asShipped = new ArrayList<>(generated.size());
        List<ProducerRecord<String, RawLine>> records = new ArrayList<>(generated.size());
        String appId = "tlsmon-" + name;
        Map<String, Object> s = StreamsHarness.settings(cluster, name + ".", appId, "mock://" + name, state.toString());
        TlsmonConfig config = new TlsmonConfig(s);
        Topics topics = Topics.of(config);
        for (Item i : generated) {
            if (i.end()) {
                asShipped.add(i);
                records.add(new ProducerRecord<>(topics.rawLines().name(), i.streamKey(), RawLineRecords.endOfStream(i.streamKey(), null)));
                continue;
            }
            LineClock clock = clocks.computeIfAbsent(i.sourceHost() + '|' + i.file(),
                    k -> LineClock.of(i.format(), new StreamInfo(i.sourceHost(), i.file(), ZoneOffset.UTC, i.arrival())));
            long t = clock.timeOf(i.text());
            asShipped.add(new Item(i.streamKey(), i.sourceHost(), i.format(), i.file(), i.lineNumber(), i.text(),
                    t == LineClock.NO_TIME ? i.arrival() : t, System.currentTimeMillis(), false));
            records.add(new ProducerRecord<>(topics.rawLines().name(), i.streamKey(), RawLine.newBuilder()
                    .setSourceHost(i.sourceHost()).setLogKind(i.format() == null ? null : i.format().label())
                    .setStream(i.file()).setLineNumber(i.lineNumber()).setLine(i.text())
                    .setTime(t == LineClock.NO_TIME ? null : Instant.ofEpochMilli(t)).build()));
        }
        Result offline = EngineDifferentialTest.offline(asShipped, config.engineSettings());

        StreamsHarness.createTopics(cluster, config);
        StreamsHarness.produce(cluster, topics, records);
        Result live;
        try (StreamsHarness.Running app = StreamsHarness.start(s)) {
            StreamsHarness.awaitConsumed(cluster, appId, topics.rawLines().name(), Duration.ofMinutes(5));
            List<NegotiationAttempt> attempts = StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(3))
                    .stream().map(r -> topics.attempts().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            List<Alert> alerts = StreamsHarness.readAlerts(cluster, topics, Duration.ofSeconds(2));
            List<String> dead = StreamsHarness.read(cluster, topics.deadLetters().name(), "read_committed", Duration.ofSeconds(2))
                    .stream().map(r -> EngineDifferentialTest.describe(topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value())))
                    .toList();
            live = new Result(attempts, alerts, dead);
        }
        System.out.printf("differential %s (real broker, %s): %d lines; attempts offline %d / live %d; alerts %d / %d; dead letters %d / %d%n",
                name, cluster.kind(), generated.size(), offline.attempts().size(), live.attempts().size(), offline.alerts().size(),
                live.alerts().size(), offline.deadLetters().size(), live.deadLetters().size());
        return new Result[] {offline, live};
    }

}
