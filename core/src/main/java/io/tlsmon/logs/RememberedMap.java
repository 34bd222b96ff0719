package io.tlsmon.logs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named, bounded part of a parser's {@link ParserMemory}: a map of strings whose eldest entry
 * (least recently used, or first inserted) goes when it is full, kept in step with the memory it is
 * written through to. Reads come from this object; the memory is read once, when the parser is made
 * again (after a restart), so a line costs no more than a map lookup and, when the map changes, a
 * write of the state.
 */
public final class RememberedMap {
    private final ParserMemory memory;
    private final String prefix;
    private final LinkedHashMap<String, String> entries;

    /**
     * @param name        what the map holds, unique within one parser (its keys in the memory start with it)
     * @param max         entries kept at most
     * @param accessOrder whether the eldest is the least recently used (else the first inserted)
     */
    public RememberedMap(ParserMemory memory, String name, int max, boolean accessOrder) {
        this.memory = memory;
        this.prefix = name + ':';
        this.entries = new LinkedHashMap<>(64, 0.75f, accessOrder) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                if (size() > max) {
                    memory.delete(prefix + eldest.getKey());
                    return true;
                }
                return false;
            }
        };
        // key order, not use order: after a restart the eldest may go a little early, never too late
        memory.forEachStartingWith(prefix, (k, v) -> entries.put(k.substring(prefix.length()), v));
    }

    public String get(String key) {
        return entries.get(key);
    }

    public boolean containsKey(String key) {
        return entries.containsKey(key);
    }

    public void put(String key, String value) {
        String before = entries.put(key, value);
        if (!value.equals(before)) {
            memory.put(prefix + key, value);
        }
    }

    /** Removes {@code key}; true if it was there. */
    public boolean remove(String key) {
        if (entries.remove(key) == null) {
            return false;
        }
        memory.delete(prefix + key);
        return true;
    }

    public int size() {
        return entries.size();
    }

    public void clear() {
        for (String key : entries.keySet()) {
            memory.delete(prefix + key);
        }
        entries.clear();
    }
}
