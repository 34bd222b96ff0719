package io.tlsmon.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A counter family with fixed label names; safe to increment from every stream thread. */
public final class LabelledCounter {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final Map<List<String>, LongAdder> series = new ConcurrentHashMap<>();

    LabelledCounter(String name, String help, String... labelNames) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        this.name = name;
        this.help = help;
        this.labelNames = List.of(labelNames);
    }

    /** Adds one to the series of these label values, in the order of the label names (null reads as ""). */
    public void inc(String... labelValues) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " takes " + labelNames + ", got " + labelValues.length + " values");
        }
        String[] v = new String[labelValues.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = labelValues[i] == null ? "" : labelValues[i];
        }
        series.computeIfAbsent(List.of(v), k -> new LongAdder()).increment();
    }

    /** Makes the series of these label values exist at 0, so a rate over it is defined before the first event. */
    void touch(String... labelValues) {
        series.computeIfAbsent(List.of(labelValues), k -> new LongAdder());
    }

    /** The count of these label values, 0 when never incremented. */
    public long get(String... labelValues) {
        LongAdder a = series.get(List.of(labelValues));
        return a == null ? 0 : a.sum();
    }

    String name() {
        return name;
    }

    void writeTo(Exposition out) {
        out.family(name, Exposition.Type.COUNTER, help);
        series.entrySet().stream().sorted(Map.Entry.comparingByKey(LabelledCounter::compare)).forEach(e -> {
            String[] labels = new String[labelNames.size() * 2];
            for (int i = 0; i < labelNames.size(); i++) {
                labels[2 * i] = labelNames.get(i);
                labels[2 * i + 1] = e.getKey().get(i);
            }
            out.sample(name, List.of(labels), e.getValue().sum());
        });
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
