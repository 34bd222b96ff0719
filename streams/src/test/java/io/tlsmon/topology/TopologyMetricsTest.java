package io.tlsmon.topology;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.ops.TlsmonMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The processors count what they emit, once: the counts match the output topics. */
class TopologyMetricsTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private final TlsmonMetrics m = TlsmonMetrics.get();

    @Test
    void linesAttemptsAlertsAndDeadLettersAreCountedAsTheTopologyEmitsThem() {
        long okBefore = m.attempts().get("OK", "inbound", "exchange-receive");
        long cipherBefore = m.attempts().get("NO_SHARED_CIPHER", "inbound", "exchange-receive");
        long raisedBefore = m.alerts().get("raised", "failure-threshold", "WARNING");
        long parseBefore = m.deadLetters().get("PARSE");
        long lagBefore = m.alertLag().count();
        try (TopologyFixture f = new TopologyFixture(Map.of())) {
            int lines = 0;
            for (int i = 0; i < 3; i++) {
                List<String> s = ExchangeLines.session(T0.plus(Duration.ofMinutes(i)), "08DA" + i, "192.0.2.44", null, "AlgorithmMismatch");
                f.ship("metrics-host", "exchange", "RECV2025030110-1.LOG", s, lines + 1);
                lines += s.size();
            }
            List<String> ok = ExchangeLines.session(T0.plus(Duration.ofMinutes(10)), "08DB00", "192.0.2.45", "SP_PROT_TLS1_2_SERVER", null);
            f.ship("metrics-host", "exchange", "RECV2025030110-1.LOG", ok, lines + 1);
            lines += ok.size();
            f.ship("metrics-host", "bogus-kind", "x.log", List.of("not a line of any kind"), 1);
            List<String> late = ExchangeLines.session(T0.plus(Duration.ofMinutes(20)), "08DB01", "192.0.2.46", "SP_PROT_TLS1_2_SERVER", null);
            f.ship("metrics-host", "exchange", "RECV2025030110-1.LOG", late, lines + 1);
            lines += late.size();

            List<NegotiationAttempt> attempts = f.attempts.readValuesToList();
            List<Alert> alerts = f.alerts.readValuesToList();
            assertThat(m.linesIn().get("metrics-host", "exchange")).isEqualTo(lines);
            assertThat(m.linesIn().get("metrics-host", "bogus-kind")).isEqualTo(1);
            assertThat(m.attempts().get("OK", "inbound", "exchange-receive") - okBefore)
                    .isEqualTo(attempts.stream().filter(a -> a.getOutcome().name().equals("OK")).count()).isPositive();
            assertThat(m.attempts().get("NO_SHARED_CIPHER", "inbound", "exchange-receive") - cipherBefore).isEqualTo(3);
            long raised = alerts.stream().filter(a -> a.getType().name().equals("RAISED") && a.getRule().equals("failure-threshold")).count();
            assertThat(raised).isPositive();
            assertThat(m.alerts().get("raised", "failure-threshold", "WARNING") - raisedBefore).isEqualTo(raised);
            assertThat(m.alertLag().count() - lagBefore).isEqualTo(alerts.stream().filter(a -> !a.getType().name().equals("RESOLVED")).count());
            assertThat(m.deadLetters().get("PARSE") - parseBefore).isEqualTo(f.deadLetters.readValuesToList().stream()
                    .filter(d -> d.getStage().name().toUpperCase(Locale.ROOT).equals("PARSE")).count()).isEqualTo(1);
        }
    }
}
