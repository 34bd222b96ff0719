package io.tlsmon.logs.exchange;

/**
 * Reads Exchange's {@code yyyy-MM-ddTHH:mm:ss[.f...]Z} date-time by hand: {@code java.time} parsing
 * allocates several objects per call, and this runs on every line.
 */
final class ExchangeTime {
    /** Returned for text that is not a valid date-time (no valid time maps to it). */
    static final long INVALID = Long.MIN_VALUE;

    private ExchangeTime() {
    }

    /** Epoch milliseconds of {@code s[start, end)}, or {@link #INVALID}. Fraction digits past milliseconds are dropped. */
    static long parse(CharSequence s, int start, int end) {
        if (end - start < 20 || s.charAt(end - 1) != 'Z') {
            return INVALID;
        }
        int year = digits(s, start, 4);
        int month = digits(s, start + 5, 2);
        int day = digits(s, start + 8, 2);
        int hour = digits(s, start + 11, 2);
        int minute = digits(s, start + 14, 2);
        int second = digits(s, start + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59
                || s.charAt(start + 4) != '-' || s.charAt(start + 7) != '-' || s.charAt(start + 10) != 'T'
                || s.charAt(start + 13) != ':' || s.charAt(start + 16) != ':') {
            return INVALID;
        }
        if (day > daysInMonth(year, month)) {
            return INVALID;
        }
        int millis = 0;
        int p = start + 19;
        int zone = end - 1;
        if (p < zone) {
            if (s.charAt(p) != '.' || p + 1 == zone) {
                return INVALID;
            }
            int scale = 100;
            for (int q = p + 1; q < zone; q++) {
                char c = s.charAt(q);
                if (c < '0' || c > '9') {
                    return INVALID;
                }
                millis += (c - '0') * scale;
                scale /= 10;
            }
        }
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int digits(CharSequence s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-days algorithm). */
    private static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int monthFromMarch = month > 2 ? month - 3 : month + 9;
        int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }
}
