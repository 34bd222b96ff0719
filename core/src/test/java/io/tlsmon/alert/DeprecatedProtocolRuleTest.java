package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tlsmon.alert.Attempts.DAY;
import static io.tlsmon.alert.Attempts.HOUR;
import static io.tlsmon.alert.Attempts.MINUTE;
import static io.tlsmon.alert.Attempts.SENDER_IP;
import static io.tlsmon.alert.Attempts.T0;
import static io.tlsmon.alert.Attempts.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/** Rule deprecated-protocol: SSL 3.0, TLS 1.0 or 1.1 negotiated; once per sender per day. */
class DeprecatedProtocolRuleTest {
    private final AlertBench bench = new AlertBench(Configs.defaults());

    @Test
    void raisesAWarningOnTheFirstDeprecatedHandshake() {
        List<Alert> out = bench.feed(inbound(T0, Outcome.DEPRECATED_PROTOCOL).setTlsVersion("TLSv1.1"));

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RAISED);
            assertThat(a.getRule()).isEqualTo("deprecated-protocol");
            assertThat(a.getOutcome()).isEqualTo(Outcome.DEPRECATED_PROTOCOL);
            assertThat(a.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(a.getCount()).isEqualTo(1);
            assertThat(a.getTlsVersion()).isEqualTo("TLSv1.1");
            assertThat(a.getSummary()).isEqualTo("sender 198.51.100.7 (mail.sender.example) negotiated TLSv1.1 towards mx1: "
                    + "deprecated, will fail against Exchange Online");
        });
    }

    @Test
    void staysAWarningWhenTlsWasRequired() {
        List<Alert> out = bench.feed(inbound(T0, Outcome.DEPRECATED_PROTOCOL).setTlsRequired(true));
        assertThat(out).extracting(Alert::getSeverity).containsExactly(Severity.WARNING);
    }

    @Test
    void updatesAtMostOncePerDeprecatedIntervalNotPerUpdateInterval() {
        bench.feed(inbound(T0, Outcome.DEPRECATED_PROTOCOL));

        assertThat(bench.feed(inbound(T0 + 16 * MINUTE, Outcome.DEPRECATED_PROTOCOL))).isEmpty();
        assertThat(bench.feed(inbound(T0 + DAY - 1, Outcome.DEPRECATED_PROTOCOL))).isEmpty();
        List<Alert> nextDay = bench.feed(inbound(T0 + DAY, Outcome.DEPRECATED_PROTOCOL));

        assertThat(nextDay).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.UPDATED);
            assertThat(a.getCount()).isEqualTo(4);
        });
    }

    @Test
    void isNotResolvedByItsOwnHandshakesNorByTime() {
        bench.feed(inbound(T0, Outcome.DEPRECATED_PROTOCOL));
        bench.feed(inbound(T0 + MINUTE, Outcome.DEPRECATED_PROTOCOL));

        assertThat(bench.feed(inbound(T0 + 2 * HOUR, Outcome.HANDSHAKE_TIMEOUT))).isEmpty();
        assertThat(bench.punctuate(T0 + 3 * HOUR)).isEmpty();
        assertThat(bench.state(SENDER_IP, AlertRule.DEPRECATED_PROTOCOL, Outcome.DEPRECATED_PROTOCOL).getOpen()).isTrue();
    }

    @Test
    void isResolvedByAModernHandshakeAfterTheQuietPeriod() {
        bench.feed(inbound(T0, Outcome.DEPRECATED_PROTOCOL));
        bench.feed(inbound(T0 + MINUTE, Outcome.OK));

        assertThat(bench.punctuate(T0 + 30 * MINUTE - 1)).isEmpty();
        assertThat(bench.punctuate(T0 + 30 * MINUTE)).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RESOLVED);
            assertThat(a.getRule()).isEqualTo("deprecated-protocol");
        });
    }

    @Test
    void aDeprecatedHandshakeStillClearsTheFailureAlertsOfItsSender() {
        AlertBench oneFailure = new AlertBench(Configs.thresholdOnly(1));
        oneFailure.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        oneFailure.feed(inbound(T0 + MINUTE, Outcome.DEPRECATED_PROTOCOL));

        List<Alert> resolved = oneFailure.punctuate(T0 + 31 * MINUTE);

        // it did negotiate, so the cipher problem is over; the protocol warning is not
        assertThat(resolved).extracting(Alert::getRule).containsExactly("failure-threshold");
        assertThat(oneFailure.state(SENDER_IP, AlertRule.DEPRECATED_PROTOCOL, Outcome.DEPRECATED_PROTOCOL).getOpen()).isTrue();
    }
}
