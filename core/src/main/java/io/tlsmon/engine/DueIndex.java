package io.tlsmon.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Keys by the time they are next due, in memory. It is derived state: the engine rebuilds it from
 * its store when it starts (a restarted or moved task has restored that store from its changelog
 * by then), so it needs no changelog of its own and costs no store write when a due time moves.
 * Ties are broken by key, so the order in which due keys come out is the same on every run.
 */
final class DueIndex {
    private record Entry(long due, String key) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    private final TreeSet<Entry> byDue = new TreeSet<>();
    private final Map<String, Long> dueOf = new HashMap<>();

    /** Sets (or moves) the due time of {@code key}. */
    void put(String key, long due) {
        Long old = dueOf.put(key, due);
        if (old != null) {
            if (old == due) {
                return;
            }
            byDue.remove(new Entry(old, key));
        }
        byDue.add(new Entry(due, key));
    }

    void remove(String key) {
        Long old = dueOf.remove(key);
        if (old != null) {
            byDue.remove(new Entry(old, key));
        }
    }

    /** Takes out and returns the keys due at or before {@code now}, earliest first. */
    List<String> takeDue(long now) {
        List<String> due = new ArrayList<>();
        while (!byDue.isEmpty() && byDue.first().due() <= now) {
            Entry e = byDue.pollFirst();
            dueOf.remove(e.key());
            due.add(e.key());
        }
        return due;
    }

    /** Every key, earliest due first. */
    List<String> keys() {
        List<String> all = new ArrayList<>(byDue.size());
        byDue.forEach(e -> all.add(e.key()));
        return all;
    }

    boolean isEmpty() {
        return byDue.isEmpty();
    }

    int size() {
        return byDue.size();
    }
}
