package io.tlsmon.ingest.tail;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Simple {@link LineClock}s for the shipped formats. They only read the leading timestamp; the
 * parsers in core do the real work later.
 */
public final class LineClocks {
    private LineClocks() {
    }

    /** The clock for a {@code logKind} (exchange, postfix, sendmail, exim); unknown kinds read ISO or syslog stamps. */
    public static LineClock forKind(String logKind, ZoneId zone) {
        if (logKind != null && logKind.equalsIgnoreCase("exchange")) {
            return exchange();
        }
        return syslog(zone, System::currentTimeMillis);
    }

    /** Exchange protocol logs: {@code 2023-01-11T15:59:51.433Z,...}; header lines ({@code #...}) have no time. */
    public static LineClock exchange() {
        return line -> {
            int start = line.startsWith("\uFEFF") ? 1 : 0;
            int comma = line.indexOf(',', start);
            if (comma < start + 19 || comma > start + 40 || line.charAt(start) == '#') {
                return OptionalLong.empty();
            }
            return isoInstant(line.substring(start, comma));
        };
    }

    /**
     * Syslog lines: RFC 3164 ({@code Feb 21 09:21:54 host ...}, no year, read in {@code zone}, the
     * year chosen so that the time is not more than a day after {@code now}) or an ISO stamp
     * ({@code 2024-02-21T09:21:54.123456+01:00 host ...}, RFC 5424 / journald short-iso).
     */
    public static LineClock syslog(ZoneId zone, java.util.function.LongSupplier now) {
        return line -> {
            if (line.length() >= 15 && Character.isLetter(line.charAt(0))) {
                return rfc3164(line, zone, now.getAsLong());
            }
            if (line.length() >= 19 && Character.isDigit(line.charAt(0))) {
                int space = line.indexOf(' ');
                String stamp = space > 0 ? line.substring(0, space) : line;
                OptionalLong t = isoInstant(stamp);
                if (t.isPresent()) {
                    return t;
                }
                try {
                    return OptionalLong.of(LocalDateTime.parse(stamp).atZone(zone).toInstant().toEpochMilli());
                } catch (DateTimeParseException e) {
                    return OptionalLong.empty();
                }
            }
            return OptionalLong.empty();
        };
    }

    static OptionalLong isoInstant(String s) {
        try {
            if (s.endsWith("Z")) {
                return OptionalLong.of(Instant.parse(s).toEpochMilli());
            }
            return OptionalLong.of(OffsetDateTime.parse(s).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong rfc3164(String line, ZoneId zone, long nowMillis) {
        // "Mmm dd hh:mm:ss" with the day space-padded ("Feb  1 09:21:54")
        Month month = monthOf(line.substring(0, 3));
        if (month == null || line.charAt(3) != ' ' || line.charAt(6) != ' ' || line.charAt(9) != ':'
                || line.charAt(12) != ':') {
            return OptionalLong.empty();
        }
        try {
            int day = Integer.parseInt(line.substring(4, 6).trim());
            int hour = Integer.parseInt(line.substring(7, 9));
            int minute = Integer.parseInt(line.substring(10, 12));
            int second = Integer.parseInt(line.substring(13, 15));
            ZonedDateTime now = Instant.ofEpochMilli(nowMillis).atZone(zone);
            ZonedDateTime t = ZonedDateTime.of(now.getYear(), month.getValue(), day, hour, minute, second, 0, zone);
            if (t.isAfter(now.plusDays(1))) {
                t = t.minusYears(1); // a December line read in January
            }
            return OptionalLong.of(t.toInstant().toEpochMilli());
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return OptionalLong.empty();
        }
    }

    private static Month monthOf(String abbrev) {
        for (Month m : Month.values()) {
            if (m.getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(abbrev)) {
                return m;
            }
        }
        return null;
    }

    /** UTC, for callers that have no better zone. */
    public static ZoneId utc() {
        return ZoneOffset.UTC;
    }
}
