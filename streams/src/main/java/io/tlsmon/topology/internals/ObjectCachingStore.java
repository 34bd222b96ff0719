package io.tlsmon.topology.internals;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer of deserialised values in front of a cached, changelogged store: the engine reads and
 * writes the same open session (or sender state) on every line, and without this layer each of
 * those reads and writes decodes and encodes the whole Avro record. Here a value is decoded once when
 * first read after a commit, changed in place, and encoded once when the commit flushes it down.
 *
 * <p>It hooks the commit through Kafka Streams' {@code CachedStateStore.flushCache}, which the task
 * calls before it flushes the producer and commits (the transaction, under exactly-once): every
 * change reaches the record cache below, and so the changelog, in the same commit as the input
 * offsets it came from. A task closed dirty calls {@code clearCache}, which drops what was not
 * flushed: the task restarts from its last commit and its restored store, as without this layer.
 * That interface is internal to Kafka Streams (so this class is under {@code internals}); the
 * topology tests, the differential tests and the restart and exactly-once kill tests run through it.
 *
 * <p>Only point reads and writes are served from memory; a range or full scan first writes every
 * change down and then reads the store. A key read and found absent since the last flush is
 * remembered as absent, so a session that opens and closes between two commits leaves no trace in
 * RocksDB or the changelog, not even a tombstone.
 */
public final class ObjectCachingStore<V> implements KeyValueStore<String, V>, CachedStateStore<String, V> {

    /** What this layer knows of one key since the last flush. */
    private static final class Entry<V> {
        V value;           // null: absent
        boolean dirty;     // to be written down at the next flush
        boolean inStore;   // whether the store below may hold the key (so a delete must reach it)

        Entry(V value, boolean dirty, boolean inStore) {
            this.value = value;
            this.dirty = dirty;
            this.inStore = inStore;
        }
    }

    private final KeyValueStore<String, V> inner;
    private final Map<String, Entry<V>> entries = new HashMap<>();

    public ObjectCachingStore(KeyValueStore<String, V> inner) {
        if (!(inner instanceof CachedStateStore)) {
            throw new IllegalArgumentException("the store below must be cached (withCachingEnabled): " + inner.name());
        }
        this.inner = inner;
    }

    @Override
    public V get(String key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            V v = inner.get(key);
            e = new Entry<>(v, false, v != null);
            entries.put(key, e);
        }
        return e.value;
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        Entry<V> e = entries.get(key);
        if (e == null) {
            entries.put(key, new Entry<>(value, true, true)); // not read first: the store may hold it
        } else {
            e.value = value;
            e.dirty = true;
        }
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> all) {
        all.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(String key) {
        V old = get(key);
        Entry<V> e = entries.get(key);
        if (!e.inStore) {
            entries.remove(key); // created and gone between two flushes: the store never hears of it
        } else {
            e.value = null;
            e.dirty = true;
        }
        return old;
    }

    /** Writes every change down to the record cache of the store below. */
    private void writeDown() {
        for (Map.Entry<String, Entry<V>> kv : entries.entrySet()) {
            Entry<V> e = kv.getValue();
            if (!e.dirty) {
                continue;
            }
            if (e.value == null) {
                inner.delete(kv.getKey());
            } else {
                inner.put(kv.getKey(), e.value);
            }
        }
        // what is kept between commits is the store's job; this layer starts each interval empty
        entries.clear();
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        writeDown();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        writeDown();
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        writeDown();
        return inner.all();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        writeDown();
        return inner.reverseAll();
    }

    @Override
    public <PS extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS serializer) {
        writeDown();
        return inner.prefixScan(prefix, serializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    // ---------------------------------------------------------------- the store's life, delegated

    @SuppressWarnings("unchecked")
    private CachedStateStore<String, V> cached() {
        return (CachedStateStore<String, V>) inner;
    }

    @Override
    public void flushCache() {
        writeDown();
        cached().flushCache();
    }

    @Override
    public void clearCache() {
        entries.clear();
        cached().clearCache();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        return cached().setFlushListener(listener, sendOldValues);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        writeDown();
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeDown();
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        entries.clear();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        writeDown();
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return inner.approximateNumUncommittedBytes();
    }
}
