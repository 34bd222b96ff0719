package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.tlsmon.alert.Attempts.T0;
import static io.tlsmon.alert.Attempts.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/** How severe a failure alert is: critical for the outcomes that stop mail, or when TLS was required. */
class AlertSeverityTest {
    /** Mail does not get through, or our own side is broken. */
    private static final Set<Outcome> CRITICAL = EnumSet.of(Outcome.PROTOCOL_VERSION_REJECTED, Outcome.STARTTLS_REQUIRED,
            Outcome.LOCAL_CERTIFICATE_UNUSABLE, Outcome.CERTIFICATE_EXPIRED, Outcome.POLICY_FAILURE);

    private static Alert alertFor(Outcome outcome, Boolean tlsRequired, Outcome probableCause) {
        AlertBench bench = new AlertBench(Configs.thresholdOnly(1).noise());
        List<Alert> out = bench.feed(inbound(T0, outcome).setTlsRequired(tlsRequired).setProbableCause(probableCause));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"OK", "DEPRECATED_PROTOCOL"}, mode = EnumSource.Mode.EXCLUDE)
    void eachFailureOutcomeHasItsSeverity(Outcome failure) {
        Severity expected = CRITICAL.contains(failure) ? Severity.CRITICAL : Severity.WARNING;
        assertThat(alertFor(failure, null, null).getSeverity()).isEqualTo(expected);
        assertThat(alertFor(failure, false, null).getSeverity()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"OK", "DEPRECATED_PROTOCOL"}, mode = EnumSource.Mode.EXCLUDE)
    void aFailureWhereTlsWasRequiredIsCritical(Outcome failure) {
        assertThat(alertFor(failure, true, null).getSeverity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aDropProbablyCausedByAVersionRejectionIsCriticalUnderEveryRule() {
        assertThat(alertFor(Outcome.HANDSHAKE_TIMEOUT, null, Outcome.PROTOCOL_VERSION_REJECTED).getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(alertFor(Outcome.HANDSHAKE_TIMEOUT, null, Outcome.NO_SHARED_CIPHER).getSeverity()).isEqualTo(Severity.WARNING);

        AlertBench bench = new AlertBench(Configs.thresholdOnly(1));
        List<Alert> out = bench.feed(inbound(T0, Outcome.CONNECTION_DROPPED).setProbableCause(Outcome.PROTOCOL_VERSION_REJECTED));
        assertThat(out).extracting(Alert::getRule, Alert::getSeverity).containsExactly(
                org.assertj.core.groups.Tuple.tuple("failure-threshold", Severity.CRITICAL),
                org.assertj.core.groups.Tuple.tuple("exo-probable-version-rejected", Severity.CRITICAL));
    }

    @Test
    void successToFailureTakesTheSeverityOfTheFailure() {
        AlertBench bench = new AlertBench(Configs.successToFailureOnly(1));
        bench.feed(inbound(T0, Outcome.OK));
        assertThat(bench.feed(inbound(T0 + 1, Outcome.CERTIFICATE_EXPIRED))).extracting(Alert::getSeverity)
                .containsExactly(Severity.CRITICAL);
        assertThat(bench.feed(inbound(T0 + 2, Outcome.CERTIFICATE_UNTRUSTED))).extracting(Alert::getSeverity)
                .containsExactly(Severity.WARNING);
    }
}
