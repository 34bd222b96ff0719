package io.tlsmon.it;

import io.tlsmon.topology.BoundedMemoryRocksDbConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

import java.util.Map;

/**
 * tlsmon's RocksDB settings with 32 KB memtables: a test's few megabytes of state then reach the
 * disk as they are written (in production memtables hold megabytes before RocksDB writes a file).
 */
public final class SmallMemtables implements RocksDBConfigSetter {
    private final BoundedMemoryRocksDbConfig tlsmon = new BoundedMemoryRocksDbConfig();

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        tlsmon.setConfig(storeName, options, configs);
        options.setWriteBufferSize(32 * 1024);
    }

    @Override
    public void close(String storeName, Options options) {
        tlsmon.close(storeName, options);
    }
}
