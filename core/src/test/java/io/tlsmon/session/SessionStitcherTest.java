package io.tlsmon.session;

import io.tlsmon.avro.OpenSession;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

class SessionStitcherTest {
    private final List<OpenSession> closed = new ArrayList<>();
    private final List<CloseReason> reasons = new ArrayList<>();

    private SessionStitcher stitcher(long idleGap, long grace) {
        return new SessionStitcher(idleGap, grace, (s, r) -> {
            closed.add(s);
            reasons.add(r);
        });
    }

    @Test
    void interleavedSessionsAreKeptApartAndClosedByTheirLastLine() {
        SessionStitcher st = stitcher(300_000, 0);
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "A", 1, LineEvent.CONNECT).opensSession(true).remoteIp("192.0.2.1").build());
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "B", 2, LineEvent.CONNECT).opensSession(true).remoteIp("192.0.2.2").build());
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "A", 3, LineEvent.STARTTLS).build());
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "B", 4, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.2").build());
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "B", 5, LineEvent.DISCONNECT).closesSession(true).build());
        assertThat(closed).singleElement().satisfies(s -> {
            assertThat(s.getSessionId()).isEqualTo("B");
            assertThat(s.getRemoteIp()).isEqualTo("192.0.2.2");
            assertThat(s.getEstablished()).isTrue();
            assertThat(s.getLines()).isEqualTo(3);
        });
        assertThat(st.openSessions()).isEqualTo(1);
        st.flush();
        assertThat(closed).extracting(OpenSession::getSessionId).containsExactly("B", "A");
        assertThat(reasons).containsExactly(CloseReason.ENDED, CloseReason.END_OF_INPUT);
    }

    @Test
    void theSameSessionIdOnAnotherServerIsAnotherSession() {
        SessionStitcher st = stitcher(300_000, 0);
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "A", 1, LineEvent.STARTTLS).server("ex1").build());
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "A", 2, LineEvent.STARTTLS).server("ex2").build());
        assertThat(st.openSessions()).isEqualTo(2);
    }

    @Test
    void aSessionIdleLongerThanTheGapIsClosedByLogTime() {
        SessionStitcher st = stitcher(60_000, 0);
        st.accept(line(SourceKind.POSTFIX_SMTPD, "smtpd[1]", 0, LineEvent.CONNECT).opensSession(true).build());
        st.accept(line(SourceKind.POSTFIX_SMTPD, "smtpd[2]", 59_000, LineEvent.CONNECT).opensSession(true).build());
        assertThat(closed).isEmpty();
        st.accept(line(SourceKind.POSTFIX_SMTPD, "smtpd[3]", 61_500, LineEvent.CONNECT).opensSession(true).build());
        assertThat(closed).extracting(OpenSession::getSessionId).containsExactly("smtpd[1]");
        assertThat(reasons).containsExactly(CloseReason.IDLE);
    }

    @Test
    void anOpeningLineClosesTheSessionBeforeIt() {
        SessionStitcher st = stitcher(300_000, 0);
        st.accept(line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", 1, LineEvent.CONNECT).opensSession(true).build());
        st.accept(line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", 2, LineEvent.CONNECT).opensSession(true).build());
        assertThat(reasons).containsExactly(CloseReason.REOPENED);
        assertThat(st.openSessions()).isEqualTo(1);
    }

    @Test
    void aLateLineWithinTheGraceStillJoinsItsSession() {
        SessionStitcher st = stitcher(300_000, 5_000);
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "A", 1_000, LineEvent.STARTTLS).build());
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "A", 3_000, LineEvent.DISCONNECT).closesSession(true).build());
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "A", 2_000, LineEvent.TLS_FAILED).error("AlgorithmMismatch").build());
        assertThat(closed).isEmpty();
        st.accept(line(SourceKind.EXCHANGE_RECEIVE, "Z", 9_000, LineEvent.CONNECT).opensSession(true).build());
        assertThat(closed).singleElement().satisfies(s -> {
            assertThat(s.getFailureError()).isEqualTo("AlgorithmMismatch");
            assertThat(s.getLines()).isEqualTo(3);
        });
    }

    @Test
    void memoryIsBoundedByOpenSessionsNotByLogLength() {
        SessionStitcher st = stitcher(60_000, 0);
        for (int i = 0; i < 100_000; i++) {
            String id = "s" + i;
            st.accept(line(SourceKind.EXCHANGE_RECEIVE, id, i * 10L, LineEvent.CONNECT).opensSession(true).build());
            st.accept(line(SourceKind.EXCHANGE_RECEIVE, id, i * 10L + 1, LineEvent.DISCONNECT).closesSession(true).build());
            if (i % 3 == 0) {
                // a third never disconnect: the idle gap must still reclaim them
                st.accept(line(SourceKind.EXCHANGE_RECEIVE, "open" + i, i * 10L, LineEvent.STARTTLS).build());
            }
        }
        // one never-closed session every 30 ms of log time, reclaimed after the 60 s gap, swept every 1 s
        assertThat(st.openSessions()).isLessThanOrEqualTo((60_000 + 1_000) / 30 + 1);
    }
}
