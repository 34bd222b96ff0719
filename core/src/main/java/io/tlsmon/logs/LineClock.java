package io.tlsmon.logs;

import io.tlsmon.logs.exchange.ExchangeClock;
import io.tlsmon.logs.exim.EximEnvelope;
import io.tlsmon.logs.syslog.SyslogParser;

/**
 * The time a line of one stream states in its own text, read by the same code the format's parser
 * reads it with: the same year inference for syslog dates without a year, the same zone for times
 * without an offset, the same Exchange header. So a shipper's record timestamp, a replay's merge
 * order and the parsed line agree to the millisecond.
 *
 * <p>A clock keeps per-stream state (the year a yearless syslog date moved on to, the Exchange
 * {@code #Fields} layout): use one instance per stream and give it every line, headers included, in
 * order. Implementations never throw on bad input.
 */
public interface LineClock {
    /** Returned by {@link #timeOf} for a line that states no time this clock can read. */
    long NO_TIME = Long.MIN_VALUE;

    /** The line's time in epoch milliseconds UTC, or {@link #NO_TIME}. */
    long timeOf(String line);

    /**
     * The clock of a stream of a known format: Exchange's leading date-time, the syslog envelope's
     * time for Postfix and Sendmail, Exim's own time or its syslog envelope's for Exim.
     *
     * @param format the stream's format; null when it is not known, for {@link #ofAnyFormat}
     */
    static LineClock of(LogFormat format, StreamInfo stream) {
        if (format == null) {
            return ofAnyFormat(stream);
        }
        return switch (format) {
            case EXCHANGE -> new ExchangeClock();
            case POSTFIX, SENDMAIL -> new SyslogParser(stream);
            case EXIM -> new EximEnvelope(stream);
        };
    }

    /**
     * For a stream whose format is not known yet: an Exchange date-time, else a syslog envelope's
     * time, else Exim's own. A line is read by the first of these that knows its shape, so the answer
     * is the one the stream's parser gives once the format is detected.
     */
    static LineClock ofAnyFormat(StreamInfo stream) {
        LineClock exchange = new ExchangeClock();
        LineClock syslog = new SyslogParser(stream);
        LineClock exim = new EximEnvelope(stream);
        return line -> {
            long t = exchange.timeOf(line);
            if (t == NO_TIME) {
                t = syslog.timeOf(line);
            }
            return t != NO_TIME ? t : exim.timeOf(line);
        };
    }
}
