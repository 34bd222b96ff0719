package io.tlsmon.format;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Time texts shared by the formats. */
final class Times {
    /** ISO 8601 UTC with milliseconds, always: Elasticsearch's strict_date_optional_time and OCSF's datetime_t read it. */
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    static String iso(Instant t) {
        return ISO_MILLIS.format(t);
    }

    /** Epoch seconds with the milliseconds as a fraction ({@code 1741000000.123}), as Splunk's {@code time} takes it. */
    static String epochSecondsWithMillis(Instant t) {
        long ms = t.toEpochMilli();
        return Math.floorDiv(ms, 1000) + "." + String.format("%03d", Math.floorMod(ms, 1000));
    }

    /**
     * A certificate date as the log wrote it, when it is an ISO 8601 date-time (Exchange writes
     * {@code 2026-01-31T23:59:59.0000000Z}); without an offset it is read as UTC. Empty for any other text.
     */
    static Optional<Instant> parseLogged(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim();
        try {
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }
}
