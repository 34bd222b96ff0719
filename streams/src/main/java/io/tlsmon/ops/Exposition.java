package io.tlsmon.ops;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Prometheus text exposition format 0.0.4: one family at a time, each with its HELP and TYPE lines
 * before its samples, names and label names made legal, help and label values escaped.
 */
final class Exposition {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern ILLEGAL = Pattern.compile("[^a-zA-Z0-9_]");

    enum Type { COUNTER, GAUGE, HISTOGRAM }

    private final StringBuilder out = new StringBuilder();

    /** Starts a family; every sample after it, until the next, belongs to it. */
    Exposition family(String name, Type type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type.name().toLowerCase(Locale.ROOT)).append('\n');
        return this;
    }

    /** A sample; {@code labels} alternate names and values. */
    Exposition sample(String name, List<String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            for (int i = 0; i < labels.size(); i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels.get(i)).append("=\"").append(escapeLabel(labels.get(i + 1))).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    String text() {
        return out.toString();
    }

    /** A legal metric or label name: anything outside [a-zA-Z0-9_] becomes '_', a leading digit gets one before it. */
    static String name(String raw) {
        String s = ILLEGAL.matcher(raw).replaceAll("_");
        return !s.isEmpty() && Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
