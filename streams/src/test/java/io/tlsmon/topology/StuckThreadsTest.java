package io.tlsmon.topology;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StuckThreadsTest {
    private final StuckThreads threads = new StuckThreads(300_000);

    @Test
    void aThreadThatStopsPollingForLongerThanTheIntervalIsStuckOnceUntilItPollsAgain() {
        threads.observe(Map.of("t-1", 10.0, "t-2", 5.0), 0, false);
        assertThat(threads.observe(Map.of("t-1", 11.0, "t-2", 5.0), 300_000, false)).as("exactly the interval").isEmpty();
        assertThat(threads.observe(Map.of("t-1", 12.0, "t-2", 5.0), 300_001, false)).containsExactly("t-2");
        assertThat(threads.observe(Map.of("t-1", 13.0, "t-2", 5.0), 400_000, false)).as("said once").isEmpty();
        assertThat(threads.count()).isEqualTo(1);
        threads.observe(Map.of("t-1", 14.0, "t-2", 6.0), 410_000, false);
        assertThat(threads.count()).as("polls again").isZero();
    }

    @Test
    void whileThreadsAreHeldOnPurposeTheClocksStartAgain() {
        threads.observe(Map.of("t-1", 10.0), 0, false);
        threads.observe(Map.of("t-1", 10.0), 200_000, true);   // the state directory full: held by ThreadFailures
        assertThat(threads.observe(Map.of("t-1", 10.0), 400_000, false)).isEmpty();
        assertThat(threads.observe(Map.of("t-1", 10.0), 500_001, false)).containsExactly("t-1");
        threads.observe(Map.of("t-1", 10.0), 500_002, true);
        assertThat(threads.count()).isZero();
    }

    @Test
    void aReplacedThreadIsForgotten() {
        threads.observe(Map.of("t-1", 10.0), 0, false);
        threads.observe(Map.of("t-1", 10.0), 300_001, false);
        assertThat(threads.count()).isEqualTo(1);
        threads.observe(Map.of("t-2", 1.0), 300_002, false);
        assertThat(threads.count()).isZero();
        assertThat(threads.sinceMs("t-1")).isEqualTo(-1);
    }
}
