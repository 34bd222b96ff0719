package io.tlsmon.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;

/** Option value converters with messages that name what was expected. */
final class Converters {
    private Converters() {
    }

    /** Accepts {@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 250ms} or ISO-8601 {@code PT5M}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (examples: 90s, 5m, 2h, 1d, PT5M)");
        }
    }

    static final class ZoneConverter implements ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            try {
                return ZoneId.of(value);
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a time zone (examples: UTC, Europe/Berlin, +01:00)");
            }
        }
    }

    /** A {@code --format} value: a format, or null for auto-detection. */
    record FormatChoice(io.tlsmon.logs.LogFormat format) {
    }

    static final class FormatConverter implements ITypeConverter<FormatChoice> {
        @Override
        public FormatChoice convert(String value) {
            if ("auto".equalsIgnoreCase(value)) {
                return new FormatChoice(null);
            }
            try {
                return new FormatChoice(io.tlsmon.logs.LogFormat.fromLabel(value));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a format (expected auto, exchange, postfix, sendmail or exim)");
            }
        }
    }
}
