package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.classify.NameUuids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static io.tlsmon.alert.Attempts.HOUR;
import static io.tlsmon.alert.Attempts.MINUTE;
import static io.tlsmon.alert.Attempts.SECOND;
import static io.tlsmon.alert.Attempts.SENDER_IP;
import static io.tlsmon.alert.Attempts.T0;
import static io.tlsmon.alert.Attempts.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The life of an alert, common to the rules: RAISED, UPDATED at most once per update interval,
 * RESOLVED after a success and a quiet period; noise never alerts; ids are stable. With a failure
 * threshold of 1 every failure matches, so the times below are the only thing that decides.
 */
class AlertEngineTest {
    private static final long UPDATE = 15 * MINUTE;
    private static final long QUIET = 30 * MINUTE;
    private final AlertBench bench = new AlertBench(Configs.thresholdOnly(1));

    private AlertState state() {
        return bench.state(SENDER_IP, AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER);
    }

    @Test
    void updatesOnlyOnceTheUpdateIntervalHasPassedSinceTheLastEmit() {
        assertThat(bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER))).extracting(Alert::getType).containsExactly(AlertType.RAISED);
        assertThat(bench.feed(inbound(T0 + UPDATE - 1, Outcome.NO_SHARED_CIPHER))).isEmpty();
        assertThat(bench.feed(inbound(T0 + UPDATE, Outcome.NO_SHARED_CIPHER))).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.UPDATED);
            assertThat(a.getCount()).isEqualTo(3);
        });
        // the interval counts from the UPDATED, not from the RAISED
        assertThat(bench.feed(inbound(T0 + 2 * UPDATE - 1, Outcome.NO_SHARED_CIPHER))).isEmpty();
        assertThat(bench.feed(inbound(T0 + 2 * UPDATE, Outcome.NO_SHARED_CIPHER))).extracting(Alert::getType)
                .containsExactly(AlertType.UPDATED);
        assertThat(state().getCountAtLastEmit()).isEqualTo(5);
    }

    @Test
    void noUpdateWithoutANewMatchHoweverLongItWaits() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        // another outcome of the same sender is another alert: it does not touch this one's count
        List<Alert> out = bench.feed(inbound(T0 + 2 * UPDATE, Outcome.CERTIFICATE_EXPIRED));

        assertThat(out).extracting(Alert::getOutcome, Alert::getType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.CERTIFICATE_EXPIRED, AlertType.RAISED));
        assertThat(state().getCount()).isEqualTo(1);
        assertThat(state().getLastEmitted()).isEqualTo(T0);
    }

    @Test
    void aLateFailureIsNotInTheCurrentWindowSoTheThresholdRuleIgnoresIt() {
        bench.feed(inbound(T0 + HOUR, Outcome.NO_SHARED_CIPHER));
        assertThat(bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER))).isEmpty();
        assertThat(state().getCount()).isEqualTo(1);
    }

    @Test
    void aLateMatchIsCountedButNeitherEmittedNorMovesTheLastMatchBack() {
        AlertBench exo = new AlertBench(Configs.defaults());
        exo.feed(Attempts.outbound(T0 + HOUR, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED));

        assertThat(exo.feed(Attempts.outbound(T0, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED)))
                .isEmpty();

        var st = exo.state(Attempts.OUTBOUND_SENDER, AlertRule.EXO_PROBABLE_VERSION_REJECTED, Outcome.CONNECTION_DROPPED);
        assertThat(st.getCount()).isEqualTo(2);
        assertThat(st.getLastMatch()).isEqualTo(T0 + HOUR);
        assertThat(st.getLastEmitted()).isEqualTo(T0 + HOUR);
    }

    @Test
    void resolvesExactlyAtTheEndOfTheQuietPeriodAfterASuccess() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0 + MINUTE, Outcome.OK));

        assertThat(bench.punctuate(T0 + QUIET - 1)).isEmpty();
        List<Alert> resolved = bench.punctuate(T0 + QUIET);

        assertThat(resolved).singleElement().extracting(Alert::getType).isEqualTo(AlertType.RESOLVED);
        assertThat(state().getOpen()).isFalse();
        assertThat(state().getLast()).isEqualTo(resolved.get(0));
        assertThat(bench.punctuate(T0 + 2 * QUIET)).as("a resolved alert is not resolved again").isEmpty();
    }

    @Test
    void withoutASuccessAnAlertStaysOpenHoweverQuiet() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        assertThat(bench.punctuate(T0 + 10 * HOUR)).isEmpty();
        assertThat(bench.feed(inbound(T0 + 10 * HOUR, Outcome.WRONG_PORT_OR_PROTOCOL))).isEmpty();
        assertThat(state().getOpen()).isTrue();
        assertThat(state().getSuccessSince()).isFalse();
    }

    @Test
    void aSuccessOlderThanTheLastMatchDoesNotCount() {
        bench.feed(inbound(T0 + MINUTE, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0, Outcome.OK)); // arrives late: it happened before the failure
        assertThat(state().getSuccessSince()).isFalse();
        assertThat(bench.punctuate(T0 + 10 * HOUR)).isEmpty();
    }

    @Test
    void aSuccessAtTheTimeOfTheLastMatchCounts() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0, Outcome.OK));
        assertThat(state().getSuccessSince()).isTrue();
        assertThat(state().getLastSuccess()).isEqualTo(T0);
    }

    @Test
    void aMatchAfterTheSuccessPutsTheResolutionOff() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0 + MINUTE, Outcome.OK));
        bench.feed(inbound(T0 + 2 * MINUTE, Outcome.NO_SHARED_CIPHER));

        assertThat(bench.punctuate(T0 + 2 * MINUTE + QUIET)).isEmpty();

        bench.feed(inbound(T0 + 3 * MINUTE, Outcome.OK));
        assertThat(bench.punctuate(T0 + 2 * MINUTE + QUIET)).extracting(Alert::getType).containsExactly(AlertType.RESOLVED);
    }

    @Test
    void theQuietPeriodCountsFromTheLastMatchNotFromTheRaise() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0 + 20 * MINUTE, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0 + 21 * MINUTE, Outcome.OK));

        assertThat(state().getLastMatch()).isEqualTo(T0 + 20 * MINUTE);
        assertThat(bench.punctuate(T0 + QUIET + MINUTE)).isEmpty();
        assertThat(bench.punctuate(T0 + 20 * MINUTE + QUIET)).hasSize(1);
    }

    @Test
    void aResolutionRepeatsTheLatestAlertEmittedNotTheFirst() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0 + MINUTE, Outcome.NO_SHARED_CIPHER));
        Alert updated = bench.feed(inbound(T0 + UPDATE, Outcome.NO_SHARED_CIPHER)).get(0);
        bench.feed(inbound(T0 + UPDATE + 1, Outcome.OK));

        Alert resolved = bench.punctuate(T0 + UPDATE + QUIET).get(0);

        assertThat(resolved.getSummary()).isEqualTo("resolved: " + updated.getSummary());
        assertThat(resolved.getSummary()).contains("3 × NO_SHARED_CIPHER");
        assertThat(resolved.getLastEvidence()).isEqualTo(updated.getLastEvidence());
        assertThat(resolved.getCount()).isEqualTo(3);
    }

    @Test
    void everyChangeOfAStateIsWrittenBackToTheStore() {
        // the engine reads its states through Avro bytes here (as from RocksDB): what it does not put back is lost
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0 + MINUTE, Outcome.NO_SHARED_CIPHER));
        assertThat(state().getCount()).isEqualTo(2);
        assertThat(state().getLastEvidence().getTime().toEpochMilli()).isEqualTo(T0 + MINUTE);

        bench.feed(inbound(T0 + 2 * MINUTE, Outcome.OK));
        assertThat(state().getSuccessSince()).isTrue();

        bench.punctuate(T0 + MINUTE + QUIET);
        assertThat(state().getOpen()).isFalse();
        assertThat(state().getLast().getType()).isEqualTo(AlertType.RESOLVED);
    }

    @Test
    void theSendersNextAttemptResolvesItsQuietAlertsWithoutAPunctuation() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0 + MINUTE, Outcome.OK));
        assertThat(bench.feed(inbound(T0 + QUIET, Outcome.OK))).extracting(Alert::getType).containsExactly(AlertType.RESOLVED);
    }

    @Test
    void anotherSendersAttemptDoesNotResolveThisSendersAlerts() {
        bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER));
        bench.feed(inbound(T0 + MINUTE, Outcome.OK));
        assertThat(bench.feed(Attempts.inboundFrom("203.0.113.9", T0 + 2 * QUIET, Outcome.OK))).isEmpty();
        assertThat(state().getOpen()).isTrue();
    }

    @Test
    void aFailureAfterTheResolutionRaisesANewAlertWithANewId() {
        Alert first = bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER)).get(0);
        bench.feed(inbound(T0 + MINUTE, Outcome.OK));
        bench.punctuate(T0 + QUIET);

        List<Alert> again = bench.feed(inbound(T0 + 2 * QUIET, Outcome.NO_SHARED_CIPHER));

        assertThat(again).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RAISED);
            assertThat(a.getCount()).isEqualTo(1);
            assertThat(a.getId()).isNotEqualTo(first.getId());
        });
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"OK", "DEPRECATED_PROTOCOL"}, mode = EnumSource.Mode.EXCLUDE)
    void everyFailureOutcomeButTheNoiseCanAlert(Outcome failure) {
        List<Alert> out = bench.feed(inbound(T0, failure));
        if (failure == Outcome.WRONG_PORT_OR_PROTOCOL) {
            assertThat(out).isEmpty();
        } else {
            assertThat(out).extracting(Alert::getOutcome).containsExactly(failure);
        }
    }

    @Test
    void noiseOutcomesAreNeverAlertedByAnyRule() {
        AlertBench all = new AlertBench(Configs.defaults().failureThreshold(1).consecutiveFailures(1));
        List<Alert> out = new ArrayList<>(all.feed(inbound(T0, Outcome.OK)));
        for (int i = 1; i <= 10; i++) {
            out.addAll(all.feed(inbound(T0 + i * SECOND, Outcome.WRONG_PORT_OR_PROTOCOL)
                    .setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED)));
        }
        out.addAll(all.feed(inbound(T0 + UPDATE, Outcome.WRONG_PORT_OR_PROTOCOL)));
        assertThat(out).isEmpty();
        assertThat(all.store.all()).isEmpty();
    }

    @Test
    void theNoiseIsWhatTheConfigurationSays() {
        AlertBench timeoutsAreNoise = new AlertBench(Configs.thresholdOnly(1).noise(Outcome.HANDSHAKE_TIMEOUT));
        assertThat(timeoutsAreNoise.feed(inbound(T0, Outcome.HANDSHAKE_TIMEOUT))).isEmpty();
        assertThat(timeoutsAreNoise.feed(inbound(T0 + 1, Outcome.WRONG_PORT_OR_PROTOCOL))).hasSize(1);
    }

    @Test
    void successesNeverRaiseAFailureRule() {
        AlertBench all = new AlertBench(Configs.defaults().failureThreshold(1).consecutiveFailures(1));
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            out.addAll(all.feed(inbound(T0 + i * SECOND, Outcome.OK)));
        }
        assertThat(out).isEmpty();
    }

    @Test
    void theSameAttemptsGiveTheSameAlertIds() {
        List<Alert> first = runOnce();
        List<Alert> second = runOnce();
        assertThat(first).extracting(Alert::getId).isEqualTo(second.stream().map(Alert::getId).toList());
        assertThat(first).extracting(Alert::getType).containsExactly(AlertType.RAISED, AlertType.UPDATED, AlertType.RESOLVED);
        assertThat(first).extracting(Alert::getId).containsOnly(first.get(0).getId());
    }

    @Test
    void anAlertIdIsTheRuleLabelSenderOutcomeAndRaiseTimeHashed() {
        Alert raised = bench.feed(inbound(T0, Outcome.NO_SHARED_CIPHER)).get(0);
        // ids of alerts already sent out must never change: they hash the wire label of the rule
        assertThat(raised.getId()).isEqualTo(NameUuids.of("failure-threshold|" + SENDER_IP + "|NO_SHARED_CIPHER|" + T0));
    }

    @Test
    void twoRulesOnOneAttemptGiveTwoIds() {
        AlertBench both = new AlertBench(Configs.defaults().failureThreshold(1).consecutiveFailures(1));
        both.feed(inbound(T0, Outcome.OK));
        List<Alert> out = both.feed(inbound(T0 + 1, Outcome.NO_SHARED_CIPHER));
        assertThat(out).extracting(Alert::getRule).containsExactly("failure-threshold", "success-to-failure");
        assertThat(out.get(0).getId()).isNotEqualTo(out.get(1).getId());
    }

    private static List<Alert> runOnce() {
        AlertBench b = new AlertBench(Configs.thresholdOnly(1));
        List<Alert> out = new ArrayList<>(b.feedAll(List.of(
                inbound(T0, Outcome.NO_SHARED_CIPHER),
                inbound(T0 + UPDATE, Outcome.NO_SHARED_CIPHER),
                inbound(T0 + UPDATE + 1, Outcome.OK))));
        out.addAll(b.punctuate(T0 + UPDATE + QUIET));
        return out;
    }

    @Test
    void aSuccessFromAnAddressDoesNotClearTheAlertOfAnOutboundSenderNamedByThatAddress() {
        // our Exchange, known by its address, sends through our Postfix relay, which logs it inbound
        NegotiationAttempt.Builder exchangeOut = Attempts.outbound(T0, Outcome.NO_SHARED_CIPHER).setServer("10.0.0.5")
                .setConnector("relay");
        assertThat(bench.feed(exchangeOut)).extracting(Alert::getSender).containsExactly("10.0.0.5|relay");
        bench.feed(Attempts.inboundFrom("10.0.0.5", T0 + MINUTE, Outcome.OK));

        assertThat(bench.punctuate(T0 + MINUTE + QUIET)).isEmpty();
        assertThat(bench.state("10.0.0.5|relay", AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER).getSuccessSince()).isFalse();
    }
}
