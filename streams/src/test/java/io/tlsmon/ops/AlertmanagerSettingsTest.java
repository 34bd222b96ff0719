package io.tlsmon.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertmanagerSettingsTest {
    private static final Instant RAISED = Instant.parse("2025-03-01T10:05:00Z");

    @Test
    void offByDefault() {
        assertThat(AlertmanagerNotifier.start(new TlsmonConfig(Map.of()), Topics.of(new TlsmonConfig(Map.of())))).isEmpty();
    }

    @Test
    void aBadUrlStopsStartUpNamingTheKey() {
        for (String bad : new String[] {"localhost:9093", "ftp://am:21", "http://", "http://a b"}) {
            assertThatThrownBy(() -> new TlsmonConfig(Map.of(TlsmonConfig.ALERTMANAGER_URL_CONFIG, bad)))
                    .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining(TlsmonConfig.ALERTMANAGER_URL_CONFIG);
        }
        assertThat(new TlsmonConfig(Map.of(TlsmonConfig.ALERTMANAGER_URL_CONFIG, "https://am.example:9093/")).getString(TlsmonConfig.ALERTMANAGER_URL_CONFIG))
                .isEqualTo("https://am.example:9093/");
    }

    @Test
    void bearerAndBasicAuthTogetherAreRefusedWithoutShowingEither() {
        assertThatThrownBy(() -> new TlsmonConfig(Map.of(TlsmonConfig.ALERTMANAGER_URL_CONFIG, "http://am:9093",
                TlsmonConfig.ALERTMANAGER_BEARER_TOKEN_CONFIG, "s3cret-token", TlsmonConfig.ALERTMANAGER_BASIC_AUTH_CONFIG, "u:s3cret-pw")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(TlsmonConfig.ALERTMANAGER_BEARER_TOKEN_CONFIG)
                .hasMessageNotContaining("s3cret");
        assertThat(TlsmonConfig.isSecret(TlsmonConfig.ALERTMANAGER_BEARER_TOKEN_CONFIG)).isTrue();
        assertThat(TlsmonConfig.isSecret(TlsmonConfig.ALERTMANAGER_BASIC_AUTH_CONFIG)).isTrue();
    }

    @Test
    void labelsAreTheEpisodesIdentityAndAResolvedOneEnds() {
        Alert raised = alert(AlertType.RAISED, RAISED);
        ObjectNode firing = new AlertmanagerAlert(raised, RAISED).json();
        assertThat(firing.get("labels").toString()).isEqualTo("{\"alertname\":\"failure-threshold\",\"rule\":\"failure-threshold\","
                + "\"outcome\":\"NO_SHARED_CIPHER\",\"severity\":\"warning\",\"sender\":\"192.0.2.7\",\"direction\":\"inbound\"}");
        assertThat(firing.get("startsAt").asText()).isEqualTo("2025-03-01T10:05:00Z");
        assertThat(firing.has("endsAt")).isFalse();
        assertThat(firing.get("annotations").get("remediation").asText()).isEqualTo("Enable a modern cipher suite.");
        assertThat(firing.get("annotations").get("evidence").asText()).isEqualTo("ex1 session 08D5 at 2025-03-01T10:04:00Z");

        ObjectNode resolved = new AlertmanagerAlert(alert(AlertType.RESOLVED, RAISED.plusSeconds(3600)), RAISED).json();
        assertThat(resolved.get("labels")).isEqualTo(firing.get("labels"));
        assertThat(resolved.get("startsAt").asText()).isEqualTo("2025-03-01T10:05:00Z");
        assertThat(resolved.get("endsAt").asText()).isEqualTo("2025-03-01T11:05:00Z");
    }

    private static Alert alert(AlertType type, Instant time) {
        EvidenceRef e = EvidenceRef.newBuilder().setServer("ex1").setSessionId("08D5").setTime(Instant.parse("2025-03-01T10:04:00Z")).build();
        return Alert.newBuilder().setId("a1").setType(type).setRule("failure-threshold").setSeverity(Severity.WARNING)
                .setSender("192.0.2.7").setDirection(Direction.inbound).setOutcome(Outcome.NO_SHARED_CIPHER).setCount(3)
                .setWindowMs(300_000).setWindowStart(Instant.parse("2025-03-01T10:00:00Z")).setWindowEnd(Instant.parse("2025-03-01T10:05:00Z"))
                .setFirstEvidence(e).setLastEvidence(e).setSummary("3 failures").setRemediation("Enable a modern cipher suite.").setTime(time).build();
    }
}
