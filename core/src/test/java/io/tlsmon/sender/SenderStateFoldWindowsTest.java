package io.tlsmon.sender;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import io.tlsmon.avro.WindowCounts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The tumbling windows of a sender's state: epoch-aligned, rolled over by event time, late attempts left out. */
class SenderStateFoldWindowsTest {
    private static final long FIVE_MIN = 300_000L;
    private static final long HOUR = 3_600_000L;
    /** An aligned hour. */
    private static final long T0 = 1_740_823_200_000L;
    private final SenderStateFold fold = new SenderStateFold(FIVE_MIN, HOUR);

    private static NegotiationAttempt attempt(long t, Outcome outcome) {
        return NegotiationAttempt.newBuilder().setId("a" + t).setServer("mx1").setSourceKind("postfix-smtpd")
                .setDirection(Direction.inbound).setSessionId("s" + t).setRemoteIp("198.51.100.7")
                .setStartTime(Instant.ofEpochMilli(t)).setEndTime(Instant.ofEpochMilli(t)).setOutcome(outcome)
                .setEvidence(List.of()).build();
    }

    private SenderState foldAll(long... times) {
        NegotiationAttempt first = attempt(times[0], Outcome.NO_SHARED_CIPHER);
        SenderState s = fold.add(fold.empty(Sender.of(first), times[0]), first);
        for (int i = 1; i < times.length; i++) {
            fold.add(s, attempt(times[i], Outcome.NO_SHARED_CIPHER));
        }
        return s;
    }

    private static int count(SenderState s, long size, long now) {
        return SenderStateFold.countInWindow(s, size, Outcome.NO_SHARED_CIPHER, now);
    }

    @Test
    void windowsStartOnMultiplesOfTheirSize() {
        SenderState s = fold.empty(new Sender("198.51.100.7", null, Direction.inbound), T0 + 7 * 60_000L + 5);
        assertThat(s.getWindows()).extracting(WindowCounts::getSizeMs).containsExactly(FIVE_MIN, HOUR);
        assertThat(s.getWindows()).extracting(WindowCounts::getStart)
                .containsExactly(Instant.ofEpochMilli(T0 + FIVE_MIN), Instant.ofEpochMilli(T0));
        assertThat(SenderStateFold.windowStart(T0 + FIVE_MIN - 1, FIVE_MIN)).isEqualTo(T0);
        assertThat(SenderStateFold.windowStart(T0 + FIVE_MIN, FIVE_MIN)).isEqualTo(T0 + FIVE_MIN);
        assertThat(SenderStateFold.windowStart(-1, FIVE_MIN)).as("floor, not truncation, before 1970").isEqualTo(-FIVE_MIN);
    }

    @Test
    void attemptsOfOneWindowAddUp() {
        SenderState s = foldAll(T0, T0 + 1, T0 + FIVE_MIN - 1);
        assertThat(count(s, FIVE_MIN, T0 + FIVE_MIN - 1)).isEqualTo(3);
        assertThat(count(s, HOUR, T0 + FIVE_MIN - 1)).isEqualTo(3);
    }

    @Test
    void theFirstAttemptOfTheNextWindowStartsItAfresh() {
        SenderState s = foldAll(T0, T0 + 1, T0 + FIVE_MIN);
        assertThat(count(s, FIVE_MIN, T0 + FIVE_MIN)).isEqualTo(1);
        assertThat(s.getWindows().get(0).getStart()).isEqualTo(Instant.ofEpochMilli(T0 + FIVE_MIN));
        assertThat(count(s, HOUR, T0 + FIVE_MIN)).as("the hour goes on").isEqualTo(3);
    }

    @Test
    void aWindowWithNoAttemptSinceCountsNothingLater() {
        SenderState s = foldAll(T0, T0 + 1);
        assertThat(count(s, FIVE_MIN, T0 + FIVE_MIN)).isZero();
        assertThat(count(s, HOUR, T0 + HOUR)).isZero();
        assertThat(count(s, HOUR, T0 + HOUR - 1)).isEqualTo(2);
    }

    @Test
    void aLateAttemptOfAWindowLeftBehindIsOnlyInTheTotals() {
        SenderState s = foldAll(T0 + FIVE_MIN, T0 + 10);
        assertThat(count(s, FIVE_MIN, T0 + FIVE_MIN)).isEqualTo(1);
        assertThat(s.getWindows().get(0).getStart()).isEqualTo(Instant.ofEpochMilli(T0 + FIVE_MIN));
        assertThat(count(s, HOUR, T0 + FIVE_MIN)).as("still the current hour").isEqualTo(2);
        assertThat(s.getTotals()).containsEntry("NO_SHARED_CIPHER", 2L);
    }

    @Test
    void aLateAttemptOfTheCurrentWindowCounts() {
        SenderState s = foldAll(T0 + 20, T0 + 10);
        assertThat(count(s, FIVE_MIN, T0 + 20)).isEqualTo(2);
    }

    @Test
    void countsAreKeptPerOutcome() {
        SenderState s = foldAll(T0);
        fold.add(s, attempt(T0 + 1, Outcome.HANDSHAKE_TIMEOUT));
        fold.add(s, attempt(T0 + 2, Outcome.HANDSHAKE_TIMEOUT));
        assertThat(count(s, FIVE_MIN, T0 + 2)).isEqualTo(1);
        assertThat(SenderStateFold.countInWindow(s, FIVE_MIN, Outcome.HANDSHAKE_TIMEOUT, T0 + 2)).isEqualTo(2);
        assertThat(SenderStateFold.countInWindow(s, FIVE_MIN, Outcome.OK, T0 + 2)).isZero();
    }

    @Test
    void aSizeThatIsNotKeptCountsNothing() {
        SenderState s = foldAll(T0, T0 + 1);
        assertThat(count(s, 60_000L, T0 + 1)).isZero();
    }

    @Test
    void windowSizesMustBeGivenAndPositive() {
        assertThatIllegalArgumentException().isThrownBy(SenderStateFold::new);
        assertThatIllegalArgumentException().isThrownBy(() -> new SenderStateFold(FIVE_MIN, 0)).withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> new SenderStateFold(-1));
        assertThat(new SenderStateFold(1).windowSizes()).containsExactly(1L);
    }

    @Test
    void theWindowSizesCannotBeChangedFromOutside() {
        long[] sizes = {FIVE_MIN, HOUR};
        SenderStateFold f = new SenderStateFold(sizes);
        sizes[0] = 1;
        f.windowSizes()[1] = 1;
        assertThat(f.windowSizes()).containsExactly(FIVE_MIN, HOUR);
    }
}
