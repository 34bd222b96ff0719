package io.tlsmon.alert;

import io.tlsmon.avro.Outcome;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The alert rules' settings. The Streams config maps its {@code tlsmon.alert.*} keys onto this.
 *
 * @param failureThreshold     rule failure-threshold: this many failures of one outcome ...
 * @param failureWindowMs      ... in one tumbling window of this size (must be one of the sender-state windows)
 * @param consecutiveFailures  rule success-to-failure: a sender that succeeded before and now failed this many times in a row
 * @param quietPeriodMs        an alert resolves when no matching attempt came for this long and a success came after the last one
 * @param updateIntervalMs     at most one UPDATED per alert per this interval (and only when its count grew)
 * @param maxRaisedPerHour     at most this many RAISED per rule per hour of event time (per Streams task); the rest are counted as suppressed
 * @param deprecatedIntervalMs rule deprecated-protocol: at most one alert per sender per this interval (a day)
 * @param noiseOutcomes        outcomes that are classified and counted but never alerted on (scanners)
 */
public record AlertConfig(int failureThreshold, long failureWindowMs, int consecutiveFailures, long quietPeriodMs,
                          long updateIntervalMs, int maxRaisedPerHour, long deprecatedIntervalMs, Set<Outcome> noiseOutcomes) {

    public AlertConfig {
        if (failureThreshold < 1 || consecutiveFailures < 1 || maxRaisedPerHour < 1) {
            throw new IllegalArgumentException("alert thresholds must be at least 1");
        }
        if (failureWindowMs <= 0 || quietPeriodMs <= 0 || updateIntervalMs <= 0 || deprecatedIntervalMs <= 0) {
            throw new IllegalArgumentException("alert periods must be positive");
        }
        noiseOutcomes = noiseOutcomes.isEmpty() ? EnumSet.noneOf(Outcome.class) : EnumSet.copyOf(noiseOutcomes);
    }

    public static AlertConfig defaults() {
        return new AlertConfig(3, Duration.ofMinutes(5).toMillis(), 2, Duration.ofMinutes(30).toMillis(),
                Duration.ofMinutes(15).toMillis(), 100, Duration.ofDays(1).toMillis(),
                EnumSet.of(Outcome.WRONG_PORT_OR_PROTOCOL));
    }
}
