package io.tlsmon.topology;

import io.tlsmon.engine.KeyValueState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** The engine's {@link KeyValueState} over a Kafka Streams store (RocksDB, cached, changelogged). */
final class StoreState<V> implements KeyValueState<V> {
    private final KeyValueStore<String, V> store;

    StoreState(KeyValueStore<String, V> store) {
        this.store = store;
    }

    @Override
    public V get(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, V value) {
        store.put(key, value);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public void range(String from, String to, BiConsumer<String, V> action) {
        // read out first: the action may write to the store, which an open iterator must not see half-way
        List<KeyValue<String, V>> entries = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.range(from, to)) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                if (kv.key.compareTo(to) < 0) { // range() includes its upper bound; the engine's ranges do not
                    entries.add(kv);
                }
            }
        }
        entries.forEach(kv -> action.accept(kv.key, kv.value));
    }

    @Override
    public void forEach(BiConsumer<String, V> action) {
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> action.accept(kv.key, kv.value));
        }
    }
}
