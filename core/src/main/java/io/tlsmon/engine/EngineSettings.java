package io.tlsmon.engine;

import io.tlsmon.alert.AlertConfig;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Everything the engine's behaviour depends on. The Streams config maps its {@code tlsmon.*} keys
 * onto this and {@code classify} takes the same defaults, so both paths decide alike.
 *
 * @param idleGapMs     a session with no line for this long (log time) is closed
 * @param closeGraceMs  a session that has logged its last line is closed this long (log time) after
 *                      it, so that a line logged before the disconnect but read after it still joins
 * @param zone          zone of timestamps that carry none (RFC 3164 syslog)
 * @param windowSizesMs tumbling windows of the per-sender outcome counts
 * @param alerts        the alert rules' settings
 * @param maxAheadMs    a line dated more than this after its arrival (file time offline, append
 *                      time live) cannot be right: it goes to the dead letters and moves no clock
 */
public record EngineSettings(long idleGapMs, long closeGraceMs, ZoneId zone, List<Long> windowSizesMs,
                             AlertConfig alerts, long maxAheadMs) {

    public static final long DEFAULT_IDLE_GAP_MS = Duration.ofMinutes(5).toMillis();
    public static final long DEFAULT_CLOSE_GRACE_MS = Duration.ofSeconds(5).toMillis();
    public static final List<Long> DEFAULT_WINDOWS_MS = List.of(Duration.ofMinutes(5).toMillis(),
            Duration.ofHours(1).toMillis(), Duration.ofDays(1).toMillis());
    public static final long DEFAULT_MAX_AHEAD_MS = Duration.ofDays(1).toMillis();

    public EngineSettings {
        if (idleGapMs <= 0) {
            throw new IllegalArgumentException("idle gap must be positive: " + idleGapMs);
        }
        if (closeGraceMs < 0) {
            throw new IllegalArgumentException("close grace must not be negative: " + closeGraceMs);
        }
        if (maxAheadMs <= 0) {
            throw new IllegalArgumentException("max ahead must be positive: " + maxAheadMs);
        }
        windowSizesMs = List.copyOf(windowSizesMs);
        if (!windowSizesMs.contains(alerts.failureWindowMs())) {
            throw new IllegalArgumentException("the alert failure window " + alerts.failureWindowMs()
                    + " ms must be one of the state windows " + windowSizesMs);
        }
        zone = zone == null ? ZoneOffset.UTC : zone;
    }

    public static EngineSettings defaults() {
        return new EngineSettings(DEFAULT_IDLE_GAP_MS, DEFAULT_CLOSE_GRACE_MS, ZoneOffset.UTC, DEFAULT_WINDOWS_MS,
                AlertConfig.defaults(), DEFAULT_MAX_AHEAD_MS);
    }

    public EngineSettings withIdleGapMs(long ms) {
        return new EngineSettings(ms, closeGraceMs, zone, windowSizesMs, alerts, maxAheadMs);
    }

    public EngineSettings withCloseGraceMs(long ms) {
        return new EngineSettings(idleGapMs, ms, zone, windowSizesMs, alerts, maxAheadMs);
    }

    public EngineSettings withZone(ZoneId z) {
        return new EngineSettings(idleGapMs, closeGraceMs, z, windowSizesMs, alerts, maxAheadMs);
    }

    public EngineSettings withAlerts(AlertConfig a) {
        return new EngineSettings(idleGapMs, closeGraceMs, zone, windowSizesMs, a, maxAheadMs);
    }

    long[] windowSizesArray() {
        return windowSizesMs.stream().mapToLong(Long::longValue).toArray();
    }
}
