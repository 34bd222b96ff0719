package io.tlsmon.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The HEC event envelope as Splunk's /services/collector/event takes it (the receiver test is the topology's). */
class HecFormatTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ENVELOPE = Set.of("time", "host", "source", "sourcetype", "index", "event", "fields");

    static void assertEnvelope(JsonNode e, long timeMs, String sourcetype) {
        Set<String> keys = new HashSet<>();
        e.fieldNames().forEachRemaining(keys::add);
        assertThat(ENVELOPE).containsAll(keys);
        assertThat(e.get("time").isNumber()).isTrue();
        assertThat(e.get("time").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(timeMs).movePointLeft(3));
        assertThat(e.get("source").asText()).isEqualTo("tlsmon");
        assertThat(e.get("sourcetype").asText()).isEqualTo(sourcetype);
        assertThat(e.get("host").isTextual()).isTrue();
        assertThat(e.get("event").isObject()).isTrue();
        // HEC indexed fields: flat, each value a string (or an array of strings).
        e.get("fields").fields().forEachRemaining(f -> assertThat(f.getValue().isTextual()).as(f.getKey()).isTrue());
    }

    @Test
    void everyRecordIsOneHecEvent() throws Exception {
        for (NegotiationAttempt a : FormatSamples.allAttempts()) {
            JsonNode e = MAPPER.readTree(OutputFormat.HEC.attempt(a));
            assertEnvelope(e, a.getStartTime().toEpochMilli(), "tlsmon:attempt");
            assertThat(e.has("index")).isFalse();
            assertThat(e.get("host").asText()).isEqualTo(a.getServer());
            assertThat(e.at("/event/id").asText()).isEqualTo(a.getId());
            assertThat(e.at("/fields/outcome").asText()).isEqualTo(a.getOutcome().name());
            assertThat(e.get("event")).isEqualTo(MAPPER.readTree(TlsmonJson.attempt(a)));
        }
        for (Alert a : FormatSamples.allAlerts()) {
            JsonNode e = MAPPER.readTree(OutputFormat.HEC.alert(a));
            assertEnvelope(e, a.getTime().toEpochMilli(), "tlsmon:alert");
            assertThat(e.at("/fields/rule").asText()).isEqualTo(a.getRule());
            assertThat(e.get("event")).isEqualTo(MAPPER.readTree(TlsmonJson.alert(a)));
        }
    }

    @Test
    void theSiteChoosesTheIndex() throws Exception {
        RecordFormatter hec = OutputFormat.HEC.formatter(new FormatOptions("mail_tls"));
        assertThat(MAPPER.readTree(hec.attempt(FormatSamples.base().build())).get("index").asText()).isEqualTo("mail_tls");
        assertThat(MAPPER.readTree(hec.alert(FormatSamples.alert().build())).get("index").asText()).isEqualTo("mail_tls");
        assertThat(MAPPER.readTree(OutputFormat.HEC.formatter(new FormatOptions(" ")).attempt(FormatSamples.base().build())).has("index")).isFalse();
    }

    @Test
    void timeKeepsItsMilliseconds() {
        assertThat(Times.epochSecondsWithMillis(java.time.Instant.ofEpochMilli(1_741_000_000_007L))).isEqualTo("1741000000.007");
        assertThat(Times.epochSecondsWithMillis(java.time.Instant.ofEpochMilli(-1))).isEqualTo("-1.999");
    }

    /** A Splunk search can pick a TLS-RPT policy domain and type by indexed field, without parsing the event. */
    @Test
    void thePolicyIsAnIndexedField() throws Exception {
        JsonNode e = MAPPER.readTree(OutputFormat.HEC.attempt(FormatSamples.outboundWithCertificates()));
        assertThat(e.at("/fields/policy_domain").asText()).isEqualTo("contoso.example");
        assertThat(e.at("/fields/policy_type").asText()).isEqualTo("sts");
        JsonNode none = MAPPER.readTree(OutputFormat.HEC.attempt(FormatSamples.base().build()));
        assertThat(none.at("/fields").has("policy_type")).isFalse();
    }
}
