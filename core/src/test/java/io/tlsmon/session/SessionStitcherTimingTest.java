package io.tlsmon.session;

import io.tlsmon.avro.OpenSession;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** When the stitcher lets a session go: the exact edges of the close grace and of the idle gap, in log time. */
class SessionStitcherTimingTest {
    private final List<String> closed = new ArrayList<>();
    private final List<CloseReason> reasons = new ArrayList<>();

    private SessionStitcher stitcher(long idleGap, long grace) {
        return new SessionStitcher(idleGap, grace, (s, r) -> {
            closed.add(s.getSessionId());
            reasons.add(r);
        });
    }

    private static ParsedLine.Builder at(String session, long t, LineEvent e) {
        return Lines.line(SourceKind.EXCHANGE_RECEIVE, session, t, e);
    }

    @Test
    void theIdleGapMustBePositiveAndTheGraceNotNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> stitcher(0, 0)).withMessageContaining("idle gap");
        assertThatIllegalArgumentException().isThrownBy(() -> stitcher(1, -1)).withMessageContaining("close grace");
        assertThat(stitcher(1, 0).openSessions()).isZero();
    }

    @Test
    void aClosedSessionLeavesExactlyWhenItsGraceHasPassed() {
        SessionStitcher st = stitcher(300_000, 5_000);
        st.accept(at("A", 1_000, LineEvent.STARTTLS).build());
        st.accept(at("A", 2_000, LineEvent.DISCONNECT).closesSession(true).build());

        st.accept(at("B", 6_999, LineEvent.STARTTLS).build());
        assertThat(closed).isEmpty();
        st.accept(at("B", 7_000, LineEvent.OTHER).build());
        assertThat(closed).containsExactly("A");
        assertThat(reasons).containsExactly(CloseReason.ENDED);
    }

    @Test
    void aLineThatClosesItsSessionMarksItDisconnected() {
        List<OpenSession> sessions = new ArrayList<>();
        SessionStitcher st = new SessionStitcher(300_000, 0, (s, r) -> sessions.add(s));
        st.accept(at("A", 1, LineEvent.OTHER).closesSession(true).build());
        assertThat(sessions).singleElement().extracting(OpenSession::getDisconnected).isEqualTo(true);
    }

    @Test
    void anIdleSessionLeavesExactlyWhenTheGapHasPassed() {
        SessionStitcher justBefore = stitcher(60_000, 0);
        justBefore.accept(at("A", 0, LineEvent.STARTTLS).build());
        justBefore.accept(at("B", 59_999, LineEvent.STARTTLS).build());
        assertThat(closed).isEmpty();

        SessionStitcher atTheGap = stitcher(60_000, 0);
        atTheGap.accept(at("A", 0, LineEvent.STARTTLS).build());
        atTheGap.accept(at("C", 60_000, LineEvent.STARTTLS).build());
        assertThat(closed).containsExactly("A");
        assertThat(reasons).containsExactly(CloseReason.IDLE);
    }

    @Test
    void idleSessionsAreSweptAtMostOncePerSecondOfLogTime() {
        SessionStitcher st = stitcher(1_000, 0);
        st.accept(at("A", 0, LineEvent.STARTTLS).build());
        st.accept(at("B", 500, LineEvent.STARTTLS).build());
        st.accept(at("C", 1_200, LineEvent.STARTTLS).build()); // A idle, swept: a second has passed since the sweep at 0
        assertThat(closed).containsExactly("A");
        st.accept(at("D", 1_600, LineEvent.STARTTLS).build()); // B idle since 1 500, but the last sweep was at 1 200
        assertThat(closed).containsExactly("A");
        st.accept(at("E", 2_200, LineEvent.STARTTLS).build());
        assertThat(closed).containsExactly("A", "B", "C");
    }

    @Test
    void aLateLineDoesNotTurnTheClockBack() {
        SessionStitcher st = stitcher(60_000, 0);
        st.accept(at("A", 10_000, LineEvent.STARTTLS).build());
        st.accept(at("B", 5_000, LineEvent.STARTTLS).build());
        assertThat(st.clock()).isEqualTo(10_000);
    }

    @Test
    void theClockStartsBeforeAnyLine() {
        assertThat(stitcher(1, 0).clock()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aReopenedSessionThatHadDisconnectedEndedRatherThanWasReopened() {
        SessionStitcher st = stitcher(300_000, 60_000);
        st.accept(at("A", 1, LineEvent.CONNECT).opensSession(true).build());
        st.accept(at("A", 2, LineEvent.DISCONNECT).closesSession(true).build());
        st.accept(at("A", 3, LineEvent.CONNECT).opensSession(true).build());
        assertThat(reasons).containsExactly(CloseReason.ENDED);
        assertThat(st.openSessions()).isEqualTo(1);

        // the old one's pending close must not close the new session of the same key
        st.accept(at("Z", 100_000, LineEvent.OTHER).build());
        assertThat(closed).containsExactly("A");
        assertThat(st.openSessions()).isEqualTo(2);
    }

    @Test
    void flushClosesEverythingOnceAndForgetsPendingCloses() {
        SessionStitcher st = stitcher(300_000, 5_000);
        st.accept(at("A", 1, LineEvent.DISCONNECT).closesSession(true).build());
        st.accept(at("B", 2, LineEvent.STARTTLS).build());
        st.flush();
        assertThat(closed).containsExactlyInAnyOrder("A", "B");
        assertThat(reasons).containsExactlyInAnyOrder(CloseReason.ENDED, CloseReason.END_OF_INPUT);
        assertThat(st.openSessions()).isZero();

        st.accept(at("C", 100_000, LineEvent.STARTTLS).build());
        assertThat(closed).as("nothing is closed twice").hasSize(2);
    }
}
