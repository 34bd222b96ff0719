package io.tlsmon.topology;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StateDirectoryFullTest {
    private static final long MB = 1024 * 1024;

    private final OutageMetrics metrics = new OutageMetrics(() -> 0L);

    private StateDirectoryFull full(FakeDisk disk) {
        return new StateDirectoryFull(Path.of("/var/lib/tlsmon/state"), disk, metrics, () -> disk.nowMs);
    }

    @Test
    void almostNoSpaceLeftIsFullBeforeAnythingFailsAndTheEpisodeEndsWhenTheSpaceIsBack() {
        FakeDisk disk = new FakeDisk(StateDirectoryFull.FULL_BELOW_BYTES, 1000 * MB);
        StateDirectoryFull full = full(disk);
        assertThat(full.look()).as("exactly the floor free is not full").isFalse();
        disk.free = StateDirectoryFull.FULL_BELOW_BYTES - 1;
        assertThat(full.look()).isTrue();
        assertThat(full.look()).isTrue();
        assertThat(full.episodes()).isEqualTo(1);
        assertThat(metrics.stateDirectory().active()).isTrue();
        disk.free = StateDirectoryFull.FULL_BELOW_BYTES - 1 + StateDirectoryFull.SPACE_BACK_BYTES - 1;
        assertThat(full.look()).as("a byte short of the space that ends it").isTrue();
        disk.free++;
        assertThat(full.look()).isFalse();
        assertThat(metrics.stateDirectory().active()).isFalse();
        assertThat(metrics.stateDirectory().count()).isEqualTo(1);
    }

    @Test
    void onASmallFilesystemASixtyFourthOfItIsTheFloor() {
        FakeDisk disk = new FakeDisk(MB / 2, 32 * MB);
        StateDirectoryFull full = full(disk);
        assertThat(full.look()).isFalse();
        disk.free = MB / 2 - 1;
        assertThat(full.look()).isTrue();
        disk.free = MB / 2 - 1 + 2 * MB;   // a sixteenth of 32 MB more
        assertThat(full.look()).isFalse();
    }

    @Test
    void aFilesystemThatCannotBeAskedIsNeverCalledFull() {
        FakeDisk disk = new FakeDisk(-1, -1);
        StateDirectoryFull full = full(disk);
        assertThat(full.look()).isFalse();
        assertThat(full.episodes()).isZero();
    }

    @Test
    void writesRocksDbStoppedForLongWithLittleSpaceFreeAreAFullDirectory() {
        FakeDisk disk = new FakeDisk(3 * MB, 100 * MB);    // above the floor, below what would end an episode
        StateDirectoryFull full = full(disk);
        full.writesStopped("sessions/default", true);
        disk.nowMs = StateDirectoryFull.STOPPED_FULL_MS - 1;
        assertThat(full.look()).isFalse();
        disk.nowMs = StateDirectoryFull.STOPPED_FULL_MS;
        assertThat(full.look()).isTrue();
        assertThat(full.episodes()).isEqualTo(1);
    }

    @Test
    void writesThatGoOnAgainOrWhoseStoreClosedAreNotWaitedFor() {
        FakeDisk disk = new FakeDisk(3 * MB, 100 * MB);
        StateDirectoryFull full = full(disk);
        full.writesStopped("sessions/default", true);
        full.writesStopped("senders/default", true);
        disk.nowMs = 5_000;
        full.writesStopped("sessions/default", false);
        full.storeClosed("senders/");
        disk.nowMs = 60_000;
        assertThat(full.look()).isFalse();
        full.writesStopped("sessions/default", true);
        disk.nowMs = 60_000 + StateDirectoryFull.STOPPED_FULL_MS - 1;
        assertThat(full.look()).as("the new stop counts from its own start").isFalse();
    }

    @Test
    void writesStoppedWithSpaceEnoughAreNoEpisodeButOneWarning() {
        FakeDisk disk = new FakeDisk(50 * MB, 100 * MB);
        StateDirectoryFull full = full(disk);
        full.writesStopped("sessions/default", true);
        disk.nowMs = StateDirectoryFull.STOPPED_LONG_MS - 1;
        full.look();
        assertThat(full.stopWarnings()).isZero();
        disk.nowMs = StateDirectoryFull.STOPPED_LONG_MS;
        full.look();
        disk.nowMs += 10_000;
        full.look();
        assertThat(full.stopWarnings()).isEqualTo(1);
        assertThat(full.episodes()).isZero();
        full.writesStopped("sessions/default", false);
        full.writesStopped("sessions/default", true);
        disk.nowMs += StateDirectoryFull.STOPPED_LONG_MS;
        full.look();
        assertThat(full.stopWarnings()).as("a new stop, a new warning").isEqualTo(2);
    }

    @Test
    void everyFinderOfOneEpisodeCountsOnceAsAnEpisodeAndEachAsAFailure() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        StateDirectoryFull full = full(disk);
        assertThat(full.found("RocksDB flush of store sessions: No space left on device")).isEqualTo(1);
        assertThat(full.look()).isTrue();
        assertThat(full.found("a stream thread failed")).isEqualTo(1);
        assertThat(full.episodes()).isEqualTo(1);
        assertThat(metrics.stateDirectory().count()).isEqualTo(1);
        assertThat(metrics.stateDirectory().failures()).isEqualTo(2);
    }

    @Test
    void aFailureJustAfterTheSpaceCameBackIsAnAfterEffectOnce() {
        FakeDisk disk = new FakeDisk(0, 100 * MB);
        StateDirectoryFull full = full(disk);
        assertThat(full.isAfterEffect()).as("no episode has ended yet").isFalse();
        full.found("full");
        assertThat(full.isAfterEffect()).as("the episode is open").isFalse();
        disk.free = 50 * MB;
        assertThat(full.endIfSpaceBack()).isTrue();
        assertThat(full.isAfterEffect()).isTrue();
        assertThat(full.isAfterEffect()).as("only once").isFalse();

        full.found("full again");
        disk.free = 100 * MB;
        full.endIfSpaceBack();
        disk.free = 0;
        assertThat(full.isAfterEffect()).as("no space: a full directory again, not an after-effect").isFalse();

        disk.free = 0;
        full.found("full a third time");
        disk.free = 100 * MB;
        full.endIfSpaceBack();
        disk.nowMs += StateDirectoryFull.AFTER_EFFECT_MS + 1;
        assertThat(full.isAfterEffect()).as("long after the episode ended").isFalse();
    }

    @Test
    void oneStateDirectoryOneEpisodeTracker() {
        assertThat(StateDirectoryFull.of(Path.of("/var/lib/tlsmon/../tlsmon/state")))
                .isSameAs(StateDirectoryFull.of(Path.of("/var/lib/tlsmon/state")));
    }
}
