package io.tlsmon.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** A {@link KeyValueState} in memory: the state of the offline engine and of the tests. */
public final class MapState<V> implements KeyValueState<V> {
    private final TreeMap<String, V> map = new TreeMap<>();

    @Override
    public V get(String key) {
        return map.get(key);
    }

    @Override
    public void put(String key, V value) {
        map.put(key, value);
    }

    @Override
    public void delete(String key) {
        map.remove(key);
    }

    @Override
    public void range(String from, String to, BiConsumer<String, V> action) {
        // a copy, so that the action may change the state as a store's iterator allows
        List<Map.Entry<String, V>> entries = new ArrayList<>(map.subMap(from, true, to, false).entrySet());
        entries.forEach(e -> action.accept(e.getKey(), e.getValue()));
    }

    @Override
    public void forEach(BiConsumer<String, V> action) {
        new ArrayList<>(map.entrySet()).forEach(e -> action.accept(e.getKey(), e.getValue()));
    }

    public int size() {
        return map.size();
    }
}
