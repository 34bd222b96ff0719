package io.tlsmon.topology;

import org.rocksdb.AbstractEventListener;
import org.rocksdb.BackgroundErrorReason;
import org.rocksdb.Status;
import org.rocksdb.WriteStallCondition;
import org.rocksdb.WriteStallInfo;

/**
 * What RocksDB says of one store that bears on its state directory's free space, told to the
 * directory's {@link StateDirectoryFull}: a background flush or compaction that found no space left,
 * and the writes it stops. While RocksDB recovers from a full disk by itself (its SstFileManager polls
 * for space) or waits for room to compact, it stops the store's writes, and a put waits inside
 * RocksDB with no timeout and no error (seen: {@code DBImpl::DelayWrite}, chaos-findings.md, finding
 * 5): no stream thread fails, and only these callbacks and the free space tell. Called on RocksDB's
 * own threads.
 */
final class RocksDbSpaceListener extends AbstractEventListener {
    private final String store;
    private final StateDirectoryFull full;

    RocksDbSpaceListener(String store, StateDirectoryFull full) {
        super(EnabledEventCallback.ON_BACKGROUND_ERROR, EnabledEventCallback.ON_STALL_CONDITIONS_CHANGED);
        this.store = store;
        this.full = full;
    }

    @Override
    public void onBackgroundError(BackgroundErrorReason reason, Status error) {
        if (NoSpaceLeft.says(error)) {
            full.found("RocksDB " + reason.name().toLowerCase(java.util.Locale.ROOT) + " of store " + store + ": " + error.getState());
        }
    }

    @Override
    public void onStallConditionsChanged(WriteStallInfo info) {
        full.writesStopped(store + "/" + info.getColumnFamilyName(), info.getCurrentCondition() == WriteStallCondition.STOPPED);
    }

    /** The store closes: whatever it stopped is no longer waiting. */
    void storeClosed() {
        full.storeClosed(store + "/");
    }
}
