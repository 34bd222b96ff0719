package io.tlsmon.bench;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats log timestamps fast: the text of the current second is made once and reused, because a
 * generator writing gigabytes formats millions of times within the same second.
 */
final class Timestamps {
    private static final DateTimeFormatter ISO_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter RFC_822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss", Locale.ROOT);

    private long isoSecond = Long.MIN_VALUE;
    private String isoPrefix;
    private long syslogSecond = Long.MIN_VALUE;
    private String syslogText;

    /** Exchange {@code date-time}: {@code 2026-11-28T00:00:01.234Z}. */
    String exchange(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != isoSecond) {
            isoSecond = second;
            isoPrefix = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).format(ISO_SECOND) + '.';
        }
        int ms = (int) Math.floorMod(epochMillis, 1000);
        StringBuilder b = new StringBuilder(24).append(isoPrefix);
        if (ms < 100) {
            b.append('0');
        }
        if (ms < 10) {
            b.append('0');
        }
        return b.append(ms).append('Z').toString();
    }

    /** RFC 3164 syslog time, in UTC: {@code Nov 28 00:00:01}, {@code Dec  1 00:00:01}. */
    String syslog(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != syslogSecond) {
            syslogSecond = second;
            syslogText = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC).format(SYSLOG);
        }
        return syslogText;
    }

    /** The date in an Exchange banner: {@code Sat, 28 Nov 2026 00:00:01 +0000}. */
    static String banner(long epochMillis) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC).format(RFC_822) + " +0000";
    }

    /** {@code 2026-11-28T00:00:01.234Z}, for headers and message ids. */
    static String iso(long epochMillis) {
        return new Timestamps().exchange(epochMillis);
    }
}
