package io.tlsmon.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.format.OutputFormat;
import io.tlsmon.format.RecordFormatter;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The format topics and the TLS-RPT topic under TopologyTestDriver: the same topology function as
 * production, with {@code tlsmon.output.formats} and {@code tlsmon.tlsrpt.enabled} set.
 */
class OutputTopicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> demoPostfix() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                OutputTopicsTest.class.getResourceAsStream("/demo/mx2-mail.log"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static void ship(TopologyFixture f, String host, List<String> lines, boolean end) {
        long n = 1;
        for (String line : lines) {
            f.raw.pipeInput(host + "|postfix", RawLine.newBuilder().setSourceHost(host).setLogKind("postfix").setStream("mail.log")
                    .setLineNumber(n++).setLine(line).build(), Instant.parse("2026-01-01T00:00:00Z"));
        }
        if (end) {
            f.raw.pipeInput(host + "|postfix", RawLine.newBuilder().setSourceHost(host).setLogKind("postfix").setStream("mail.log")
                    .setLine("").setEndOfStream(true).build(), Instant.parse("2026-01-01T00:00:00Z"));
        }
    }

    @Test
    void everyChosenFormatGetsEveryAttemptAndAlertWithItsKey() throws IOException {
        try (TopologyFixture f = new TopologyFixture(Map.of(TlsmonConfig.OUTPUT_FORMATS_CONFIG, "ecs, cef,hec,ocsf"))) {
            ship(f, "mx2", demoPostfix(), true);
            List<TestRecord<String, NegotiationAttempt>> attempts = f.attempts.readRecordsToList();
            List<TestRecord<String, Alert>> alerts = f.alerts.readRecordsToList();
            assertThat(attempts).isNotEmpty();
            assertThat(alerts).isNotEmpty();
            for (OutputFormat format : OutputFormat.values()) {
                String topic = f.config.outputTopic(format);
                assertThat(topic).isEqualTo("tlsmon.output-" + format.id());
                TestOutputTopic<String, String> out = f.driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.String().deserializer());
                RecordFormatter formatter = format.formatter(f.config.formatOptions());
                List<TestRecord<String, String>> got = out.readRecordsToList();
                List<String> expected = new ArrayList<>();
                attempts.forEach(r -> expected.add(r.key() + " " + formatter.attempt(r.value())));
                alerts.forEach(r -> expected.add(r.key() + " " + formatter.alert(r.value())));
                assertThat(got).extracting(r -> r.key() + " " + r.value()).as(format.id()).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    @Test
    void noFormatTopicUnlessChosen() throws IOException {
        try (TopologyFixture f = new TopologyFixture(Map.of(TlsmonConfig.OUTPUT_FORMATS_CONFIG, "ecs"))) {
            assertThat(f.topics.outputs()).containsOnlyKeys(OutputFormat.ECS);
            assertThat(f.topics.tlsRpt()).isEmpty();
            ship(f, "mx2", demoPostfix(), true);
            assertThat(f.driver.producedTopicNames()).contains("tlsmon.output-ecs")
                    .doesNotContain("tlsmon.output-cef", "tlsmon.output-ocsf", "tlsmon.output-hec", "tlsmon.tlsrpt-reports");
        }
        try (TopologyFixture f = new TopologyFixture(Map.of())) {
            assertThat(f.topics.outputs()).isEmpty();
            assertThat(f.topics.externalNames()).hasSize(5);
        }
    }

    @Test
    void aTopicNameOfItsOwn() {
        try (TopologyFixture f = new TopologyFixture(Map.of(TlsmonConfig.OUTPUT_FORMATS_CONFIG, "ecs",
                TlsmonConfig.outputTopicConfig(OutputFormat.ECS), "soc.tls.ecs"))) {
            assertThat(f.topics.outputs().get(OutputFormat.ECS).name()).isEqualTo("soc.tls.ecs");
            assertThat(f.topics.externalNames()).contains("soc.tls.ecs");
        }
    }

    @Test
    void aBadFormatStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> new TlsmonConfig(Map.of(TlsmonConfig.OUTPUT_FORMATS_CONFIG, "ecs,leef")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TlsmonConfig.OUTPUT_FORMATS_CONFIG).hasMessageContaining("leef");
    }

    private static final List<String> DAY1 = TlsRptLines.DAY1;
    private static final List<String> DAY2 = TlsRptLines.DAY2;

    @Test
    void aDayIsReportedOncePerDomainWhenItClosesInStreamTime() throws Exception {
        try (TopologyFixture f = new TopologyFixture(Map.of(TlsmonConfig.TLSRPT_ENABLED_CONFIG, "true",
                TlsmonConfig.TLSRPT_GRACE_MS_CONFIG, "0", TlsmonConfig.TLSRPT_ORGANIZATION_CONFIG, "Contoso Ltd",
                TlsmonConfig.TLSRPT_CONTACT_CONFIG, "tlsrpt@contoso.example"))) {
            TestOutputTopic<String, String> reports = f.driver.createOutputTopic(f.config.tlsRptTopic(),
                    Serdes.String().deserializer(), Serdes.String().deserializer());
            ship(f, "mx2", DAY1, false);
            assertThat(reports.readRecordsToList()).as("the day has not closed").isEmpty();

            ship(f, "mx2", DAY2, true);
            List<TestRecord<String, String>> day1 = reports.readRecordsToList();
            assertThat(day1).extracting(TestRecord::key).containsExactly("a.example", "b.example");
            JsonNode a = JSON.readTree(day1.get(0).value());
            assertThat(a.path("organization-name").asText()).isEqualTo("Contoso Ltd");
            assertThat(a.path("date-range").path("start-datetime").asText()).isEqualTo("2025-03-03T00:00:00Z");
            assertThat(a.path("policies").get(0).path("summary").path("total-successful-session-count").asLong()).isEqualTo(2);
            JsonNode b = JSON.readTree(day1.get(1).value());
            assertThat(b.path("policies").get(0).path("failure-details").get(0).path("result-type").asText()).isEqualTo("certificate-expired");

            // a late session of the reported day is left out, not reported a second time
            ship(f, "mx1", List.of(DAY1.get(0).replace("mx2", "mx1"), DAY1.get(1).replace("mx2", "mx1")), true);
            assertThat(reports.readRecordsToList()).isEmpty();
            long kept = 0;
            try (var all = f.driver.<String, Long>getKeyValueStore(StoreNames.TLSRPT_COUNTS).all()) {
                while (all.hasNext()) {
                    assertThat(all.next().key).as("only the open day's counts are kept").startsWith("2025-03-04");
                    kept++;
                }
            }
            assertThat(kept).isEqualTo(1);
        }
    }

    @Test
    void withGraceADayWaitsForLaggingLogs() throws Exception {
        try (TopologyFixture f = new TopologyFixture(Map.of(TlsmonConfig.TLSRPT_ENABLED_CONFIG, "true",
                TlsmonConfig.TLSRPT_GRACE_MS_CONFIG, "3600000"))) {
            TestOutputTopic<String, String> reports = f.driver.createOutputTopic(f.config.tlsRptTopic(),
                    Serdes.String().deserializer(), Serdes.String().deserializer());
            ship(f, "mx2", DAY1, false);
            ship(f, "mx2", DAY2, true);
            assertThat(reports.readRecordsToList()).as("00:20 is within the hour of grace").isEmpty();
            ship(f, "mx1", List.of(DAY1.get(0).replace("mx2", "mx1"), DAY1.get(1).replace("mx2", "mx1")), true);
            ship(f, "mx3", List.of(
                    "2025-03-04T01:30:00.100000+00:00 mx3 postfix/smtp[1]: Trusted TLS connection established to mx.c.example[203.0.113.3]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
                    "2025-03-04T01:30:00.200000+00:00 mx3 postfix/smtp[1]: 8C2F100009: to=<q@c.example>, relay=mx.c.example[203.0.113.3]:25, delay=0.4, dsn=2.0.0, status=sent (250 ok)"), true);
            List<TestRecord<String, String>> day1 = reports.readRecordsToList();
            assertThat(day1).extracting(TestRecord::key).containsExactly("a.example", "b.example");
            assertThat(JSON.readTree(day1.get(0).value()).path("policies").get(0).path("summary").path("total-successful-session-count").asLong())
                    .as("mx1's late session counted").isEqualTo(3);
        }
    }
}
