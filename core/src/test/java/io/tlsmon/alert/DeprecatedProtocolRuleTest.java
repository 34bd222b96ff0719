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

    @Test
    void aResolvedWarningHoldsBackANewOneForTheRestOfTheInterval() {
        bench.feed(inbound(T0, Outcome.DEPRECATED_PROTOCOL));
        bench.feed(inbound(T0 + MINUTE, Outcome.OK));
        assertThat(bench.punctuate(T0 + 31 * MINUTE)).extracting(Alert::getType).containsExactly(AlertType.RESOLVED);

        // the same day, the same old client again: one warning a day is the rule, resolved or not
        assertThat(bench.feed(inbound(T0 + 2 * HOUR, Outcome.DEPRECATED_PROTOCOL))).isEmpty();
        assertThat(bench.feed(inbound(T0 + DAY - 1, Outcome.DEPRECATED_PROTOCOL))).isEmpty();
        assertThat(bench.state(SENDER_IP, AlertRule.DEPRECATED_PROTOCOL, Outcome.DEPRECATED_PROTOCOL).getOpen()).isFalse();

        List<Alert> nextDay = bench.feed(inbound(T0 + DAY, Outcome.DEPRECATED_PROTOCOL));
        assertThat(nextDay).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RAISED);
            assertThat(a.getCount()).isEqualTo(1);
            assertThat(a.getTime().toEpochMilli()).isEqualTo(T0 + DAY);
        });
        assertThat(bench.engine.suppressed()).as("held back by the rule, not by the cap").isZero();
    }

    @Test
    void aHeldBackWarningIsNotCountedAgainstTheHourlyCap() {
        AlertBench capped = new AlertBench(Configs.defaults().maxRaisedPerHour(1));
        capped.feed(inbound(T0, Outcome.DEPRECATED_PROTOCOL));
        capped.feed(inbound(T0 + MINUTE, Outcome.OK));
        capped.punctuate(T0 + 31 * MINUTE);
        capped.feed(inbound(T0 + 2 * HOUR, Outcome.DEPRECATED_PROTOCOL));
        assertThat(capped.store.raisedInHour(AlertRule.DEPRECATED_PROTOCOL, T0 + 2 * HOUR)).isZero();
        assertThat(capped.engine.suppressed()).isZero();
    }

    @Test
    void aClosedStateOfAnotherRuleHoldsNothingBack() {
        AlertBench oneFailure = new AlertBench(Configs.thresholdOnly(1));
        oneFailure.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        oneFailure.feed(inbound(T0 + MINUTE, Outcome.OK));
        assertThat(oneFailure.punctuate(T0 + 31 * MINUTE)).hasSize(1);

        assertThat(oneFailure.feed(inbound(T0 + HOUR, Outcome.NO_SHARED_CIPHER)))
                .extracting(Alert::getType).containsExactly(AlertType.RAISED);
    }
}
