package io.tlsmon.alert;

import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryAlertStoreTest {
    private final InMemoryAlertStore store = new InMemoryAlertStore();

    private static AlertState stateOf(String sender, AlertRule rule, Outcome outcome) {
        return AlertState.newBuilder().setSender(sender).setRule(rule.label()).setOutcome(outcome).setOpen(true).build();
    }

    private void putState(String sender, AlertRule rule, Outcome outcome) {
        AlertState st = stateOf(sender, rule, outcome);
        store.put(AlertStore.keyOf(st), st);
    }

    @Test
    void findsTheStatesOfOneSenderOnly() {
        putState("10.0.0.1", AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER);
        putState("10.0.0.1", AlertRule.DEPRECATED_PROTOCOL, Outcome.DEPRECATED_PROTOCOL);
        putState("10.0.0.10", AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER);
        putState("10.0.0.", AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER);

        assertThat(store.forSender("10.0.0.1")).extracting(AlertState::getSender).containsOnly("10.0.0.1").hasSize(2);
        assertThat(store.get(AlertStore.key("10.0.0.10", AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER)).getSender())
                .isEqualTo("10.0.0.10");
        assertThat(store.get(AlertStore.key("10.0.0.10", AlertRule.SUCCESS_TO_FAILURE, Outcome.NO_SHARED_CIPHER))).isNull();
        assertThat(store.all()).hasSize(4);
    }

    @Test
    void countsRaisedPerRuleAndHour() {
        store.countRaised(AlertRule.FAILURE_THRESHOLD, 0);
        store.countRaised(AlertRule.FAILURE_THRESHOLD, 0);
        store.countRaised(AlertRule.FAILURE_THRESHOLD, 3_600_000L);
        store.countRaised(AlertRule.SUCCESS_TO_FAILURE, 0);

        assertThat(store.raisedInHour(AlertRule.FAILURE_THRESHOLD, 0)).isEqualTo(2);
        assertThat(store.raisedInHour(AlertRule.FAILURE_THRESHOLD, 3_600_000L)).isEqualTo(1);
        assertThat(store.raisedInHour(AlertRule.SUCCESS_TO_FAILURE, 0)).isEqualTo(1);
        assertThat(store.raisedInHour(AlertRule.DEPRECATED_PROTOCOL, 0)).isZero();
    }

    @Test
    void anOutboundSenderNamedByAnAddressIsNotThatAddresssState() {
        putState("10.0.0.5|Outbound to relay", AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER);
        putState("10.0.0.5", AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER);
        assertThat(store.forSender("10.0.0.5")).extracting(AlertState::getSender).containsExactly("10.0.0.5");
        assertThat(store.forSender("10.0.0.5|Outbound to relay")).extracting(AlertState::getSender)
                .containsExactly("10.0.0.5|Outbound to relay");
    }

    @Test
    void notesASuppressionOncePerKeyAndHour() {
        assertThat(store.noteSuppressed("a|failure-threshold|NO_SHARED_CIPHER", 0)).isTrue();
        assertThat(store.noteSuppressed("a|failure-threshold|NO_SHARED_CIPHER", 0)).isFalse();
        assertThat(store.noteSuppressed("a|failure-threshold|NO_SHARED_CIPHER", 3_600_000L)).isTrue();
        assertThat(store.noteSuppressed("b|failure-threshold|NO_SHARED_CIPHER", 0)).isTrue();
    }
}
