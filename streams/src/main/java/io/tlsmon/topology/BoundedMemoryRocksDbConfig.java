package io.tlsmon.topology;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import java.util.List;
import java.util.Map;

/**
 * Bounds the memory of all RocksDB stores of this JVM: one block cache and one write-buffer manager
 * shared by every store, sized by {@value TlsmonConfig#ROCKSDB_MEMORY_BYTES_CONFIG}. Without it each
 * store and segment takes its own cache and memtables, and memory grows with the partitions an
 * instance owns. The shared objects live as long as the JVM, so {@link #close} frees nothing shared.
 *
 * <p>Each store also gets a {@link RocksDbSpaceListener}, so that what RocksDB finds of the state
 * directory's space reaches {@link StateDirectoryFull}. Kafka Streams makes one setter per store.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {
    private static final double WRITE_BUFFER_SHARE = 0.25;
    private static Cache cache;
    private static WriteBufferManager writeBufferManager;
    private RocksDbSpaceListener listener;

    private static synchronized void init(long totalBytes) {
        if (cache == null) {
            cache = new LRUCache(totalBytes, -1, false, 0.1);
            writeBufferManager = new WriteBufferManager((long) (totalBytes * WRITE_BUFFER_SHARE), cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object bytes = configs.get(TlsmonConfig.ROCKSDB_MEMORY_BYTES_CONFIG);
        init(bytes == null ? 64L * 1024 * 1024 : Long.parseLong(bytes.toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
        listener = new RocksDbSpaceListener(storeName, StateDirectoryFull.of(TlsmonConfig.stateDirectory(configs)));
        options.setListeners(List.of(listener));
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store: never closed per store
        if (listener != null) {
            listener.storeClosed();
            listener.close();
            listener = null;
        }
    }
}
