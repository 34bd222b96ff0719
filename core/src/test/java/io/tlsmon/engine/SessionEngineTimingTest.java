package io.tlsmon.engine;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the session engine lets a session go: the exact edges of the close grace and of the idle
 * gap, in log time. Ported from the timing tests of the old SessionStitcher; its once-a-second
 * sweep is gone (deadlines are indexed), so each session now closes at the first line at or after
 * its own deadline.
 */
class SessionEngineTimingTest {
    private static final String STREAM = "mx1|exchange";
    private final List<EngineOutput> out = new ArrayList<>();
    private final EngineCounters counters = new EngineCounters();
    private final MapState<OpenSession> sessions = new MapState<>();
    private final MapState<Long> clocks = new MapState<>();

    private SessionEngine engine(long idleGap, long grace) {
        return new SessionEngine(EngineSettings.defaults().withIdleGapMs(idleGap).withCloseGraceMs(grace), sessions, clocks, counters);
    }

    private static ParsedLine.Builder at(String session, long t, LineEvent e) {
        return line(SourceKind.EXCHANGE_RECEIVE, session, t, e);
    }

    private List<String> closed() {
        return out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(o -> o.attempt().getSessionId()).toList();
    }

    private List<NegotiationAttempt> attempts() {
        return out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(EngineOutput::attempt).toList();
    }

    @Test
    void aClosedSessionLeavesExactlyWhenItsGraceHasPassed() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("A", 1_000, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("A", 2_000, LineEvent.DISCONNECT).closesSession(true).build(), out::add);

        e.stitch(STREAM, at("B", 6_999, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).isEmpty();
        e.stitch(STREAM, at("B", 7_000, LineEvent.OTHER).build(), out::add);
        assertThat(closed()).containsExactly("A");
        assertThat(attempts().get(0).getError()).isEqualTo("disconnected during the TLS handshake");
    }

    @Test
    void aLineThatClosesItsSessionMarksItDisconnectedAndGivesItTheGraceNotTheGap() {
        SessionEngine e = engine(300_000, 5_000);
        ParsedLine only = at("A", 1, LineEvent.STARTTLS).closesSession(true).build();
        e.stitch(STREAM, only, out::add);
        assertThat(sessions.get(only.stitchKey()).getDisconnected()).isTrue();

        e.stitch(STREAM, at("B", 5_000, LineEvent.OTHER).build(), out::add);
        assertThat(closed()).isEmpty();
        e.stitch(STREAM, at("B", 5_001, LineEvent.OTHER).build(), out::add);
        assertThat(closed()).containsExactly("A");
    }

    @Test
    void withNoGraceASessionClosesAtItsLastLine() {
        SessionEngine e = engine(300_000, 0);
        e.stitch(STREAM, at("A", 1, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("A", 2, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
        assertThat(closed()).containsExactly("A");
        assertThat(e.openSessions()).isZero();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void anIdleSessionLeavesExactlyWhenTheGapHasPassed() {
        SessionEngine justBefore = engine(60_000, 0);
        justBefore.stitch(STREAM, at("A", 0, LineEvent.STARTTLS).build(), out::add);
        justBefore.stitch(STREAM, at("B", 59_999, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).isEmpty();

        SessionEngine atTheGap = new SessionEngine(EngineSettings.defaults().withIdleGapMs(60_000).withCloseGraceMs(0),
                new MapState<>(), new MapState<>(), counters);
        atTheGap.stitch(STREAM, at("A", 0, LineEvent.STARTTLS).build(), out::add);
        atTheGap.stitch(STREAM, at("C", 60_000, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).containsExactly("A");
        // idle: no answer came to its STARTTLS while the log went on
        assertThat(attempts().get(0).getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
        assertThat(attempts().get(0).getError()).isEqualTo("no TLS result logged");
    }

    @Test
    void aLineOfItsOwnAtTheDeadlineStartsANewSession() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("A", 1_000, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("A", 2_000, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
        e.stitch(STREAM, at("A", 6_999, LineEvent.OTHER).build(), out::add);
        assertThat(closed()).as("within the grace the line joins").isEmpty();

        SessionEngine late = new SessionEngine(EngineSettings.defaults().withCloseGraceMs(5_000), new MapState<>(), new MapState<>(), counters);
        late.stitch(STREAM, at("A", 1_000, LineEvent.STARTTLS).build(), out::add);
        late.stitch(STREAM, at("A", 2_000, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
        late.stitch(STREAM, at("A", 7_000, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).containsExactly("A");
        assertThat(attempts().get(0).getEvidence()).hasSize(2);
        assertThat(late.openSessions()).isEqualTo(1);
    }

    @Test
    void everyDueSessionClosesAtTheFirstLineAtOrAfterItsOwnDeadlineInDeadlineOrder() {
        SessionEngine e = engine(1_000, 0);
        e.stitch(STREAM, at("A", 0, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("B", 500, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("C", 1_200, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).containsExactly("A");
        e.stitch(STREAM, at("D", 1_600, LineEvent.STARTTLS).build(), out::add); // B idle since 1 500
        assertThat(closed()).containsExactly("A", "B");
        e.stitch(STREAM, at("E", 2_200, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).containsExactly("A", "B", "C");

        e.stitch(STREAM, at("G", 2_599, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("F", 2_599, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("H", 10_000, LineEvent.STARTTLS).build(), out::add);
        // equal deadlines go by key, so both paths emit them alike
        assertThat(closed()).containsExactly("A", "B", "C", "D", "E", "F", "G");
    }

    @Test
    void aLateLineDoesNotTurnTheClockBack() {
        SessionEngine e = engine(60_000, 0);
        e.stitch(STREAM, at("A", 10_000, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("B", 5_000, LineEvent.STARTTLS).build(), out::add);
        assertThat(e.clock(STREAM)).isEqualTo(10_000);
        assertThat(clocks.get(STREAM + '\u0001' + "exchange-receive")).isEqualTo(10_000L);
        assertThat(counters.clockResets()).isZero();
        assertThat(e.openSessions()).isEqualTo(2);
    }

    @Test
    void theClockStartsBeforeAnyLine() {
        SessionEngine e = engine(1, 0);
        assertThat(e.clock(STREAM)).isEqualTo(Long.MIN_VALUE);
        assertThat(e.openSessions()).isZero();
        assertThat(e.streamKeys()).isEmpty();
    }

    @Test
    void aReopenedSessionThatHadDisconnectedEndedAndItsPendingCloseIsForgotten() {
        SessionEngine e = engine(300_000, 60_000);
        e.stitch(STREAM, at("A", 1, LineEvent.CONNECT).opensSession(true).build(), out::add);
        e.stitch(STREAM, at("A", 1, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("A", 2, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
        e.stitch(STREAM, at("A", 3, LineEvent.CONNECT).opensSession(true).build(), out::add);
        e.stitch(STREAM, at("A", 3, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).containsExactly("A");
        assertThat(attempts().get(0).getError()).isEqualTo("disconnected during the TLS handshake");
        assertThat(e.openSessions()).isEqualTo(1);

        // the old session's close at 60 002 must not close the new one of the same key
        e.stitch(STREAM, at("Z", 100_000, LineEvent.OTHER).build(), out::add);
        assertThat(closed()).containsExactly("A");
        assertThat(e.openSessions()).isEqualTo(2);
    }

    @Test
    void theEndOfTheInputClosesEverythingOnceAndForgetsPendingCloses() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("A", 1, LineEvent.STARTTLS).closesSession(true).build(), out::add);
        e.stitch(STREAM, at("B", 2, LineEvent.STARTTLS).build(), out::add);
        e.endOfInput(out::add);
        // A had ended; B was cut off in its handshake by the input's end: counted, not an attempt
        assertThat(closed()).containsExactly("A");
        assertThat(counters.cutOff()).isEqualTo(1);
        assertThat(e.openSessions()).isZero();
        assertThat(sessions.size()).isZero();

        e.stitch(STREAM, at("C", 100_000, LineEvent.STARTTLS).build(), out::add);
        e.endOfInput(out::add);
        assertThat(closed()).as("nothing is closed twice").containsExactly("A");
        assertThat(counters.cutOff()).isEqualTo(2);
    }
}
