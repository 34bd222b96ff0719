package io.tlsmon.logs.exchange;

/**
 * The field boundaries of one RFC 4180 CSV record, found in a single pass over the line. Nothing is
 * copied while scanning: the parser first looks at the raw regions to decide whether the line
 * matters, and only then asks for {@link #text(int)} of the fields it keeps. One instance is reused
 * for every line of a stream, so it is not thread-safe (neither is a parser).
 */
final class CsvRecord {
    private String line;
    private int[] starts = new int[12];
    private int[] ends = new int[12];
    /** Whether a quoted field contains doubled quotes that {@link #text(int)} must undo. */
    private boolean[] escaped = new boolean[12];
    private int count;

    /**
     * Scans {@code line[from, to)}. Quoted fields may contain commas and doubled quotes; a quote inside
     * an unquoted field is kept as a literal character, as lenient readers do.
     *
     * @return null when the record is well formed, else the reason it is not
     */
    String scan(String line, int from, int to) {
        this.line = line;
        this.count = 0;
        int i = from;
        while (true) {
            if (i < to && line.charAt(i) == '"') {
                int fieldStart = i + 1;
                boolean hasDoubledQuote = false;
                int p = fieldStart;
                while (true) {
                    int quote = line.indexOf('"', p);
                    if (quote < 0 || quote >= to) {
                        return "unterminated quoted field " + (count + 1);
                    }
                    if (quote + 1 < to && line.charAt(quote + 1) == '"') {
                        hasDoubledQuote = true;
                        p = quote + 2;
                        continue;
                    }
                    add(fieldStart, quote, hasDoubledQuote);
                    i = quote + 1;
                    break;
                }
                if (i == to) {
                    return null;
                }
                if (line.charAt(i) != ',') {
                    return "unexpected character after the closing quote of field " + count;
                }
                i++;
            } else {
                int comma = line.indexOf(',', i);
                if (comma < 0 || comma >= to) {
                    add(i, to, false);
                    return null;
                }
                add(i, comma, false);
                i = comma + 1;
            }
        }
    }

    private void add(int start, int end, boolean hasDoubledQuote) {
        if (count == starts.length) {
            int size = count * 2;
            starts = java.util.Arrays.copyOf(starts, size);
            ends = java.util.Arrays.copyOf(ends, size);
            escaped = java.util.Arrays.copyOf(escaped, size);
        }
        starts[count] = start;
        ends[count] = end;
        escaped[count] = hasDoubledQuote;
        count++;
    }

    int count() {
        return count;
    }

    /** Start of field {@code i} in the line; a missing field (or column -1) is an empty region. */
    int start(int i) {
        return i >= 0 && i < count ? starts[i] : 0;
    }

    int end(int i) {
        return i >= 0 && i < count ? ends[i] : 0;
    }

    int length(int i) {
        return end(i) - start(i);
    }

    boolean isEmpty(int i) {
        return length(i) == 0;
    }

    char charAt(int i, int offset) {
        return line.charAt(start(i) + offset);
    }

    /** Whether field {@code i} starts with {@code prefix} (raw text; none of our prefixes has a quote). */
    boolean startsWith(int i, String prefix) {
        return length(i) >= prefix.length() && line.regionMatches(start(i), prefix, 0, prefix.length());
    }

    boolean startsWithIgnoreCase(int i, String prefix) {
        return length(i) >= prefix.length() && line.regionMatches(true, start(i), prefix, 0, prefix.length());
    }

    /** Index of {@code c} within field {@code i}, relative to the field start, or -1. */
    int indexOf(int i, char c) {
        int at = line.indexOf(c, start(i));
        return at < 0 || at >= end(i) ? -1 : at - start(i);
    }

    /** Whether field {@code i} contains {@code text}, ignoring case. */
    boolean containsIgnoreCase(int i, String text) {
        int last = end(i) - text.length();
        for (int p = start(i); p <= last; p++) {
            if (line.regionMatches(true, p, text, 0, text.length())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether field {@code i} holds {@code token} as a whole word: preceded by the field start, a space
     * or a dash (as in {@code 250-STARTTLS}), and followed by the field end, a space or {@code =}.
     */
    boolean hasToken(int i, String token) {
        int from = start(i);
        int to = end(i);
        int at = line.indexOf(token, from);
        while (at >= 0 && at + token.length() <= to) {
            int after = at + token.length();
            boolean startOk = at == from || line.charAt(at - 1) == ' ' || line.charAt(at - 1) == '-';
            boolean endOk = after == to || line.charAt(after) == ' ' || line.charAt(after) == '=';
            if (startOk && endOk) {
                return true;
            }
            at = line.indexOf(token, at + 1);
        }
        return false;
    }

    /** The unquoted value of field {@code i}; the empty string for a missing field. */
    String text(int i) {
        if (i < 0 || i >= count) {
            return "";
        }
        String raw = line.substring(starts[i], ends[i]);
        return escaped[i] ? raw.replace("\"\"", "\"") : raw;
    }

    /** The value, or null when empty. */
    String textOrNull(int i) {
        return isEmpty(i) ? null : text(i);
    }

    /** The raw line the fields point into. */
    String line() {
        return line;
    }
}
