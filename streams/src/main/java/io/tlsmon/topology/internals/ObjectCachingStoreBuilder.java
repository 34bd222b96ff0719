package io.tlsmon.topology.internals;

import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Map;

/** Builds an {@link ObjectCachingStore} over what {@code inner} builds (a cached, logged store). */
public final class ObjectCachingStoreBuilder<V> implements StoreBuilder<KeyValueStore<String, V>> {
    private final StoreBuilder<KeyValueStore<String, V>> inner;

    public ObjectCachingStoreBuilder(StoreBuilder<KeyValueStore<String, V>> inner) {
        this.inner = inner;
    }

    @Override
    public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
        inner.withCachingEnabled();
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
        throw new UnsupportedOperationException("the object layer needs the record cache below it");
    }

    @Override
    public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public KeyValueStore<String, V> build() {
        return new ObjectCachingStore<>(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
