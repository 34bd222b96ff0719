package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tlsmon.alert.Attempts.EXO_PEER;
import static io.tlsmon.alert.Attempts.MINUTE;
import static io.tlsmon.alert.Attempts.OUTBOUND_SENDER;
import static io.tlsmon.alert.Attempts.T0;
import static io.tlsmon.alert.Attempts.inbound;
import static io.tlsmon.alert.Attempts.outbound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rule exo-probable-version-rejected: a drop during the handshake whose probable cause is a
 * version rejection (a sender seen on TLS 1.0/1.1, towards Exchange Online) alerts at once.
 */
class ExoProbableVersionRejectedRuleTest {
    private final AlertBench bench = new AlertBench(Configs.defaults());

    @Test
    void oneDropWithThatProbableCauseRaisesACriticalAlert() {
        List<Alert> out = bench.feed(outbound(T0, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED));

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RAISED);
            assertThat(a.getRule()).isEqualTo("exo-probable-version-rejected");
            assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
            assertThat(a.getProbableCause()).isEqualTo(Outcome.PROTOCOL_VERSION_REJECTED);
            assertThat(a.getCount()).isEqualTo(1);
            assertThat(a.getSender()).isEqualTo(OUTBOUND_SENDER);
            assertThat(a.getDestination()).isEqualTo(EXO_PEER);
            assertThat(a.getSummary()).isEqualTo("our server ex1|Outbound to Office 365 dropped during the TLS handshake towards "
                    + EXO_PEER + ", and this host was seen negotiating TLS 1.0/1.1: probably PROTOCOL_VERSION_REJECTED");
            assertThat(a.getRemediation()).contains(Remediation.WINDOWS_TLS12);
        });
    }

    @Test
    void anInboundSenderIsNamedByItsAddress() {
        List<Alert> out = bench.feed(inbound(T0, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED));
        assertThat(out).singleElement().extracting(Alert::getSummary).asString()
                .startsWith("sender 198.51.100.7 (mail.sender.example) dropped")
                .contains("this address was seen negotiating TLS 1.0/1.1");
    }

    @Test
    void aDropWithoutThatProbableCauseDoesNotFireIt() {
        List<Alert> out = bench.feedAll(List.of(
                outbound(T0, Outcome.CONNECTION_DROPPED),
                outbound(T0 + MINUTE, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.NO_SHARED_CIPHER)));
        assertThat(out).isEmpty();
    }

    @Test
    void anotherFailureWithThatProbableCauseDoesNotFireIt() {
        // the probable cause is only inferred for drops; a record that says otherwise is not this rule's
        List<Alert> out = bench.feed(outbound(T0, Outcome.HANDSHAKE_TIMEOUT).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED));
        assertThat(out).isEmpty();
    }

    @Test
    void furtherDropsUpdateTheSameAlert() {
        bench.feed(outbound(T0, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED));
        List<Alert> later = bench.feed(outbound(T0 + 2 * MINUTE, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED));
        List<Alert> afterInterval = bench.feed(outbound(T0 + 15 * MINUTE, Outcome.CONNECTION_DROPPED)
                .setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED));

        assertThat(later).isEmpty();
        assertThat(afterInterval).filteredOn(a -> a.getRule().equals("exo-probable-version-rejected"))
                .singleElement().satisfies(a -> {
                    assertThat(a.getType()).isEqualTo(AlertType.UPDATED);
                    assertThat(a.getCount()).isEqualTo(3);
                });
    }

    @Test
    void firesBesideTheCountingRulesOfTheSameAttempt() {
        List<Alert> out = bench.feedAll(List.of(
                outbound(T0, Outcome.OK),
                outbound(T0 + 1, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED),
                outbound(T0 + 2, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED),
                outbound(T0 + 3, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED)));

        assertThat(out).filteredOn(a -> a.getType() == AlertType.RAISED).extracting(Alert::getRule)
                .containsExactly("exo-probable-version-rejected", "success-to-failure", "failure-threshold");
    }
}
