package io.tlsmon.format;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * A small JSON object writer (RFC 8259) for the SIEM mappings, so core needs no JSON library. Its
 * output is always one line: every control character (U+0000 to U+001F, and DEL) is escaped, as are
 * U+2028 and U+2029 that some JavaScript-based collectors take for line ends. A lone surrogate (a
 * Java string that was never valid UTF-16) is written as U+FFFD, the character a UTF-8 decoder puts in
 * place of invalid bytes: JSON parsers disagree about an escaped lone surrogate, and encoders turn it
 * into '?', so replacement is the only form every reader gets back the same.
 */
public final class Json {
    private final StringBuilder out;
    private boolean first = true;

    private Json(StringBuilder out) {
        this.out = out;
    }

    /** One JSON object, written by {@code body}. */
    public static String object(Consumer<Json> body) {
        StringBuilder sb = new StringBuilder(512);
        writeObject(sb, body);
        return sb.toString();
    }

    private static void writeObject(StringBuilder sb, Consumer<Json> body) {
        sb.append('{');
        body.accept(new Json(sb));
        sb.append('}');
    }

    private Json name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(out, name);
        out.append(':');
        return this;
    }

    /** A string member; left out when {@code value} is null. */
    public Json string(String name, String value) {
        if (value != null) {
            name(name);
            quote(out, value);
        }
        return this;
    }

    /** A string member, written as JSON null when {@code value} is null. */
    public Json stringOrNull(String name, String value) {
        name(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
        return this;
    }

    /** A number member; left out when null. */
    public Json number(String name, Long value) {
        if (value != null) {
            name(name).out.append(value.longValue());
        }
        return this;
    }

    public Json number(String name, Integer value) {
        return number(name, value == null ? null : value.longValue());
    }

    /** A number member written as JSON null when null. */
    public Json numberOrNull(String name, Integer value) {
        name(name).out.append(value == null ? "null" : value.toString());
        return this;
    }

    /** A number given as its exact decimal text ({@code 1700000000.123}): the caller vouches for the form. */
    Json decimal(String name, String plainDecimal) {
        name(name).out.append(plainDecimal);
        return this;
    }

    /** A finite fraction, rounded to 4 decimals ({@code 0.8333}): shares and ratios. */
    public Json fraction(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " is not finite: " + value);
        }
        return decimal(name, java.math.BigDecimal.valueOf(value).setScale(4, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
    }

    /** A boolean member; left out when null. */
    public Json bool(String name, Boolean value) {
        if (value != null) {
            name(name).out.append(value.booleanValue());
        }
        return this;
    }

    public Json boolOrNull(String name, Boolean value) {
        name(name).out.append(value == null ? "null" : value.toString());
        return this;
    }

    /** A nested object; left out when {@code body} writes no member, so no document carries empty objects. */
    public Json object(String name, Consumer<Json> body) {
        int mark = out.length();
        boolean wasFirst = first;
        name(name);
        out.append('{');
        Json inner = new Json(out);
        body.accept(inner);
        if (inner.first) {
            out.setLength(mark);
            first = wasFirst;
        } else {
            out.append('}');
        }
        return this;
    }

    /** A nested object, written even when {@code body} writes no member: for maps whose keys are data (counts per outcome). */
    public Json objectAlways(String name, Consumer<Json> body) {
        name(name);
        writeObject(out, body);
        return this;
    }

    /** An array of strings (nulls in it skipped); left out when null or empty. */
    public Json strings(String name, Collection<String> values) {
        if (values == null || values.stream().allMatch(v -> v == null)) {
            return this;
        }
        name(name).out.append('[');
        boolean firstItem = true;
        for (String v : values) {
            if (v == null) {
                continue;
            }
            if (!firstItem) {
                out.append(',');
            }
            firstItem = false;
            quote(out, v);
        }
        out.append(']');
        return this;
    }

    /** An array of objects, one per item, always written (possibly empty). */
    public <T> Json objects(String name, Collection<T> items, java.util.function.BiConsumer<T, Json> body) {
        name(name).out.append('[');
        boolean firstItem = true;
        for (T item : items) {
            if (!firstItem) {
                out.append(',');
            }
            firstItem = false;
            writeObject(out, j -> body.accept(item, j));
        }
        out.append(']');
        return this;
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
