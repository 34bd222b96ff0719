package io.tlsmon.engine;

import io.tlsmon.alert.AlertConfig;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.DeadLetterStage;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

/** The clocks: one per log, forward only, reset by a jump back, guarded against lines from the future. */
class SessionEngineClockTest {
    private static final String EXCHANGE = "ex1|exchange";
    private static final String POSTFIX = "mx1|postfix";
    private static final String RECEIVE_LOG = EXCHANGE + '\u0001' + "exchange-receive";
    private static final String SEND_LOG = EXCHANGE + '\u0001' + "exchange-send";
    private static final long MINUTE = 60_000L;
    private final List<EngineOutput> out = new ArrayList<>();
    private final EngineCounters counters = new EngineCounters();
    private final MapState<OpenSession> sessions = new MapState<>();
    private final MapState<Long> clocks = new MapState<>();

    private SessionEngine engine(long idleGap, long grace) {
        return new SessionEngine(EngineSettings.defaults().withIdleGapMs(idleGap).withCloseGraceMs(grace), sessions, clocks, counters);
    }

    private static ParsedLine.Builder receive(String session, long t, LineEvent e) {
        return line(SourceKind.EXCHANGE_RECEIVE, session, t, e).server("ex1");
    }

    private static ParsedLine.Builder send(String session, long t, LineEvent e) {
        return line(SourceKind.EXCHANGE_SEND, session, t, e).server("ex1").outbound(true);
    }

    private static ParsedLine.Builder smtpd(String session, long t, LineEvent e) {
        return line(SourceKind.POSTFIX_SMTPD, session, t, e);
    }

    private List<String> closed() {
        return out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(o -> o.attempt().getSessionId()).toList();
    }

    // ---------------------------------------------------------------- one clock per log

    @Test
    void theReceiveAndSendLogsOfOneServerKeepClocksOfTheirOwn() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(EXCHANGE, receive("R", 0, LineEvent.STARTTLS).build(), out::add);
        // the send log, shipped ahead of the receive log: its time closes nothing of the other
        e.stitch(EXCHANGE, send("S", 60 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).isEmpty();
        assertThat(clocks.get(RECEIVE_LOG)).isZero();
        assertThat(clocks.get(SEND_LOG)).isEqualTo(60 * MINUTE);
        assertThat(e.clock(EXCHANGE)).as("the stream's clock is its latest log's").isEqualTo(60 * MINUTE);

        e.stitch(EXCHANGE, receive("R2", 5 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).containsExactly("R");
        assertThat(e.clock(EXCHANGE)).isEqualTo(60 * MINUTE);
        assertThat(e.streamKeys()).containsExactly(EXCHANGE);
    }

    @Test
    void aStreamsClockIsItsLatestLogsWhicheverComesFirst() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(EXCHANGE, send("S", 9 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        e.stitch(EXCHANGE, receive("R", 2 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        assertThat(e.clock(EXCHANGE)).isEqualTo(9 * MINUTE);
        assertThat(e.clock(POSTFIX)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theStreamKeysAreListedOnceEachInOrder() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(POSTFIX, smtpd("a", 1, LineEvent.STARTTLS).build(), out::add);
        e.stitch(EXCHANGE, send("S", 1, LineEvent.STARTTLS).build(), out::add);
        e.stitch(EXCHANGE, receive("R", 1, LineEvent.STARTTLS).build(), out::add);
        assertThat(e.streamKeys()).containsExactly(EXCHANGE, POSTFIX);
    }

    // ---------------------------------------------------------------- advanceTo

    @Test
    void advancingAStreamMovesEachOfItsLogsAndClosesWhatIsDue() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(EXCHANGE, receive("R", 0, LineEvent.STARTTLS).build(), out::add);
        e.stitch(EXCHANGE, send("S", MINUTE, LineEvent.STARTTLS).build(), out::add);
        e.stitch(POSTFIX, smtpd("P", 0, LineEvent.STARTTLS).build(), out::add);

        e.advanceTo(EXCHANGE, 5 * MINUTE - 1, out::add);
        assertThat(closed()).isEmpty();
        e.advanceTo(EXCHANGE, 5 * MINUTE, out::add);
        assertThat(closed()).containsExactly("R");
        assertThat(clocks.get(RECEIVE_LOG)).isEqualTo(5 * MINUTE);
        assertThat(clocks.get(SEND_LOG)).isEqualTo(5 * MINUTE);
        e.advanceTo(EXCHANGE, 6 * MINUTE, out::add);
        assertThat(closed()).containsExactly("R", "S");
        assertThat(e.clock(POSTFIX)).as("another stream is not moved").isZero();
        assertThat(e.openSessions()).isEqualTo(1);
    }

    @Test
    void advancingNeverTurnsAClockBack() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(EXCHANGE, receive("R", 10 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        e.advanceTo(EXCHANGE, MINUTE, out::add);
        assertThat(e.clock(EXCHANGE)).isEqualTo(10 * MINUTE);
        assertThat(clocks.get(RECEIVE_LOG)).isEqualTo(10 * MINUTE);
        e.advanceTo("nobody|exchange", 100 * MINUTE, out::add);
        assertThat(e.streamKeys()).containsExactly(EXCHANGE);
        assertThat(closed()).isEmpty();
    }

    // ---------------------------------------------------------------- a clock set back

    @Test
    void aLineAnIdleGapBackIsLateButAFewMillisecondsMoreRestartTheLog() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(POSTFIX, smtpd("a", 10 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        e.stitch(POSTFIX, smtpd("b", 5 * MINUTE, LineEvent.TLS_FAILED).error("no shared cipher").build(), out::add);
        assertThat(counters.clockResets()).as("exactly a gap back: a late line").isZero();
        assertThat(e.clock(POSTFIX)).isEqualTo(10 * MINUTE);
        assertThat(e.openSessions()).isEqualTo(2);

        e.stitch(POSTFIX, smtpd("c", 5 * MINUTE - 1, LineEvent.STARTTLS).build(), out::add);
        assertThat(counters.clockResets()).isEqualTo(1);
        assertThat(e.clock(POSTFIX)).isEqualTo(5 * MINUTE - 1);
        assertThat(clocks.get(POSTFIX + '\u0001' + "postfix-smtpd")).isEqualTo(5 * MINUTE - 1);
        // the log's sessions ended as at the end of an input: a cut off, b classified
        assertThat(counters.cutOff()).isEqualTo(1);
        assertThat(closed()).containsExactly("b");
        assertThat(e.openSessions()).isEqualTo(1);
    }

    @Test
    void aRestartedLogGoesOnFromItsNewTime() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(POSTFIX, smtpd("a", 60 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        e.stitch(POSTFIX, smtpd("b", 0, LineEvent.STARTTLS).build(), out::add);
        e.stitch(POSTFIX, smtpd("c", 4 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).as("b is not closed by the old clock").isEmpty();
        e.stitch(POSTFIX, smtpd("d", 5 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        assertThat(closed()).containsExactly("b");
        assertThat(counters.clockResets()).isEqualTo(1);
    }

    @Test
    void theFirstLineOfALogRestartsNothing() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(POSTFIX, smtpd("a", Long.MIN_VALUE / 2, LineEvent.STARTTLS).build(), out::add);
        e.stitch(POSTFIX, smtpd("b", 0, LineEvent.STARTTLS).build(), out::add);
        assertThat(counters.clockResets()).isZero();
    }

    @Test
    void aJumpBackInOneLogLeavesTheOtherLogsOfItsStreamAlone() {
        SessionEngine e = engine(5 * MINUTE, 0);
        e.stitch(EXCHANGE, receive("R", 60 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        e.stitch(EXCHANGE, send("S", 60 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        e.stitch(EXCHANGE, send("S2", 0, LineEvent.STARTTLS).build(), out::add);
        assertThat(counters.clockResets()).isEqualTo(1);
        assertThat(counters.cutOff()).isEqualTo(1);
        assertThat(clocks.get(RECEIVE_LOG)).isEqualTo(60 * MINUTE);
        assertThat(clocks.get(SEND_LOG)).isZero();
        assertThat(e.openSessions()).isEqualTo(2);
    }

    // ---------------------------------------------------------------- lines from the future

    private static final long ARRIVAL = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private SessionEngine withMaxAhead(long maxAheadMs) {
        return new SessionEngine(new EngineSettings(5 * MINUTE, 0, ZoneOffset.UTC, EngineSettings.DEFAULT_WINDOWS_MS,
                AlertConfig.defaults(), maxAheadMs), sessions, clocks, counters);
    }

    private static LineInput postfixAt(String isoTime, int lineNumber) {
        String text = isoTime + " mx1 postfix/smtpd[" + lineNumber + "]: connect from a.example[192.0.2.1]";
        return new LineInput(POSTFIX, "mx1", "/var/log/mail.log", LogFormat.POSTFIX, null, text, lineNumber, ARRIVAL, ARRIVAL,
                new LineInput.RecordPosition("raw-lines", 3, 42));
    }

    @Test
    void aLineDatedExactlyMaxAheadAfterItsArrivalIsTakenAndOneMillisecondMoreIsNot() {
        SessionEngine e = withMaxAhead(1_000);
        e.accept(postfixAt("2026-01-01T00:00:01.000+00:00", 1), out::add);
        assertThat(out).isEmpty();
        assertThat(e.clock(POSTFIX)).isEqualTo(ARRIVAL + 1_000);

        e.accept(postfixAt("2026-01-01T00:00:01.001+00:00", 2), out::add);
        assertThat(out).singleElement().extracting(o -> o.deadLetter().getStage()).isEqualTo(DeadLetterStage.CLOCK);
        assertThat(e.clock(POSTFIX)).isEqualTo(ARRIVAL + 1_000);
        assertThat(e.openSessions()).as("no session for it").isEqualTo(1);
        assertThat(counters.clockErrors()).isEqualTo(1);
        assertThat(counters.parsed()).isEqualTo(1);
    }

    @Test
    void aLineFromTheFutureIsADeadLetterThatSaysWhereItCameFromAndWhy() {
        SessionEngine e = withMaxAhead(EngineSettings.DEFAULT_MAX_AHEAD_MS);
        e.accept(postfixAt("2026-01-03T00:00:00+00:00", 7), out::add);
        DeadLetter d = out.get(0).deadLetter();
        assertThat(out.get(0).key()).isNull();
        assertThat(d.getReason()).isEqualTo("line time 2026-01-03T00:00:00Z is more than 1440 min after the line arrived "
                + "(2026-01-01T00:00:00Z): the server's clock is wrong");
        assertThat(d.getSourceHost()).isEqualTo("mx1");
        assertThat(d.getSource()).isEqualTo("/var/log/mail.log");
        assertThat(d.getLineNumber()).isEqualTo(7);
        assertThat(d.getTopic()).isEqualTo("raw-lines");
        assertThat(d.getPartition()).isEqualTo(3);
        assertThat(d.getOffset()).isEqualTo(42);
        assertThat(StandardCharsets.UTF_8.decode(d.getValue()).toString()).startsWith("2026-01-03T00:00:00+00:00 mx1 postfix/smtpd[7]");
        assertThat(d.getTime()).isEqualTo(Instant.ofEpochMilli(ARRIVAL));
    }

    // ---------------------------------------------------------------- restart

    @Test
    void aRestartedEngineRebuildsEachLogsClockAndItsSessionsDeadlines() {
        SessionEngine first = engine(5 * MINUTE, 10_000);
        first.stitch(EXCHANGE, receive("ended", 0, LineEvent.STARTTLS).closesSession(true).build(), out::add);
        first.stitch(EXCHANGE, receive("idle", 1_000, LineEvent.STARTTLS).build(), out::add);
        first.stitch(EXCHANGE, send("far", 60 * MINUTE, LineEvent.STARTTLS).build(), out::add);

        SessionEngine restarted = engine(5 * MINUTE, 10_000);
        assertThat(restarted.openSessions()).isEqualTo(3);
        assertThat(restarted.clock(EXCHANGE)).isEqualTo(60 * MINUTE);
        assertThat(restarted.streamKeys()).containsExactly(EXCHANGE);

        // the ended one is due at its grace, the idle one at its gap, each by its own log's clock
        restarted.stitch(EXCHANGE, receive("x", 9_999, LineEvent.OTHER).build(), out::add);
        assertThat(closed()).isEmpty();
        restarted.stitch(EXCHANGE, receive("x", 10_000, LineEvent.OTHER).build(), out::add);
        assertThat(closed()).containsExactly("ended");
        restarted.stitch(EXCHANGE, receive("x", 5 * MINUTE + 1_000, LineEvent.OTHER).build(), out::add);
        assertThat(closed()).containsExactly("ended", "idle");
        assertThat(restarted.openSessions()).as("far and x").isEqualTo(2);
    }

    @Test
    void aRestartedEngineKnowsWhenItsLogsClockGoesBack() {
        SessionEngine first = engine(5 * MINUTE, 0);
        first.stitch(POSTFIX, smtpd("a", 60 * MINUTE, LineEvent.STARTTLS).build(), out::add);
        SessionEngine restarted = engine(5 * MINUTE, 0);
        restarted.stitch(POSTFIX, smtpd("b", 0, LineEvent.STARTTLS).build(), out::add);
        assertThat(counters.clockResets()).isEqualTo(1);
        assertThat(counters.cutOff()).isEqualTo(1);
    }

    @Test
    void aRestartedEngineClosesTheSessionsOfAStreamAtItsEnd() {
        SessionEngine first = engine(5 * MINUTE, 0);
        first.stitch(POSTFIX, smtpd("a", 0, LineEvent.TLS_FAILED).error("no shared cipher").build(), out::add);
        SessionEngine restarted = engine(5 * MINUTE, 0);
        restarted.endOfStream(POSTFIX, out::add);
        List<NegotiationAttempt> attempts = out.stream().map(EngineOutput::attempt).toList();
        assertThat(attempts).extracting(NegotiationAttempt::getOutcome).containsExactly(Outcome.NO_SHARED_CIPHER);
        assertThat(sessions.size()).isZero();
    }
}
