package io.tlsmon.logs.syslog;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Turns calendar fields into epoch milliseconds by arithmetic, without allocating per call. Times
 * that carry no offset are read in the stream's zone; its offset is looked up once per local
 * quarter hour (every zone changes its offset on a quarter-hour boundary), so a log read in order
 * costs one lookup per quarter hour.
 */
public final class LocalTimes {
    private static final int QUARTER_HOUR = 900;

    private final ZoneRules rules;
    private final int fixedOffsetSeconds;
    private long cachedQuarter = Long.MIN_VALUE;
    private int cachedOffsetSeconds;

    public LocalTimes(ZoneId zone) {
        ZoneId z = zone == null ? ZoneOffset.UTC : zone;
        if (z instanceof ZoneOffset offset) {
            this.rules = null;
            this.fixedOffsetSeconds = offset.getTotalSeconds();
        } else {
            this.rules = z.getRules();
            this.fixedOffsetSeconds = rules.isFixedOffset() ? rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds() : 0;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
    public static long epochDay(int year, int month, int day) {
        // Shift the year to start in March so that the leap day is the last day of the year.
        long y = month <= 2 ? year - 1L : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        int m = month > 2 ? month - 3 : month + 9;
        long dayOfYear = (153L * m + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    /** Seconds since the epoch of the local date-time, as if it were UTC. */
    public static long localEpochSecond(int year, int month, int day, int hour, int minute, int second) {
        return epochDay(year, month, day) * 86400L + hour * 3600L + minute * 60L + second;
    }

    /** Epoch milliseconds of a local time read in this converter's zone. */
    public long toEpochMillis(long localEpochSecond, int millis) {
        return (localEpochSecond - offsetSecondsAt(localEpochSecond)) * 1000L + millis;
    }

    /** Epoch milliseconds of a local time that carries its own UTC offset. */
    public static long toEpochMillis(long localEpochSecond, int millis, int offsetSeconds) {
        return (localEpochSecond - offsetSeconds) * 1000L + millis;
    }

    private int offsetSecondsAt(long localEpochSecond) {
        if (rules == null || rules.isFixedOffset()) {
            return fixedOffsetSeconds;
        }
        long quarter = Math.floorDiv(localEpochSecond, QUARTER_HOUR);
        if (quarter != cachedQuarter) {
            LocalDateTime local = LocalDateTime.ofEpochSecond(quarter * QUARTER_HOUR, 0, ZoneOffset.UTC);
            cachedOffsetSeconds = rules.getOffset(local).getTotalSeconds();
            cachedQuarter = quarter;
        }
        return cachedOffsetSeconds;
    }

    public static boolean isLeapYear(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days in the month; February has 29 here, since a yearless date may fall in a leap year. */
    static int maxDayOfMonth(int month) {
        return switch (month) {
            case 2 -> 29;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
