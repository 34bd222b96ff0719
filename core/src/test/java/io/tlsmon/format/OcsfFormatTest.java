package io.tlsmon.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OcsfFormatTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final OcsfSchema SCHEMA = new OcsfSchema(Path.of("src/test/resources/ocsf", OcsfFormat.OCSF_VERSION));

    static JsonNode parse(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    @Test
    void everyAttemptIsAValidNetworkActivity() throws Exception {
        List<NegotiationAttempt> attempts = FormatSamples.allAttempts();
        assertThat(attempts).hasSizeGreaterThan(20);
        for (NegotiationAttempt a : attempts) {
            String line = OutputFormat.OCSF.attempt(a);
            assertThat(SCHEMA.validate("network_activity", parse(line))).as(line).isEmpty();
        }
    }

    @Test
    void everyAlertIsAValidDetectionFinding() throws Exception {
        List<Alert> alerts = FormatSamples.allAlerts();
        assertThat(alerts).extracting(Alert::getType).contains(AlertType.RAISED, AlertType.UPDATED, AlertType.RESOLVED);
        for (Alert a : alerts) {
            String line = OutputFormat.OCSF.alert(a);
            assertThat(SCHEMA.validate("detection_finding", parse(line))).as(line).isEmpty();
        }
    }

    @Test
    void theValidatorRefusesWhatOcsfRefuses() throws Exception {
        JsonNode good = parse(OutputFormat.OCSF.attempt(FormatSamples.outboundWithCertificates()));
        assertThat(SCHEMA.validate("network_activity", good)).isEmpty();
        assertThat(SCHEMA.validate("network_activity", parse(good.toString().replace("\"class_uid\":4001", "\"class_uid\":4009"))))
                .anyMatch(e -> e.startsWith("class_uid"));
        assertThat(SCHEMA.validate("network_activity", parse(good.toString().replace("\"status_id\":2", "\"status_id\":7"))))
                .anyMatch(e -> e.startsWith("status_id"));
        assertThat(SCHEMA.validate("network_activity", parse(good.toString().replace("\"app_protocol_name\"", "\"app_protocol\""))))
                .anyMatch(e -> e.contains("app_protocol: not an attribute"));
        assertThat(SCHEMA.validate("network_activity", parse(good.toString().replace("\"ip\":\"2001:db8::25\"", "\"ip\":\"mx1\""))))
                .anyMatch(e -> e.contains("dst_endpoint.ip"));
        assertThat(SCHEMA.validate("network_activity", parse(good.toString().replace("\"serial_number\":\"01F2\",", ""))))
                .anyMatch(e -> e.contains("tls.certificate.serial_number: required"));
        assertThat(SCHEMA.validate("network_activity", parse(good.toString().replace("\"port\":25", "\"port\":\"25\""))))
                .anyMatch(e -> e.contains("dst_endpoint.port"));
    }

    @Test
    void anAttemptIsOpenOrFailWithTheStatusAndTypeThatFollow() throws Exception {
        JsonNode ok = parse(OutputFormat.OCSF.attempt(FormatSamples.base().build()));
        assertThat(ok.get("activity_id").asInt()).isEqualTo(1);
        assertThat(ok.get("type_uid").asLong()).isEqualTo(400101);
        assertThat(ok.get("status_id").asInt()).isEqualTo(1);
        assertThat(ok.get("severity_id").asInt()).isEqualTo(1);
        assertThat(ok.get("time").asLong()).isEqualTo(FormatSamples.base().build().getStartTime().toEpochMilli());
        assertThat(ok.at("/metadata/version").asText()).isEqualTo("1.8.0");
        assertThat(ok.at("/metadata/product/name").asText()).isEqualTo("tlsmon");
        assertThat(ok.at("/metadata/product/version").asText()).isEqualTo(Product.VERSION).isNotBlank();
        assertThat(ok.at("/tls/version").asText()).isEqualTo("TLSv1.3");
        assertThat(ok.at("/src_endpoint/ip").asText()).isEqualTo("192.0.2.44"); // inbound: the peer initiates
        assertThat(ok.at("/connection_info/direction_id").asInt()).isEqualTo(1);

        JsonNode deprecated = parse(OutputFormat.OCSF.attempt(FormatSamples.base().setOutcome(Outcome.DEPRECATED_PROTOCOL).setTlsVersion("TLSv1").build()));
        assertThat(deprecated.get("activity_id").asInt()).isEqualTo(1);
        assertThat(deprecated.get("severity_id").asInt()).isEqualTo(2);

        JsonNode failed = parse(OutputFormat.OCSF.attempt(FormatSamples.outboundWithCertificates()));
        assertThat(failed.get("activity_id").asInt()).isEqualTo(4);
        assertThat(failed.get("type_uid").asLong()).isEqualTo(400104);
        assertThat(failed.get("status_id").asInt()).isEqualTo(2);
        assertThat(failed.get("status_code").asText()).isEqualTo("CERTIFICATE_EXPIRED");
        assertThat(failed.get("severity_id").asInt()).isEqualTo(3);
        assertThat(failed.at("/connection_info/direction_id").asInt()).isEqualTo(2);
        assertThat(failed.at("/dst_endpoint/hostname").asText()).isEqualTo("mx1.contoso.example"); // outbound: the peer responds
        assertThat(failed.at("/tls/certificate/subject").asText()).isEqualTo("CN=mx1.contoso.example");
        assertThat(failed.at("/tls/certificate/expiration_time").asLong()).isEqualTo(java.time.Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
        assertThat(failed.at("/tls/certificate/fingerprints/0/value").asText()).isEqualTo("0123456789ABCDEF0123456789ABCDEF01234567");
        assertThat(failed.at("/unmapped/tlsmon/policy_domain").asText()).isEqualTo("contoso.example");
        assertThat(failed.at("/unmapped/tlsmon/policy_type").asText()).isEqualTo("sts");
        assertThat(failed.at("/unmapped/tlsmon/tlsrpt_result_type").asText()).isEqualTo("certificate-expired");

        JsonNode noTls = parse(OutputFormat.OCSF.attempt(FormatSamples.base().setTlsVersion(null).setOutcome(Outcome.STARTTLS_NOT_OFFERED).build()));
        assertThat(noTls.has("tls")).as("tls.version is required, so no tls object without one").isFalse();
    }

    @Test
    void alertsCreateUpdateAndCloseAFinding() throws Exception {
        JsonNode raised = parse(OutputFormat.OCSF.alert(FormatSamples.alert().build()));
        assertThat(raised.get("class_uid").asInt()).isEqualTo(2004);
        assertThat(raised.get("category_uid").asInt()).isEqualTo(2);
        assertThat(raised.get("type_uid").asLong()).isEqualTo(200401);
        assertThat(raised.get("status_id").asInt()).isEqualTo(1);
        assertThat(raised.get("severity_id").asInt()).isEqualTo(5);
        assertThat(raised.at("/finding_info/uid").asText()).isEqualTo("0d7e4b1a-58a3-3f0e-8c55-6a2f0b1c2d3e");
        assertThat(raised.at("/finding_info/analytic/name").asText()).isEqualTo("failure-threshold");
        assertThat(raised.at("/remediation/desc").asText()).isEqualTo("Install the full certificate chain.");

        JsonNode updated = parse(OutputFormat.OCSF.alert(FormatSamples.alert().setType(AlertType.UPDATED).setSeverity(io.tlsmon.avro.Severity.WARNING).build()));
        assertThat(updated.get("type_uid").asLong()).isEqualTo(200402);
        assertThat(updated.get("severity_id").asInt()).isEqualTo(3);
        JsonNode resolved = parse(OutputFormat.OCSF.alert(FormatSamples.alert().setType(AlertType.RESOLVED).setSeverity(io.tlsmon.avro.Severity.INFO).build()));
        assertThat(resolved.get("type_uid").asLong()).isEqualTo(200403);
        assertThat(resolved.get("status_id").asInt()).isEqualTo(4);
        assertThat(resolved.get("severity_id").asInt()).isEqualTo(1);
        assertThat(resolved.at("/finding_info/uid").asText()).isEqualTo(raised.at("/finding_info/uid").asText());
        assertThat(resolved.at("/metadata/uid").asText()).isNotEqualTo(raised.at("/metadata/uid").asText());
    }
}
