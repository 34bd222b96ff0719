package io.tlsmon.engine;

import java.util.function.BiConsumer;

/**
 * One keyed part of the engine's state. Offline it is a {@link MapState}; in the Streams
 * application it is a RocksDB-backed {@code KeyValueStore} with its changelog. The engine never
 * knows which: that is what makes a log give the same attempts and alerts either way.
 *
 * <p>Keys compare as strings; every key the engine writes is ASCII, so the byte order of a
 * RocksDB store and the string order of a map agree.
 *
 * @param <V> the value type (an Avro record or a boxed number)
 */
public interface KeyValueState<V> {
    /** The value under {@code key}, or null. */
    V get(String key);

    void put(String key, V value);

    void delete(String key);

    /** Calls {@code action} for each entry with {@code from <= key < to}, in key order. */
    void range(String from, String to, BiConsumer<String, V> action);

    /** Calls {@code action} for every entry, in key order: done once, when the engine starts, to rebuild its indexes. */
    void forEach(BiConsumer<String, V> action);
}
