package io.tlsmon.topology;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BackgroundErrorReason;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.Status;
import org.rocksdb.WriteStallCondition;
import org.rocksdb.WriteStallInfo;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RocksDB's callbacks, as its own threads deliver them, reach the state directory's episodes. A
 * RocksDB that fills a filesystem for real is {@code FullStateDirectoryIT}'s; here the callbacks are
 * called directly ({@link WriteStallInfo} has no public constructor: it is made by reflection).
 */
class RocksDbSpaceListenerTest {
    private static final long MB = 1024 * 1024;

    static {
        RocksDB.loadLibrary();
    }

    private final FakeDisk disk = new FakeDisk(3 * MB, 100 * MB);
    private final StateDirectoryFull full = new StateDirectoryFull(Path.of("/var/lib/tlsmon/state"), disk,
            new OutageMetrics(() -> disk.nowMs), () -> disk.nowMs);

    @Test
    void aFlushOrCompactionWithoutSpaceOpensAnEpisode() {
        try (RocksDbSpaceListener listener = new RocksDbSpaceListener("sessions", full)) {
            listener.onBackgroundError(BackgroundErrorReason.COMPACTION,
                    new Status(Status.Code.IOError, Status.SubCode.NoSpace, "While appending to file: 000042.sst: No space left on device"));
            assertThat(full.isOpen()).isTrue();
            assertThat(full.episodes()).isEqualTo(1);
        }
    }

    @Test
    void otherBackgroundErrorsAreNotAFullDirectory() {
        try (RocksDbSpaceListener listener = new RocksDbSpaceListener("sessions", full)) {
            listener.onBackgroundError(BackgroundErrorReason.FLUSH, new Status(Status.Code.Corruption, Status.SubCode.None, "bad block"));
            listener.onBackgroundError(BackgroundErrorReason.FLUSH, new Status(Status.Code.IOError, Status.SubCode.None, "Input/output error"));
            assertThat(full.isOpen()).isFalse();
        }
    }

    @Test
    void stoppedWritesAreWatchedUntilTheyGoOnOrTheStoreCloses() throws Exception {
        try (RocksDbSpaceListener listener = new RocksDbSpaceListener("sessions", full)) {
            listener.onStallConditionsChanged(stall("keyValueWithTimestamp", WriteStallCondition.DELAYED, WriteStallCondition.NORMAL));
            assertThat(full.anyWritesStopped()).as("delayed is not stopped").isFalse();
            listener.onStallConditionsChanged(stall("keyValueWithTimestamp", WriteStallCondition.STOPPED, WriteStallCondition.DELAYED));
            assertThat(full.anyWritesStopped()).isTrue();
            listener.onStallConditionsChanged(stall("keyValueWithTimestamp", WriteStallCondition.NORMAL, WriteStallCondition.STOPPED));
            assertThat(full.anyWritesStopped()).isFalse();
            listener.onStallConditionsChanged(stall("keyValueWithTimestamp", WriteStallCondition.STOPPED, WriteStallCondition.NORMAL));
            listener.storeClosed();
            assertThat(full.anyWritesStopped()).as("closed with its writes stopped").isFalse();
        }
    }

    @Test
    void everyStoreGetsTheListenerOfItsStateDirectory() {
        BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();
        try (Options options = new Options()) {
            options.setTableFormatConfig(new BlockBasedTableConfig());   // as Kafka Streams sets it before the setter
            setter.setConfig("sessions", options, Map.of(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/tlsmon/listener-test"));
            assertThat(options.listeners()).hasSize(1);
            assertThat(options.listeners().get(0)).isInstanceOf(RocksDbSpaceListener.class);
            setter.close("sessions", options);
        }
    }

    private static WriteStallInfo stall(String family, WriteStallCondition now, WriteStallCondition before) throws Exception {
        Method value = WriteStallCondition.class.getDeclaredMethod("getValue");
        value.setAccessible(true);
        Constructor<WriteStallInfo> make = WriteStallInfo.class.getDeclaredConstructor(String.class, byte.class, byte.class);
        make.setAccessible(true);
        return make.newInstance(family, (byte) value.invoke(now), (byte) value.invoke(before));
    }
}
