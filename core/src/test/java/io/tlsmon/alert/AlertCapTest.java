package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tlsmon.alert.Attempts.HOUR;
import static io.tlsmon.alert.Attempts.MINUTE;
import static io.tlsmon.alert.Attempts.T0;
import static io.tlsmon.alert.Attempts.inboundFrom;
import static org.assertj.core.api.Assertions.assertThat;

/** At most N RAISED per rule per hour of event time; the rest are dropped and counted as suppressed. */
class AlertCapTest {
    private final AlertBench bench = new AlertBench(Configs.thresholdOnly(1).maxRaisedPerHour(2));

    private static NegotiationAttempt.Builder failureOf(int sender, long t) {
        return inboundFrom("198.51.100." + sender, t, Outcome.NO_SHARED_CIPHER);
    }

    @Test
    void raisesUpToTheCapInAnHourAndCountsTheRestAsSuppressed() {
        assertThat(bench.feed(failureOf(1, T0))).hasSize(1);
        assertThat(bench.feed(failureOf(2, T0 + MINUTE))).hasSize(1);
        assertThat(bench.engine.suppressed()).isZero();

        assertThat(bench.feed(failureOf(3, T0 + 2 * MINUTE))).isEmpty();
        assertThat(bench.feed(failureOf(4, T0 + 3 * MINUTE))).isEmpty();

        assertThat(bench.engine.suppressed()).isEqualTo(2);
        assertThat(bench.store.raisedInHour(AlertRule.FAILURE_THRESHOLD, T0)).isEqualTo(2);
        assertThat(bench.store.forSender("198.51.100.3")).as("a suppressed alert keeps no state").isEmpty();
    }

    @Test
    void theCapIsPerHourOfEventTime() {
        bench.feed(failureOf(1, T0));
        bench.feed(failureOf(2, T0 + MINUTE));
        assertThat(bench.feed(failureOf(3, T0 + HOUR - 1))).isEmpty();

        List<Alert> nextHour = bench.feed(failureOf(3, T0 + HOUR));

        assertThat(nextHour).singleElement().extracting(Alert::getType).isEqualTo(AlertType.RAISED);
        assertThat(bench.store.raisedInHour(AlertRule.FAILURE_THRESHOLD, T0 + HOUR)).isEqualTo(1);
    }

    @Test
    void theCapIsPerRule() {
        bench.feed(failureOf(1, T0));
        bench.feed(failureOf(2, T0 + MINUTE));

        List<Alert> deprecated = bench.feed(inboundFrom("198.51.100.3", T0 + 2 * MINUTE, Outcome.DEPRECATED_PROTOCOL));

        assertThat(deprecated).extracting(Alert::getRule).containsExactly("deprecated-protocol");
        assertThat(bench.engine.suppressed()).isZero();
    }

    @Test
    void updatesAndResolutionsOfRaisedAlertsAreNotCapped() {
        bench.feed(failureOf(1, T0));
        bench.feed(failureOf(2, T0 + MINUTE));
        bench.feed(failureOf(3, T0 + 2 * MINUTE));

        assertThat(bench.feed(failureOf(1, T0 + 15 * MINUTE))).extracting(Alert::getType).containsExactly(AlertType.UPDATED);
        bench.feed(inboundFrom("198.51.100.1", T0 + 16 * MINUTE, Outcome.OK));
        assertThat(bench.punctuate(T0 + 45 * MINUTE)).extracting(Alert::getType).containsExactly(AlertType.RESOLVED);
        assertThat(bench.engine.suppressed()).isEqualTo(1);
    }

    @Test
    void aSuppressedAlertIsCountedOncePerHourNotOncePerAttempt() {
        bench.feed(failureOf(1, T0));
        bench.feed(failureOf(2, T0 + MINUTE));

        // sender 3 keeps failing all hour: one alert held back, however many attempts match it
        for (int i = 0; i < 5; i++) {
            assertThat(bench.feed(failureOf(3, T0 + (10 + i) * MINUTE))).isEmpty();
        }
        assertThat(bench.engine.suppressed()).isEqualTo(1);

        // another outcome of the same sender is another alert
        assertThat(bench.feed(inboundFrom("198.51.100.3", T0 + 20 * MINUTE, Outcome.CERTIFICATE_EXPIRED))).isEmpty();
        bench.feed(inboundFrom("198.51.100.3", T0 + 21 * MINUTE, Outcome.CERTIFICATE_EXPIRED));
        assertThat(bench.engine.suppressed()).isEqualTo(2);
    }

    @Test
    void aSuppressedAlertIsCountedAgainInTheNextCappedHour() {
        bench.feed(failureOf(1, T0));
        bench.feed(failureOf(2, T0 + MINUTE));
        bench.feed(failureOf(3, T0 + 2 * MINUTE));
        bench.feed(failureOf(4, T0 + HOUR));
        bench.feed(failureOf(5, T0 + HOUR + MINUTE));
        bench.feed(failureOf(3, T0 + HOUR + 2 * MINUTE));
        bench.feed(failureOf(3, T0 + HOUR + 3 * MINUTE));
        assertThat(bench.engine.suppressed()).isEqualTo(2);
    }
}
