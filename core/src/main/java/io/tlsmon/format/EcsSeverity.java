package io.tlsmon.format;

import io.tlsmon.avro.Severity;

/**
 * ECS {@code event.severity} of an alert. ECS leaves the scale to the source; tlsmon uses the
 * syslog-like order 1 (info), 2 (warning), 3 (critical), larger is worse.
 */
final class EcsSeverity {
    private EcsSeverity() {
    }

    static long of(Severity s) {
        return switch (s) {
            case INFO -> 1;
            case WARNING -> 2;
            case CRITICAL -> 3;
        };
    }
}
