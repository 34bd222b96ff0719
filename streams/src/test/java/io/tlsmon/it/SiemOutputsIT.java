package io.tlsmon.it;

import io.tlsmon.avro.RawLine;
import io.tlsmon.format.OutputFormat;
import io.tlsmon.topology.TlsRptLines;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The format topics and the TLS-RPT topic on a real broker under exactly-once: read_committed
 * consumers see every attempt and alert once per format, and a day's reports once, also when the
 * day closes in an instance that restored its counts from the changelogs.
 */
class SiemOutputsIT {
    private static KafkaCluster cluster;

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.start();
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    private static List<RawLine> lines(String host, List<String> text, long firstLine) {
        List<RawLine> out = new ArrayList<>();
        long n = firstLine;
        for (String line : text) {
            out.add(RawLine.newBuilder().setSourceHost(host).setLogKind("postfix").setStream("/var/log/mail.log").setLineNumber(n++)
                    .setLine(line).setTime(OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant()).build());
        }
        return out;
    }

    private static Map<String, Object> settings(Path state) {
        Map<String, Object> s = StreamsHarness.settings(cluster, "siem.", "tlsmon-siem", "mock://siem", state.toString());
        s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        s.put(TlsmonConfig.OUTPUT_FORMATS_CONFIG, "ecs,ocsf,cef,hec");
        s.put(TlsmonConfig.TLSRPT_ENABLED_CONFIG, true);
        s.put(TlsmonConfig.TLSRPT_GRACE_MS_CONFIG, 0L);
        return s;
    }

    @Test
    void formatsAndReportsAreWrittenOnceUnderExactlyOnceAcrossARestart(@TempDir Path first, @TempDir Path second) throws Exception {
        Map<String, Object> s = settings(first);
        TlsmonConfig config = new TlsmonConfig(s);
        StreamsHarness.createTopics(cluster, config);
        Topics topics = Topics.of(config);
        assertThat(topics.externalNames()).contains("siem.output-ecs", "siem.output-ocsf", "siem.output-cef", "siem.output-hec",
                "siem.tlsrpt-reports");

        StreamsHarness.produce(cluster, topics, lines("mx2", TlsRptLines.DAY1, 1));
        try (StreamsHarness.Running app = StreamsHarness.start(s)) {
            StreamsHarness.awaitConsumed(cluster, "tlsmon-siem", topics.rawLines().name(), Duration.ofSeconds(90));
        }
        int attempts = StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(1)).size();
        int alerts = StreamsHarness.read(cluster, topics.alerts().name(), "read_committed", Duration.ofSeconds(1)).size();
        assertThat(attempts).as("the last session of the day waits for a later line").isEqualTo(2);
        assertThat(StreamsHarness.read(cluster, config.tlsRptTopic(), "read_committed", Duration.ofSeconds(1)))
                .as("2025-03-03 has not closed").isEmpty();

        // a new instance with an empty state directory: the day's counts come back from the changelog
        Map<String, Object> again = settings(second);
        StreamsHarness.produce(cluster, topics, lines("mx2", TlsRptLines.DAY2, TlsRptLines.DAY1.size() + 1));
        try (StreamsHarness.Running app = StreamsHarness.start(again)) {
            StreamsHarness.awaitConsumed(cluster, "tlsmon-siem", topics.rawLines().name(), Duration.ofSeconds(90));
            awaitRecords(config.tlsRptTopic(), 2, Duration.ofSeconds(60));
        }
        List<ConsumerRecord<String, byte[]>> reports = StreamsHarness.read(cluster, config.tlsRptTopic(), "read_committed", Duration.ofSeconds(2));
        assertThat(reports).extracting(ConsumerRecord::key).containsExactly("a.example", "b.example");
        String a = new String(reports.get(0).value(), StandardCharsets.UTF_8);
        assertThat(a).contains("\"start-datetime\":\"2025-03-03T00:00:00Z\"").contains("\"total-successful-session-count\":2");
        System.out.println("SiemOutputsIT: TLS-RPT report of a.example for 2025-03-03 from the topic: " + a);

        attempts = StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(1)).size();
        alerts = StreamsHarness.read(cluster, topics.alerts().name(), "read_committed", Duration.ofSeconds(1)).size();
        assertThat(attempts).isGreaterThanOrEqualTo(4);
        for (OutputFormat f : OutputFormat.values()) {
            List<ConsumerRecord<String, byte[]>> out = StreamsHarness.read(cluster, config.outputTopic(f), "read_committed", Duration.ofSeconds(1));
            assertThat(out).as(f.id()).hasSize(attempts + alerts);
            assertThat(out).as(f.id() + " keyed by sender").allMatch(r -> r.key() != null && !r.key().isEmpty());
        }
    }

    private static void awaitRecords(String topic, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (StreamsHarness.read(cluster, topic, "read_committed", Duration.ofMillis(500)).size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(topic + " did not get " + n + " committed records within " + timeout);
            }
            Thread.sleep(500);
        }
    }
}
