package io.tlsmon.logs.exchange;

import io.tlsmon.logs.LineClock;

/**
 * The date-time of an Exchange protocol-log line, read from the column the file's {@code #Fields}
 * header names (the first by default) with the parser's {@link ExchangeTime}. Header lines have no
 * time; give them to the clock anyway, so that it knows the column.
 */
public final class ExchangeClock implements LineClock {
    private final ExchangeHeader header = new ExchangeHeader();
    private final CsvRecord record = new CsvRecord();

    @Override
    public long timeOf(String line) {
        if (line == null || header.offer(line)) {
            return NO_TIME;
        }
        int from = line.startsWith("\uFEFF") ? 1 : 0;
        int to = line.length();
        if (to > from && line.charAt(to - 1) == '\r') {
            to--;
        }
        int column = header.layout().dateTime;
        long t;
        if (column == 0) {
            // Exchange never quotes its date-time, and most lines are read here: skip the CSV scan
            int comma = line.indexOf(',', from);
            t = ExchangeTime.parse(line, from, comma < 0 || comma > to ? to : comma);
        } else if (column > 0 && record.scan(line, from, to) == null && record.count() > column) {
            t = ExchangeTime.parse(line, record.start(column), record.end(column));
        } else {
            return NO_TIME;
        }
        return t == ExchangeTime.INVALID ? NO_TIME : t;
    }
}
