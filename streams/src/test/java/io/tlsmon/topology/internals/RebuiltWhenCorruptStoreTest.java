package io.tlsmon.topology.internals;

import org.apache.kafka.streams.errors.ProcessorStateException;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import static org.assertj.core.api.Assertions.assertThat;

class RebuiltWhenCorruptStoreTest {
    private static ProcessorStateException opening(RocksDBException cause) {
        return new ProcessorStateException("Error opening store sessions at location /state/tlsmon/0_0/rocksdb/sessions", cause);
    }

    @Test
    void corruptionIsRocksDbsOwnVerdict() {
        assertThat(RebuiltWhenCorruptStore.corruptionIn(opening(new RocksDBException("CURRENT file does not end with newline")))).isPresent();
        assertThat(RebuiltWhenCorruptStore.corruptionIn(opening(new RocksDBException("Corruption: bad table magic number")))).isPresent();
        assertThat(RebuiltWhenCorruptStore.corruptionIn(opening(new RocksDBException("x",
                new Status(Status.Code.Corruption, Status.SubCode.None, null))))).isPresent();
    }

    @Test
    void anyOtherFailureToOpenIsNotCorruption() {
        // a full disk or a lock held by another process: deleting the store would not help and would lose its state
        assertThat(RebuiltWhenCorruptStore.corruptionIn(opening(new RocksDBException("While appending to file: x: No space left on device",
                new Status(Status.Code.IOError, Status.SubCode.NoSpace, null))))).isEmpty();
        assertThat(RebuiltWhenCorruptStore.corruptionIn(opening(new RocksDBException("While lock file: /state/LOCK: Resource temporarily unavailable")))).isEmpty();
        assertThat(RebuiltWhenCorruptStore.corruptionIn(new ProcessorStateException("Error opening store", new IllegalStateException("Corruption")))).isEmpty();
    }
}
