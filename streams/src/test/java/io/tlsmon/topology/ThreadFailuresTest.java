package io.tlsmon.topology;

import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadFailuresTest {
    private static final long MB = 1024 * 1024;

    private final AtomicBoolean closing = new AtomicBoolean();

    /** The episodes of the last handler made. */
    private StateDirectoryFull full;

    private ThreadFailures handler(FakeDisk disk) {
        full = new StateDirectoryFull(Path.of("/var/lib/tlsmon/state"), disk, new OutageMetrics(() -> disk.nowMs), () -> disk.nowMs);
        return new ThreadFailures(full, closing::get, disk, null);
    }

    private static Throwable rocksDbFull() {
        RocksDBException full = new RocksDBException("While appending to file: /var/lib/tlsmon/state/tlsmon/0_0/rocksdb/sessions/000018.sst: "
                + "No space left on device", new Status(Status.Code.IOError, Status.SubCode.NoSpace, null));
        return new StreamsException(new ProcessorStateException("Error while putting key/value into store sessions", full));
    }

    @Test
    void anyOtherFailureReplacesTheThreadAtOnce() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        assertThat(handler(disk).handle(new StreamsException("a bug", new IllegalStateException("boom"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(disk.nowMs).isZero();
        assertThat(full.episodes()).isZero();
    }

    @Test
    void aFullStateDirectoryWaitsUntilTheSpaceIsBackThenReplacesTheThread() {
        FakeDisk disk = new FakeDisk(10_000, 100 * MB);
        disk.spaceBackAt(7_000, 60 * MB);
        assertThat(handler(disk).handle(rocksDbFull())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(disk.nowMs).isEqualTo(7_000);
        assertThat(full.episodes()).isEqualTo(1);
        assertThat(full.isOpen()).isFalse();
    }

    @Test
    void aFewBytesFreedAreNotSpaceBack() {
        FakeDisk disk = new FakeDisk(10_000, 1000 * MB);
        disk.spaceBackAt(1_000, 10_000 + 15 * MB);   // less than a memtable
        handler(disk).handle(rocksDbFull());
        assertThat(disk.nowMs).as("waited for the first retry").isEqualTo(ThreadFailures.FIRST_RETRY_MS);
    }

    @Test
    void onASmallFilesystemASixteenthOfItIsSpaceBack() {
        FakeDisk disk = new FakeDisk(0, 64 * MB);
        disk.spaceBackAt(2_000, 4 * MB);
        handler(disk).handle(rocksDbFull());
        assertThat(disk.nowMs).isEqualTo(2_000);
        FakeDisk less = new FakeDisk(0, 64 * MB);
        less.spaceBackAt(2_000, 4 * MB - 1);
        handler(less).handle(rocksDbFull());
        assertThat(less.nowMs).as("not quite a sixteenth").isEqualTo(ThreadFailures.FIRST_RETRY_MS);
    }

    @Test
    void withoutSpaceSeenBackItRetriesEverLessOftenUpToABoundAndCountsOneEpisode() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        ThreadFailures h = handler(disk);
        long before = 0;
        long wait = ThreadFailures.FIRST_RETRY_MS;
        for (int i = 0; i < 6; i++) {
            assertThat(h.handle(rocksDbFull())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            assertThat(disk.nowMs - before).as("wait %d", i).isEqualTo(wait);
            before = disk.nowMs;
            wait = Math.min(2 * wait, ThreadFailures.MAX_RETRY_MS);
        }
        assertThat(wait).isEqualTo(ThreadFailures.MAX_RETRY_MS);
        assertThat(full.episodes()).as("one episode, however many failures").isEqualTo(1);
    }

    @Test
    void afterTheSpaceCameBackTheNextFullDirectoryIsANewEpisodeWithTheFirstWaitAgain() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        ThreadFailures h = handler(disk);
        h.handle(rocksDbFull());                   // no space: waits the first retry
        h.handle(rocksDbFull());                   // still none: twice as long
        disk.spaceBackAt(disk.nowMs + 1_000, 50 * MB);
        h.handle(rocksDbFull());                   // space back after a second
        assertThat(full.isOpen()).isFalse();
        disk.free = 0;
        disk.spaceNeverBack();
        long before = disk.nowMs;
        h.handle(rocksDbFull());
        assertThat(disk.nowMs - before).isEqualTo(ThreadFailures.FIRST_RETRY_MS);
        assertThat(full.episodes()).isEqualTo(2);
    }

    @Test
    void aStoreStillFailingJustAfterTheSpaceCameBackIsReplacedAtOnceButOnlyOnce() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        disk.spaceBackAt(1_000, 50 * MB);
        ThreadFailures h = handler(disk);
        h.handle(rocksDbFull());
        long before = disk.nowMs;
        assertThat(h.handle(rocksDbFull())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(disk.nowMs).as("replaced at once").isEqualTo(before);
        assertThat(full.episodes()).isEqualTo(1);
        h.handle(rocksDbFull());
        assertThat(full.episodes()).as("a second failure is a full directory again").isEqualTo(2);
        assertThat(disk.nowMs - before).isEqualTo(ThreadFailures.FIRST_RETRY_MS);
    }

    @Test
    void aThreadWaitingForSpaceGoesOnWhenTheWatchSawTheSpaceBack() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        ThreadFailures h = handler(disk);
        full.found("the free-space watch found 0 bytes free");
        disk.spaceBackAt(2_000, 50 * MB);
        h.handle(rocksDbFull());
        assertThat(disk.nowMs).isEqualTo(2_000);
        assertThat(full.episodes()).as("the watch's episode, joined by the thread").isEqualTo(1);
    }

    @Test
    void aClosingClientStopsTheWait() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        closing.set(true);
        assertThat(handler(disk).handle(rocksDbFull())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(disk.nowMs).isZero();
    }

    @Test
    void noSpaceIsFoundAnywhereInTheCausesAndSuppressedOnes() {
        assertThat(NoSpaceLeft.in(rocksDbFull())).isPresent();
        assertThat(NoSpaceLeft.in(new RocksDBException("", new Status(Status.Code.IOError, Status.SubCode.NoSpace, null)))).isPresent();
        StreamsException checkpoint = new StreamsException("commit failed");
        checkpoint.addSuppressed(new UncheckedIOException(new IOException("No space left on device")));
        assertThat(NoSpaceLeft.in(checkpoint)).isPresent();
        assertThat(NoSpaceLeft.in(new ProcessorStateException("Error opening store", new RocksDBException("Corruption: bad block")))).isEmpty();
        assertThat(NoSpaceLeft.in(new IllegalStateException("no space for the key in the buffer"))).isEmpty();
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertThat(NoSpaceLeft.in(a)).as("a cycle ends").isEmpty();
    }
}
