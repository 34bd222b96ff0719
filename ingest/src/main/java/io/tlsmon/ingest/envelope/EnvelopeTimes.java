package io.tlsmon.ingest.envelope;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.regex.Pattern;

/**
 * Reads the time a shipper put in its envelope: ISO-8601 with a zone (Filebeat, Vector, Fluent Bit
 * {@code iso8601}, rsyslog {@code date-rfc3339}), or a number of seconds, milliseconds, microseconds
 * or nanoseconds since the epoch (Fluent Bit's default double, NXLog's {@code integer($EventTime)}).
 * The unit of a number is told by its size. A local time without a zone (NXLog's default
 * {@code 2024-03-01 12:00:00}) is not guessed at: it reads as "no time".
 */
final class EnvelopeTimes {
    private static final Pattern NUMBER = Pattern.compile("\\d{1,20}(\\.\\d{1,9})?");
    /** 9999-12-31T23:59:59.999Z */
    private static final long MAX_MILLIS = 253_402_300_799_999L;

    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();

    private EnvelopeTimes() {
    }

    /** The instant the node holds, or null when it holds none we can read without guessing. */
    static Instant read(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? fromEpoch(node.longValue()) : null;
        }
        if (node.isNumber()) {
            return fromEpoch(node.doubleValue());
        }
        if (node.isTextual()) {
            return read(node.textValue());
        }
        return null;
    }

    static Instant read(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 64) {
            return null;
        }
        if (NUMBER.matcher(t).matches()) {
            try {
                return t.indexOf('.') < 0 ? fromEpoch(Long.parseLong(t)) : fromEpoch(Double.parseDouble(t));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        try {
            TemporalAccessor parsed = ISO.parseBest(t, OffsetDateTime::from, LocalDateTime::from);
            return parsed instanceof OffsetDateTime odt ? bounded(odt.toInstant()) : null;
        } catch (DateTimeParseException | ArithmeticException notIso) {
            return null;
        }
    }

    private static Instant fromEpoch(long value) {
        if (value < 0) {
            return null;
        }
        long millis;
        if (value < 100_000_000_000L) {
            millis = value * 1000;                 // seconds (up to year 5138)
        } else if (value < 100_000_000_000_000L) {
            millis = value;                        // milliseconds
        } else if (value < 100_000_000_000_000_000L) {
            millis = value / 1000;                 // microseconds
        } else {
            millis = value / 1_000_000;            // nanoseconds
        }
        return millis <= MAX_MILLIS ? Instant.ofEpochMilli(millis) : null;
    }

    private static Instant fromEpoch(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            return null;
        }
        double millis;
        if (value < 1e11) {
            millis = value * 1000;
        } else if (value < 1e14) {
            millis = value;
        } else if (value < 1e17) {
            millis = value / 1000;
        } else {
            millis = value / 1e6;
        }
        return millis <= MAX_MILLIS ? Instant.ofEpochMilli((long) Math.floor(millis)) : null;
    }

    private static Instant bounded(Instant instant) {
        return instant.getEpochSecond() >= 0 && instant.toEpochMilli() <= MAX_MILLIS ? instant : null;
    }
}
