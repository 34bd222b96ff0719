package io.tlsmon.alert;

import io.tlsmon.avro.Outcome;

import java.util.EnumSet;
import java.util.Set;

/**
 * Alert settings for tests, from the defaults: failure threshold 3 in 5 min, 2 consecutive
 * failures, quiet period 30 min, updates every 15 min, 100 RAISED per rule per hour, one
 * deprecated-protocol alert per day, WRONG_PORT_OR_PROTOCOL is noise.
 */
final class Configs {
    private int failureThreshold;
    private long failureWindowMs;
    private int consecutiveFailures;
    private long quietPeriodMs;
    private long updateIntervalMs;
    private int maxRaisedPerHour;
    private long deprecatedIntervalMs;
    private Set<Outcome> noise;

    private Configs() {
        AlertConfig d = AlertConfig.defaults();
        failureThreshold = d.failureThreshold();
        failureWindowMs = d.failureWindowMs();
        consecutiveFailures = d.consecutiveFailures();
        quietPeriodMs = d.quietPeriodMs();
        updateIntervalMs = d.updateIntervalMs();
        maxRaisedPerHour = d.maxRaisedPerHour();
        deprecatedIntervalMs = d.deprecatedIntervalMs();
        noise = d.noiseOutcomes();
    }

    static Configs defaults() {
        return new Configs();
    }

    /** Only the failure-threshold rule can fire: success-to-failure needs more failures than a test makes. */
    static Configs thresholdOnly(int threshold) {
        return defaults().failureThreshold(threshold).consecutiveFailures(1_000);
    }

    /** Only the success-to-failure rule can fire among the failure rules. */
    static Configs successToFailureOnly(int consecutive) {
        return defaults().failureThreshold(1_000).consecutiveFailures(consecutive);
    }

    Configs failureThreshold(int n) {
        failureThreshold = n;
        return this;
    }

    Configs consecutiveFailures(int n) {
        consecutiveFailures = n;
        return this;
    }

    Configs maxRaisedPerHour(int n) {
        maxRaisedPerHour = n;
        return this;
    }

    Configs noise(Outcome... outcomes) {
        noise = outcomes.length == 0 ? EnumSet.noneOf(Outcome.class) : EnumSet.of(outcomes[0], outcomes);
        return this;
    }

    AlertConfig build() {
        return new AlertConfig(failureThreshold, failureWindowMs, consecutiveFailures, quietPeriodMs, updateIntervalMs,
                maxRaisedPerHour, deprecatedIntervalMs, noise);
    }
}
