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

    /** A filesystem whose free space the test sets, and a clock that moves only when the handler sleeps. */
    private static final class FakeDisk implements StateDirectorySpace, ThreadFailures.Sleeper {
        long free;
        final long total;
        long sleptMs;
        long freeAtMs = Long.MAX_VALUE;   // when the space comes back
        long freeThen;

        FakeDisk(long free, long total) {
            this.free = free;
            this.total = total;
        }

        @Override
        public long usableBytes() {
            return free;
        }

        @Override
        public long totalBytes() {
            return total;
        }

        @Override
        public void sleep(long ms) {
            sleptMs += ms;
            if (sleptMs >= freeAtMs) {
                free = freeThen;
            }
        }

        void spaceBackAfter(long ms, long bytes) {
            freeAtMs = ms;
            freeThen = bytes;
        }
    }

    private final AtomicBoolean closing = new AtomicBoolean();

    /** The episodes of the last handler made. */
    private StateDirectoryFull full;

    private ThreadFailures handler(FakeDisk disk) {
        full = new StateDirectoryFull(Path.of("/var/lib/tlsmon/state"), disk, new OutageMetrics(() -> disk.sleptMs), () -> disk.sleptMs);
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
        assertThat(disk.sleptMs).isZero();
        assertThat(full.episodes()).isZero();
    }

    @Test
    void aFullStateDirectoryWaitsUntilTheSpaceIsBackThenReplacesTheThread() {
        FakeDisk disk = new FakeDisk(10_000, 100 * MB);
        disk.spaceBackAfter(7_000, 60 * MB);
        assertThat(handler(disk).handle(rocksDbFull())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(disk.sleptMs).isEqualTo(7_000);
        assertThat(full.episodes()).isEqualTo(1);
        assertThat(full.isOpen()).isFalse();
    }

    @Test
    void aFewBytesFreedAreNotSpaceBack() {
        FakeDisk disk = new FakeDisk(10_000, 1000 * MB);
        disk.spaceBackAfter(1_000, 10_000 + 15 * MB);   // less than a memtable
        handler(disk).handle(rocksDbFull());
        assertThat(disk.sleptMs).as("waited for the first retry").isEqualTo(ThreadFailures.FIRST_RETRY_MS);
    }

    @Test
    void onASmallFilesystemASixteenthOfItIsSpaceBack() {
        FakeDisk disk = new FakeDisk(0, 64 * MB);
        disk.spaceBackAfter(2_000, 4 * MB);
        handler(disk).handle(rocksDbFull());
        assertThat(disk.sleptMs).isEqualTo(2_000);
        FakeDisk less = new FakeDisk(0, 64 * MB);
        less.spaceBackAfter(2_000, 4 * MB - 1);
        handler(less).handle(rocksDbFull());
        assertThat(less.sleptMs).as("not quite a sixteenth").isEqualTo(ThreadFailures.FIRST_RETRY_MS);
    }

    @Test
    void withoutSpaceSeenBackItRetriesEverLessOftenUpToABoundAndCountsOneEpisode() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        ThreadFailures h = handler(disk);
        long before = 0;
        long wait = ThreadFailures.FIRST_RETRY_MS;
        for (int i = 0; i < 6; i++) {
            assertThat(h.handle(rocksDbFull())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            assertThat(disk.sleptMs - before).as("wait %d", i).isEqualTo(wait);
            before = disk.sleptMs;
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
        disk.spaceBackAfter(disk.sleptMs + 1_000, 50 * MB);
        h.handle(rocksDbFull());                   // space back after a second
        assertThat(full.isOpen()).isFalse();
        disk.free = 0;
        disk.freeAtMs = Long.MAX_VALUE;
        long before = disk.sleptMs;
        h.handle(rocksDbFull());
        assertThat(disk.sleptMs - before).isEqualTo(ThreadFailures.FIRST_RETRY_MS);
        assertThat(full.episodes()).isEqualTo(2);
    }

    @Test
    void aStoreStillFailingJustAfterTheSpaceCameBackIsReplacedAtOnceButOnlyOnce() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        disk.spaceBackAfter(1_000, 50 * MB);
        ThreadFailures h = handler(disk);
        h.handle(rocksDbFull());
        long before = disk.sleptMs;
        assertThat(h.handle(rocksDbFull())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(disk.sleptMs).as("replaced at once").isEqualTo(before);
        assertThat(full.episodes()).isEqualTo(1);
        h.handle(rocksDbFull());
        assertThat(full.episodes()).as("a second failure is a full directory again").isEqualTo(2);
        assertThat(disk.sleptMs - before).isEqualTo(ThreadFailures.FIRST_RETRY_MS);
    }

    @Test
    void aThreadWaitingForSpaceGoesOnWhenTheWatchSawTheSpaceBack() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        ThreadFailures h = handler(disk);
        full.found("the free-space watch found 0 bytes free");
        disk.spaceBackAfter(2_000, 50 * MB);
        h.handle(rocksDbFull());
        assertThat(disk.sleptMs).isEqualTo(2_000);
        assertThat(full.episodes()).as("the watch's episode, joined by the thread").isEqualTo(1);
    }

    @Test
    void aClosingClientStopsTheWait() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        closing.set(true);
        assertThat(handler(disk).handle(rocksDbFull())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(disk.sleptMs).isZero();
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
