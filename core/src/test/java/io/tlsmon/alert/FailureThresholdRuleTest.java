package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.tlsmon.alert.Attempts.MINUTE;
import static io.tlsmon.alert.Attempts.OUR_MX;
import static io.tlsmon.alert.Attempts.SECOND;
import static io.tlsmon.alert.Attempts.SENDER_EHLO;
import static io.tlsmon.alert.Attempts.SENDER_IP;
import static io.tlsmon.alert.Attempts.T0;
import static io.tlsmon.alert.Attempts.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/** Rule failure-threshold: N failures of one outcome from one sender in one tumbling window. */
class FailureThresholdRuleTest {
    private static final long WINDOW = 5 * MINUTE;
    private final AlertBench bench = new AlertBench(Configs.thresholdOnly(3));

    @Test
    void raisesOnTheThresholdthFailureOfOneOutcomeInAWindowAndNotBefore() {
        assertThat(bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER).setError("no shared cipher"))).isEmpty();
        assertThat(bench.feed(inbound(T0 + SECOND, Outcome.NO_SHARED_CIPHER).setError("no shared cipher"))).isEmpty();

        List<Alert> third = bench.feed(inbound(T0 + 2 * SECOND, Outcome.NO_SHARED_CIPHER).setError("no shared cipher"));

        assertThat(third).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RAISED);
            assertThat(a.getRule()).isEqualTo("failure-threshold");
            assertThat(a.getOutcome()).isEqualTo(Outcome.NO_SHARED_CIPHER);
            assertThat(a.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(a.getCount()).isEqualTo(3);
            assertThat(a.getSender()).isEqualTo(SENDER_IP);
            assertThat(a.getSenderName()).isEqualTo(SENDER_EHLO);
            assertThat(a.getDirection()).isEqualTo(Direction.inbound);
            assertThat(a.getDestination()).isEqualTo(OUR_MX);
            assertThat(a.getError()).isEqualTo("no shared cipher");
            assertThat(a.getTime()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * SECOND));
            assertThat(a.getFirstEvidence()).isEqualTo(new EvidenceRef(OUR_MX, "pid" + (T0 + 2 * SECOND), Instant.ofEpochMilli(T0 + 2 * SECOND)));
            assertThat(a.getLastEvidence()).isEqualTo(a.getFirstEvidence());
            assertThat(a.getRemediation()).isEqualTo(Remediation.forOutcome(Outcome.NO_SHARED_CIPHER, null, "postfix-smtpd", Direction.inbound));
        });
    }

    @Test
    void theWindowOfTheAlertIsTheTumblingWindowOfTheRule() {
        long inWindow = T0 + 2 * MINUTE; // the window [T0, T0 + 5 min)
        bench.feed(inbound(inWindow, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(inWindow + SECOND, Outcome.NO_SHARED_CIPHER));
        Alert raised = bench.feed(inbound(inWindow + 2 * SECOND, Outcome.NO_SHARED_CIPHER)).get(0);

        assertThat(raised.getWindowMs()).isEqualTo(WINDOW);
        assertThat(raised.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(raised.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(T0 + WINDOW));
        assertThat(raised.getSummary()).isEqualTo("sender 198.51.100.7 (mail.sender.example): 3 × NO_SHARED_CIPHER in 5 min towards mx1");
    }

    @Test
    void failuresSplitByAWindowRollOverDoNotAddUp() {
        List<Alert> out = bench.feedAll(List.of(
                inbound(T0 + WINDOW - 2 * SECOND, Outcome.NO_SHARED_CIPHER),
                inbound(T0 + WINDOW - SECOND, Outcome.NO_SHARED_CIPHER),
                inbound(T0 + WINDOW, Outcome.NO_SHARED_CIPHER),
                inbound(T0 + WINDOW + SECOND, Outcome.NO_SHARED_CIPHER)));
        assertThat(out).isEmpty();
    }

    @Test
    void failuresOfDifferentOutcomesDoNotAddUp() {
        List<Alert> out = bench.feedAll(List.of(
                inbound(T0, Outcome.NO_SHARED_CIPHER),
                inbound(T0 + SECOND, Outcome.NO_SHARED_CIPHER),
                inbound(T0 + 2 * SECOND, Outcome.CERTIFICATE_UNTRUSTED),
                inbound(T0 + 3 * SECOND, Outcome.HANDSHAKE_TIMEOUT)));
        assertThat(out).isEmpty();
    }

    @Test
    void failuresOfDifferentSendersDoNotAddUp() {
        List<Alert> out = bench.feedAll(List.of(
                Attempts.inboundFrom("198.51.100.1", T0, Outcome.NO_SHARED_CIPHER),
                Attempts.inboundFrom("198.51.100.2", T0 + SECOND, Outcome.NO_SHARED_CIPHER),
                Attempts.inboundFrom("198.51.100.3", T0 + 2 * SECOND, Outcome.NO_SHARED_CIPHER)));
        assertThat(out).isEmpty();
    }

    @Test
    void eachOutcomeOverTheThresholdIsAnAlertOfItsOwn() {
        for (int i = 0; i < 3; i++) {
            bench.feed(inbound(T0 + i * SECOND, Outcome.NO_SHARED_CIPHER));
        }
        List<Alert> expired = bench.feedAll(List.of(
                inbound(T0 + 10 * SECOND, Outcome.CERTIFICATE_EXPIRED),
                inbound(T0 + 11 * SECOND, Outcome.CERTIFICATE_EXPIRED),
                inbound(T0 + 12 * SECOND, Outcome.CERTIFICATE_EXPIRED)));

        assertThat(expired).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RAISED);
            assertThat(a.getOutcome()).isEqualTo(Outcome.CERTIFICATE_EXPIRED);
        });
        assertThat(bench.store.forSender(SENDER_IP)).hasSize(2);
    }

    @Test
    void furtherFailuresWithinTheUpdateIntervalAreCountedButNotEmitted() {
        for (int i = 0; i < 3; i++) {
            bench.feed(inbound(T0 + i * SECOND, Outcome.NO_SHARED_CIPHER));
        }
        List<Alert> more = bench.feedAll(List.of(
                inbound(T0 + 3 * SECOND, Outcome.NO_SHARED_CIPHER),
                inbound(T0 + 4 * SECOND, Outcome.NO_SHARED_CIPHER)));

        assertThat(more).isEmpty();
        assertThat(bench.state(SENDER_IP, AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER).getCount()).isEqualTo(5);
    }

    @Test
    void anUpdatedAlertCarriesTheCountSinceItWasRaised() {
        for (int i = 0; i < 3; i++) {
            bench.feed(inbound(T0 + i * SECOND, Outcome.NO_SHARED_CIPHER));
        }
        long later = T0 + 20 * MINUTE; // a new window, after the update interval
        List<Alert> out = bench.feedAll(List.of(
                inbound(later, Outcome.NO_SHARED_CIPHER),
                inbound(later + SECOND, Outcome.NO_SHARED_CIPHER),
                inbound(later + 2 * SECOND, Outcome.NO_SHARED_CIPHER)));

        // below the threshold in the new window the alert is not touched; at it, the count goes on from 3
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.UPDATED);
            assertThat(a.getCount()).isEqualTo(4);
            assertThat(a.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0 + 20 * MINUTE));
            assertThat(a.getFirstEvidence().getTime()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * SECOND));
            assertThat(a.getLastEvidence().getTime()).isEqualTo(Instant.ofEpochMilli(later + 2 * SECOND));
        });
    }

    @Test
    void resolvesAfterASuccessAndTheQuietPeriod() {
        for (int i = 0; i < 3; i++) {
            bench.feed(inbound(T0 + i * SECOND, Outcome.NO_SHARED_CIPHER));
        }
        long lastFailure = T0 + 2 * SECOND;
        assertThat(bench.feed(inbound(T0 + MINUTE, Outcome.OK))).isEmpty();

        assertThat(bench.feed(inbound(lastFailure + 30 * MINUTE - 1, Outcome.OK))).isEmpty();
        List<Alert> resolved = bench.feed(inbound(lastFailure + 30 * MINUTE, Outcome.OK));

        assertThat(resolved).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RESOLVED);
            assertThat(a.getRule()).isEqualTo("failure-threshold");
            assertThat(a.getCount()).isEqualTo(3);
            assertThat(a.getTime()).isEqualTo(Instant.ofEpochMilli(lastFailure + 30 * MINUTE));
            assertThat(a.getWindowEnd()).isEqualTo(a.getTime());
            assertThat(a.getSummary()).startsWith("resolved: sender 198.51.100.7");
        });
        assertThat(bench.state(SENDER_IP, AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER).getOpen()).isFalse();
    }
}
