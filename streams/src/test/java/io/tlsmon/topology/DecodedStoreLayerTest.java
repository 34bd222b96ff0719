package io.tlsmon.topology;

import io.tlsmon.avro.OpenSession;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoded-value layer in front of the session store (ObjectCachingStore): what reaches the
 * changelog is the session as it stands at each commit (TopologyTestDriver commits after every
 * record), and a session that opens and closes between two commits never reaches it at all.
 */
class DecodedStoreLayerTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private static TestOutputTopic<String, OpenSession> changelog(TopologyFixture f) {
        return f.driver.createOutputTopic("tlsmon-test-" + StoreNames.SESSIONS + "-changelog", Serdes.String().deserializer(),
                f.topics.valueSerde(OpenSession.class, f.config.serdeConfigs()).deserializer());
    }

    @Test
    void eachCommitWritesTheSessionAsItStandsAndItsEndATombstone() {
        try (TopologyFixture f = new TopologyFixture(Map.of())) {
            List<String> lines = ExchangeLines.session(T0, "08D5B1", "192.0.2.31", "SP_PROT_TLS1_2_SERVER", null);
            f.exchangeReceive("RECV2025030110-1.LOG", lines);
            f.exchangeReceive("RECV2025030110-1.LOG", List.of(ExchangeLines.session(T0.plusSeconds(60), "08D5B2", "192.0.2.32", null, "x").get(0)));
            List<TestRecord<String, OpenSession>> records = changelog(f).readRecordsToList();
            List<TestRecord<String, OpenSession>> first = records.stream().filter(r -> r.key().endsWith("|08D5B1")).toList();
            // one record per line while it is open (one commit per record here), growing, then its tombstone
            assertThat(first).hasSize(lines.size() + 1);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(first.get(i).value().getLines()).isEqualTo(i + 1);
            }
            assertThat(first.get(lines.size()).value()).isNull();
            assertThat(f.attempts.readValuesToList()).hasSize(1);
        }
    }

    @Test
    void aSessionThatOpensAndClosesBetweenTwoCommitsNeverReachesTheChangelog() {
        // without a close grace, a one-line attempt (Postfix smtp's status line of a delivery deferred for want of
        // STARTTLS) opens and ends in one record
        try (TopologyFixture f = new TopologyFixture(Map.of(TlsmonConfig.SESSION_CLOSE_GRACE_MS_CONFIG, 0L))) {
            f.raw.pipeInput("relay1|postfix", io.tlsmon.avro.RawLine.newBuilder().setSourceHost("relay1").setLogKind("postfix")
                    .setStream("/var/log/mail.log").setLineNumber(1L)
                    .setLine("2025-03-02T09:00:01+00:00 relay1 postfix/smtp[5002]: 7EE668039: to=<u@example.com>, "
                            + "relay=mx.plain.example[192.0.2.5]:25, delay=1, dsn=4.7.4, status=deferred (TLS is required, "
                            + "but was not offered by host mx.plain.example[192.0.2.5])").build(), T0);
            assertThat(f.attempts.readValuesToList()).hasSize(1);
            assertThat(changelog(f).readRecordsToList()).isEmpty();
        }
    }
}
