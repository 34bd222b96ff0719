package io.tlsmon.topology.internals;

import io.tlsmon.topology.TopologyCounters;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A persistent store that RocksDB refuses to open because its files are corrupt (garbage or cut
 * short while the instance was stopped: a disk fault, a copy gone wrong) is deleted and opened empty.
 * Kafka Streams then restores it from its changelog, from the beginning: since Kafka Streams 4.4 a
 * RocksDB store keeps its changelog offsets among its own files, so they go with them, and nothing
 * says the empty store is up to date. Without this, the store fails to open at every start (in
 * {@code KafkaStreams.start()}, before any handler can act) and the instance never comes up.
 * Only corruption is handled so: any other failure to open (a lock, a full disk) is thrown as before.
 */
public final class RebuiltWhenCorruptStore extends WrappedStateStore<KeyValueStore<Bytes, byte[]>, Bytes, byte[]>
        implements KeyValueStore<Bytes, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(RebuiltWhenCorruptStore.class);
    /** Where Kafka Streams' RocksDB stores live inside a task directory. */
    private static final String ROCKSDB_DIR = "rocksdb";

    private RebuiltWhenCorruptStore(KeyValueStore<Bytes, byte[]> rocksdb) {
        super(rocksdb);
    }

    /** Kafka Streams' persistent key-value store {@code name}, rebuilt from its changelog when found corrupt. */
    public static KeyValueBytesStoreSupplier persistent(String name) {
        KeyValueBytesStoreSupplier rocksdb = Stores.persistentKeyValueStore(name);
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return rocksdb.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new RebuiltWhenCorruptStore(rocksdb.get());
            }

            @Override
            public String metricsScope() {
                return rocksdb.metricsScope();
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        try {
            super.init(context, root);
        } catch (ProcessorStateException e) {
            Optional<Throwable> corruption = corruptionIn(e);
            if (corruption.isEmpty()) {
                throw e;
            }
            Path files = context.stateDir().toPath().resolve(ROCKSDB_DIR).resolve(name());
            TopologyCounters.CORRUPT_STORES_REBUILT.incrementAndGet();
            LOG.warn("store {} of task {} is corrupt ({}): its files in {} are deleted and it is restored from its changelog",
                    name(), context.taskId(), corruption.get().getMessage(), files);
            deleteRecursively(files);
            super.init(context, root);
        }
    }

    /** RocksDB's own verdict, anywhere in the causes: status {@code Corruption}, or a message that says so. */
    static Optional<Throwable> corruptionIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RocksDBException r) {
                Status s = r.getStatus();
                String m = String.valueOf(r.getMessage());
                // RocksDB reports a CURRENT file cut short without a status code
                if ((s != null && s.getCode() == Status.Code.Corruption) || m.startsWith("Corruption") || m.contains("CURRENT file")) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the corrupt store at " + dir, e);
        }
    }

    @Override
    public void put(Bytes key, byte[] value) {
        wrapped().put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        wrapped().putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
        return wrapped().delete(key);
    }

    @Override
    public byte[] get(Bytes key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        return wrapped().readOnly(isolationLevel);
    }
}
