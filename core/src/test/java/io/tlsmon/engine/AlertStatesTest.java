package io.tlsmon.engine;

import io.tlsmon.alert.AlertConfig;
import io.tlsmon.alert.AlertRule;
import io.tlsmon.alert.AlertStore;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert engine's store over KeyValueStates: sender scans, hour-first counts, and the due index. */
class AlertStatesTest {
    private static final long HOUR = 3_600_000L;
    private static final long MINUTE = 60_000L;
    private static final long DAY = 24 * HOUR;
    /** 2025-03-01T10:00Z: 13 digits, so the keys show their padding. */
    private static final long T0 = 1_740_823_200_000L;
    private static final AlertConfig CONFIG = AlertConfig.defaults();
    private static final long QUIET = CONFIG.quietPeriodMs();
    /** Twice the larger of the deprecated interval and the quiet period: two days by default. */
    private static final long KEEP_CLOSED = 2 * DAY;

    private final MapState<AlertState> states = new MapState<>();
    private final MapState<Long> rates = new MapState<>();
    private final AlertStates alerts = new AlertStates(states, rates, CONFIG);

    private static AlertState state(String sender, AlertRule rule, Outcome outcome, boolean open, boolean successSince, long lastMatch) {
        return AlertState.newBuilder().setSender(sender).setRule(rule.label()).setOutcome(outcome).setOpen(open)
                .setSuccessSince(successSince).setRaisedAt(lastMatch).setLastMatch(lastMatch).build();
    }

    private static AlertState openFailing(String sender, long lastMatch) {
        return state(sender, AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER, true, false, lastMatch);
    }

    private static AlertState openQuiet(String sender, long lastMatch) {
        return state(sender, AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER, true, true, lastMatch);
    }

    private static AlertState closed(String sender, long lastMatch) {
        return state(sender, AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER, false, true, lastMatch);
    }

    private void put(AlertState st) {
        alerts.put(AlertStore.keyOf(st), st);
    }

    private static List<String> senders(List<AlertState> list) {
        return list.stream().map(AlertState::getSender).toList();
    }

    @Test
    void putAndGetGoThroughToTheState() {
        AlertState st = openFailing("198.51.100.7", T0);
        put(st);
        assertThat(states.get("198.51.100.7|failure-threshold|NO_SHARED_CIPHER")).isSameAs(st);
        assertThat(alerts.get("198.51.100.7|failure-threshold|NO_SHARED_CIPHER")).isSameAs(st);
        assertThat(alerts.get("198.51.100.8|failure-threshold|NO_SHARED_CIPHER")).isNull();
    }

    @Test
    void forSenderReadsTheStatesOfThatSenderOnly() {
        put(openFailing("198.51.100.7", T0));
        put(state("198.51.100.7", AlertRule.DEPRECATED_PROTOCOL, Outcome.DEPRECATED_PROTOCOL, true, false, T0));
        put(openFailing("198.51.100.70", T0));   // the id as a prefix, without the separator
        put(openFailing("198.51.100.6", T0));    // just before
        put(openFailing("198.51.100.8", T0));    // just after
        put(openFailing("ex1|", T0));            // an outbound sender with no connector
        put(openFailing("ex1|Outbound to Office 365", T0));

        assertThat(alerts.forSender("198.51.100.7")).extracting(AlertState::getRule)
                .containsExactly("deprecated-protocol", "failure-threshold");
        assertThat(senders(alerts.forSender("ex1|"))).containsExactly("ex1|");
        assertThat(senders(alerts.forSender("ex1|Outbound to Office 365"))).containsExactly("ex1|Outbound to Office 365");
        assertThat(alerts.forSender("198.51.100.9")).isEmpty();
    }

    @Test
    void forSenderDoesNotReadTheStatesOfAnOutboundSenderNamedAfterItsAddress() {
        // an Exchange server known by its address, whose mail our Postfix also receives from that address
        put(openFailing("10.0.0.5|Outbound to relay", T0));
        put(openFailing("10.0.0.5", T0));
        assertThat(senders(alerts.forSender("10.0.0.5"))).containsExactly("10.0.0.5");
    }

    @Test
    void theHourlyCountsStartAtZeroAndCountUpPerRuleAndHour() {
        assertThat(alerts.raisedInHour(AlertRule.FAILURE_THRESHOLD, T0)).isZero();
        alerts.countRaised(AlertRule.FAILURE_THRESHOLD, T0);
        alerts.countRaised(AlertRule.FAILURE_THRESHOLD, T0);
        alerts.countRaised(AlertRule.DEPRECATED_PROTOCOL, T0);
        alerts.countRaised(AlertRule.FAILURE_THRESHOLD, T0 + HOUR);
        assertThat(alerts.raisedInHour(AlertRule.FAILURE_THRESHOLD, T0)).isEqualTo(2);
        assertThat(alerts.raisedInHour(AlertRule.DEPRECATED_PROTOCOL, T0)).isEqualTo(1);
        assertThat(alerts.raisedInHour(AlertRule.FAILURE_THRESHOLD, T0 + HOUR)).isEqualTo(1);
        assertThat(alerts.raisedInHour(AlertRule.SUCCESS_TO_FAILURE, T0)).isZero();
    }

    @Test
    void rateKeysPutTheHourFirstZeroPaddedSoThatStringOrderIsTimeOrder() {
        alerts.countRaised(AlertRule.SUCCESS_TO_FAILURE, T0);
        List<String> keys = new ArrayList<>();
        rates.forEach((k, v) -> keys.add(k));
        assertThat(keys).containsExactly("00" + T0 + "|success-to-failure");

        assertThat(AlertStates.pad(0)).isEqualTo("000000000000000");
        assertThat(AlertStates.pad(-HOUR)).isEqualTo("000000000000000");
        assertThat(AlertStates.pad(123)).isEqualTo("000000000000123");
        assertThat(AlertStates.pad(999_999_999_999_999L)).isEqualTo("999999999999999");
        assertThat(AlertStates.pad(9 * HOUR).compareTo(AlertStates.pad(10 * HOUR))).isNegative();
    }

    @Test
    void forgettingRatesDropsTheHoursBeforeAndKeepsThatHourAndLater() {
        alerts.countRaised(AlertRule.FAILURE_THRESHOLD, T0 - HOUR);
        alerts.countRaised(AlertRule.DEPRECATED_PROTOCOL, T0 - 5 * HOUR);
        alerts.countRaised(AlertRule.FAILURE_THRESHOLD, T0);
        alerts.countRaised(AlertRule.SUCCESS_TO_FAILURE, T0 + HOUR);
        alerts.noteSuppressed("a|failure-threshold|NO_SHARED_CIPHER", T0 - HOUR);

        alerts.forgetRatesBefore(T0);

        assertThat(alerts.raisedInHour(AlertRule.FAILURE_THRESHOLD, T0 - HOUR)).isZero();
        assertThat(alerts.raisedInHour(AlertRule.DEPRECATED_PROTOCOL, T0 - 5 * HOUR)).isZero();
        assertThat(alerts.raisedInHour(AlertRule.FAILURE_THRESHOLD, T0)).isEqualTo(1);
        assertThat(alerts.raisedInHour(AlertRule.SUCCESS_TO_FAILURE, T0 + HOUR)).isEqualTo(1);
        assertThat(rates.size()).isEqualTo(2);
    }

    @Test
    void aSuppressionIsNotedOncePerAlertAndHour() {
        String a = "198.51.100.7|failure-threshold|NO_SHARED_CIPHER";
        String b = "198.51.100.8|failure-threshold|NO_SHARED_CIPHER";
        assertThat(alerts.noteSuppressed(a, T0)).isTrue();
        assertThat(alerts.noteSuppressed(a, T0)).isFalse();
        assertThat(alerts.noteSuppressed(b, T0)).isTrue();
        assertThat(alerts.noteSuppressed(a, T0 + HOUR)).isTrue();
        // a note is not a count
        assertThat(alerts.raisedInHour(AlertRule.FAILURE_THRESHOLD, T0)).isZero();
        assertThat(rates.get("00" + T0 + "|suppressed|" + a)).isEqualTo(1L);
    }

    @Test
    void anOpenAlertWithASuccessIsDueExactlyAQuietPeriodAfterItsLastMatch() {
        put(openQuiet("198.51.100.7", T0));
        assertThat(alerts.dueAt(T0 + QUIET - 1)).isEmpty();
        assertThat(senders(alerts.dueAt(T0 + QUIET))).containsExactly("198.51.100.7");
        assertThat(alerts.dueAt(T0 + 10 * QUIET)).as("taken out once").isEmpty();
        assertThat(states.size()).as("an open state is resolved by the engine, not deleted").isEqualTo(1);
    }

    @Test
    void anOpenFailingAlertIsNeverDue() {
        put(openFailing("198.51.100.7", T0));
        assertThat(alerts.dueAt(T0 + 100 * DAY)).isEmpty();
        assertThat(states.size()).isEqualTo(1);
    }

    @Test
    void everyPutMovesTheDueTime() {
        put(openQuiet("198.51.100.7", T0));
        put(openFailing("198.51.100.7", T0 + MINUTE)); // a new failure: no longer due
        assertThat(alerts.dueAt(T0 + DAY)).isEmpty();

        put(openQuiet("198.51.100.7", T0 + 2 * MINUTE));
        assertThat(alerts.dueAt(T0 + 2 * MINUTE + QUIET - 1)).isEmpty();
        assertThat(alerts.dueAt(T0 + 2 * MINUTE + QUIET)).hasSize(1);

        put(closed("198.51.100.7", T0 + 2 * MINUTE)); // resolved: now due for deletion only
        assertThat(alerts.dueAt(T0 + 2 * MINUTE + KEEP_CLOSED - 1)).isEmpty();
        assertThat(states.size()).isEqualTo(1);
    }

    @Test
    void aClosedStateIsDeletedOnlyOnceItsKeepHasPassed() {
        AlertState st = closed("198.51.100.7", T0);
        put(st);
        assertThat(alerts.dueAt(T0 + KEEP_CLOSED - 1)).isEmpty();
        assertThat(alerts.get(AlertStore.keyOf(st))).isNotNull();

        assertThat(alerts.dueAt(T0 + KEEP_CLOSED)).as("deleted, not returned").isEmpty();
        assertThat(alerts.get(AlertStore.keyOf(st))).isNull();
    }

    @Test
    void aClosedStateIsKeptAtLeastADeprecatedIntervalAfterItWasRaised() {
        // the longest a closed state is needed: a deprecated-protocol warning holds back the next for a day
        AlertConfig longQuiet = new AlertConfig(3, 300_000, 2, 3 * DAY, 900_000, 100, DAY, java.util.Set.of());
        AlertStates withLongQuiet = new AlertStates(states, rates, longQuiet);
        AlertState st = state("198.51.100.7", AlertRule.DEPRECATED_PROTOCOL, Outcome.DEPRECATED_PROTOCOL, false, true, T0);
        withLongQuiet.put(AlertStore.keyOf(st), st);
        withLongQuiet.dueAt(T0 + 6 * DAY - 1);
        assertThat(states.size()).as("twice the quiet period, the longer of the two here").isEqualTo(1);
        withLongQuiet.dueAt(T0 + 6 * DAY);
        assertThat(states.size()).isZero();
    }

    @Test
    void aStateDeletedMeanwhileIsSkipped() {
        put(openQuiet("198.51.100.7", T0));
        put(openQuiet("198.51.100.8", T0));
        states.delete("198.51.100.7|failure-threshold|NO_SHARED_CIPHER");
        assertThat(senders(alerts.dueAt(T0 + QUIET))).containsExactly("198.51.100.8");
    }

    @Test
    void theDueIndexIsRebuiltFromTheStatesWhenTheStoreIsMade() {
        put(openQuiet("198.51.100.8", T0 + MINUTE));
        put(openQuiet("198.51.100.7", T0));
        put(openFailing("198.51.100.9", T0));
        put(closed("198.51.100.6", T0));

        AlertStates restarted = new AlertStates(states, rates, CONFIG);
        assertThat(senders(restarted.dueAt(T0 + MINUTE + QUIET))).as("earliest first").containsExactly("198.51.100.7", "198.51.100.8");
        restarted.dueAt(T0 + KEEP_CLOSED);
        assertThat(states.get("198.51.100.6|failure-threshold|NO_SHARED_CIPHER")).isNull();
        assertThat(states.size()).isEqualTo(3);
    }
}
