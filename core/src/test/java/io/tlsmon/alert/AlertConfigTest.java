package io.tlsmon.alert;

import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AlertConfigTest {

    private static AlertConfig with(int threshold, long window, int consecutive, long quiet, long update, int cap, long deprecated) {
        return new AlertConfig(threshold, window, consecutive, quiet, update, cap, deprecated, Set.of());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        AlertConfig d = AlertConfig.defaults();
        assertThat(d.failureThreshold()).isEqualTo(3);
        assertThat(d.failureWindowMs()).isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(d.consecutiveFailures()).isEqualTo(2);
        assertThat(d.quietPeriodMs()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(d.updateIntervalMs()).isEqualTo(Duration.ofMinutes(15).toMillis());
        assertThat(d.maxRaisedPerHour()).isEqualTo(100);
        assertThat(d.deprecatedIntervalMs()).isEqualTo(Duration.ofDays(1).toMillis());
        assertThat(d.noiseOutcomes()).containsExactly(Outcome.WRONG_PORT_OR_PROTOCOL);
    }

    @Test
    void oneOfEachIsTheSmallestAccepted() {
        AlertConfig c = with(1, 1, 1, 1, 1, 1, 1);
        assertThat(c.failureThreshold()).isEqualTo(1);
        assertThat(c.noiseOutcomes()).isEmpty();
    }

    @Test
    void refusesThresholdsBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> with(0, 1, 1, 1, 1, 1, 1)).withMessageContaining("at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> with(1, 1, 0, 1, 1, 1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> with(1, 1, 1, 1, 1, 0, 1));
    }

    @Test
    void refusesPeriodsThatAreNotPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> with(1, 0, 1, 1, 1, 1, 1)).withMessageContaining("positive");
        assertThatIllegalArgumentException().isThrownBy(() -> with(1, 1, 1, 0, 1, 1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> with(1, 1, 1, 1, 0, 1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> with(1, 1, 1, 1, 1, 1, 0));
    }

    @Test
    void keepsItsOwnCopyOfTheNoiseOutcomes() {
        Set<Outcome> noise = EnumSet.of(Outcome.HANDSHAKE_TIMEOUT);
        AlertConfig c = new AlertConfig(1, 1, 1, 1, 1, 1, 1, noise);
        noise.add(Outcome.NO_SHARED_CIPHER);
        assertThat(c.noiseOutcomes()).containsExactly(Outcome.HANDSHAKE_TIMEOUT);
    }
}
