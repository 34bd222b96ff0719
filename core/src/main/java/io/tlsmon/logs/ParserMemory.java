package io.tlsmon.logs;

import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Where a parser keeps what it must remember of one stream's earlier lines (the delivery a
 * Postfix smtp process last reported, the connections Exim already ended, the Sendmail processes
 * serving a client). The engine gives each stream a part of its own state, so the memory survives
 * a restart or a rebalance as the open sessions do: a parser made again reads the same lines as the
 * one before it would have. Offline, and for a parser made on its own, it is a map.
 *
 * <p>Keys are ASCII, as every key of the engine's state.
 */
public interface ParserMemory {
    /** The value under {@code key}, or null. */
    String get(String key);

    void put(String key, String value);

    void delete(String key);

    /** Calls {@code action} for each entry whose key starts with {@code prefix}, in key order. */
    void forEachStartingWith(String prefix, BiConsumer<String, String> action);

    /** A memory held in this object only: for a parser used on its own (tests, a single file). */
    static ParserMemory inMemory() {
        TreeMap<String, String> entries = new TreeMap<>();
        return new ParserMemory() {
            @Override
            public String get(String key) {
                return entries.get(key);
            }

            @Override
            public void put(String key, String value) {
                entries.put(key, value);
            }

            @Override
            public void delete(String key) {
                entries.remove(key);
            }

            @Override
            public void forEachStartingWith(String prefix, BiConsumer<String, String> action) {
                entries.subMap(prefix, prefix + Character.MAX_VALUE).forEach(action);
            }
        };
    }
}
