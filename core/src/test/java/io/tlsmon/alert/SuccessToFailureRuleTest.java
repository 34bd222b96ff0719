package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.tlsmon.alert.Attempts.MINUTE;
import static io.tlsmon.alert.Attempts.SENDER_IP;
import static io.tlsmon.alert.Attempts.T0;
import static io.tlsmon.alert.Attempts.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/** Rule success-to-failure: a sender that negotiated before fails N times in a row. */
class SuccessToFailureRuleTest {
    private final AlertBench bench = new AlertBench(Configs.successToFailureOnly(2));

    @Test
    void raisesOnTheNthConsecutiveFailureAfterASuccess() {
        bench.feed(inbound(T0, Outcome.OK));
        assertThat(bench.feed(inbound(T0 + MINUTE, Outcome.HANDSHAKE_TIMEOUT))).isEmpty();

        List<Alert> second = bench.feed(inbound(T0 + 2 * MINUTE, Outcome.HANDSHAKE_TIMEOUT));

        assertThat(second).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RAISED);
            assertThat(a.getRule()).isEqualTo("success-to-failure");
            assertThat(a.getOutcome()).isEqualTo(Outcome.HANDSHAKE_TIMEOUT);
            assertThat(a.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(a.getCount()).isEqualTo(2);
            assertThat(a.getSummary()).isEqualTo("sender 198.51.100.7 (mail.sender.example) used to negotiate TLS "
                    + "and now failed 2 times in a row with HANDSHAKE_TIMEOUT towards mx1");
        });
    }

    @Test
    void aSenderThatNeverSucceededDoesNotFireIt() {
        List<Alert> out = bench.feedAll(List.of(
                inbound(T0, Outcome.HANDSHAKE_TIMEOUT),
                inbound(T0 + MINUTE, Outcome.HANDSHAKE_TIMEOUT),
                inbound(T0 + 2 * MINUTE, Outcome.HANDSHAKE_TIMEOUT),
                inbound(T0 + 3 * MINUTE, Outcome.HANDSHAKE_TIMEOUT)));
        assertThat(out).isEmpty();
    }

    @Test
    void aSuccessInBetweenStartsTheRunAgain() {
        List<Alert> out = bench.feedAll(List.of(
                inbound(T0, Outcome.OK),
                inbound(T0 + MINUTE, Outcome.HANDSHAKE_TIMEOUT),
                inbound(T0 + 2 * MINUTE, Outcome.OK),
                inbound(T0 + 3 * MINUTE, Outcome.HANDSHAKE_TIMEOUT),
                inbound(T0 + 4 * MINUTE, Outcome.DEPRECATED_PROTOCOL),
                inbound(T0 + 5 * MINUTE, Outcome.HANDSHAKE_TIMEOUT)));
        assertThat(out).extracting(Alert::getRule).doesNotContain("success-to-failure");
    }

    @Test
    void itsWindowRunsFromTheRaiseToTheLatestMatch() {
        bench.feed(inbound(T0, Outcome.OK));
        bench.feed(inbound(T0 + MINUTE, Outcome.HANDSHAKE_TIMEOUT));
        Alert raised = bench.feed(inbound(T0 + 2 * MINUTE, Outcome.HANDSHAKE_TIMEOUT)).get(0);
        Alert updated = bench.feed(inbound(T0 + 2 * MINUTE + 15 * MINUTE, Outcome.HANDSHAKE_TIMEOUT)).get(0);

        assertThat(raised.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * MINUTE));
        assertThat(raised.getWindowMs()).isEqualTo(1); // never an empty window
        assertThat(raised.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * MINUTE));
        assertThat(updated.getType()).isEqualTo(AlertType.UPDATED);
        assertThat(updated.getCount()).isEqualTo(3);
        assertThat(updated.getWindowStart()).isEqualTo(raised.getWindowStart());
        assertThat(updated.getWindowMs()).isEqualTo(15 * MINUTE);
        assertThat(updated.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + 17 * MINUTE));
        assertThat(updated.getSummary()).contains("failed 3 times in a row");
    }

    @Test
    void resolvesAfterASuccessAndTheQuietPeriod() {
        bench.feed(inbound(T0, Outcome.OK));
        bench.feed(inbound(T0 + MINUTE, Outcome.HANDSHAKE_TIMEOUT));
        bench.feed(inbound(T0 + 2 * MINUTE, Outcome.HANDSHAKE_TIMEOUT));
        bench.feed(inbound(T0 + 3 * MINUTE, Outcome.OK));

        List<Alert> resolved = bench.punctuate(T0 + 32 * MINUTE);

        assertThat(resolved).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RESOLVED);
            assertThat(a.getRule()).isEqualTo("success-to-failure");
        });
        assertThat(bench.state(SENDER_IP, AlertRule.SUCCESS_TO_FAILURE, Outcome.HANDSHAKE_TIMEOUT).getOpen()).isFalse();
    }
}
