package io.tlsmon.engine;

import io.tlsmon.avro.DeadLetterStage;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

class SessionEngineTest {
    private static final String STREAM = "mx1|exchange";
    private final List<EngineOutput> out = new ArrayList<>();
    private final EngineCounters counters = new EngineCounters();
    private final MapState<OpenSession> sessions = new MapState<>();
    private final MapState<Long> clocks = new MapState<>();

    private SessionEngine engine(long idleGap, long grace) {
        return new SessionEngine(EngineSettings.defaults().withIdleGapMs(idleGap).withCloseGraceMs(grace), sessions, clocks, counters);
    }

    private List<String> attemptSessions() {
        return out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(o -> o.attempt().getSessionId()).toList();
    }

    private NegotiationAttempt onlyAttempt() {
        List<NegotiationAttempt> a = out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(EngineOutput::attempt).toList();
        assertThat(a).hasSize(1);
        return a.get(0);
    }

    @Test
    void interleavedSessionsAreKeptApartAndClosedByTheirLastLine() {
        SessionEngine e = engine(300_000, 0);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 1, LineEvent.CONNECT).opensSession(true).remoteIp("192.0.2.1").build(), out::add);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "B", 2, LineEvent.CONNECT).opensSession(true).remoteIp("192.0.2.2").build(), out::add);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 3, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "B", 4, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.2").build(), out::add);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "B", 5, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
        NegotiationAttempt b = onlyAttempt();
        assertThat(b.getSessionId()).isEqualTo("B");
        assertThat(b.getRemoteIp()).isEqualTo("192.0.2.2");
        assertThat(b.getOutcome()).isEqualTo(Outcome.OK);
        assertThat(e.openSessions()).isEqualTo(1);
        assertThat(sessions.size()).isEqualTo(1);
        // A is cut off by the end of its stream in the middle of its handshake: counted, not called a drop
        e.endOfStream(STREAM, out::add);
        assertThat(attemptSessions()).containsExactly("B");
        assertThat(counters.cutOff()).isEqualTo(1);
        assertThat(sessions.size()).isZero();
    }

    private static final String POSTFIX = "mx1|postfix";

    private void smtpdSession(SessionEngine e, long t, String ip) {
        e.stitch(POSTFIX, line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", t, LineEvent.CONNECT).opensSession(true).remoteIp(ip).build(), out::add);
        e.stitch(POSTFIX, line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", t + 1, LineEvent.DISCONNECT).closesSession(true)
                .remoteIp(ip).detail("ehlo=1 starttls=0/1 quit=1 commands=2/3").build(), out::add);
    }

    private List<NegotiationAttempt> attempts() {
        return out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(EngineOutput::attempt).toList();
    }

    @Test
    void aProcessThatCannotLoadItsKeyFailsEverySessionItServes() {
        for (long grace : new long[] {0, 5_000}) {
            out.clear();
            MapState<OpenSession> open = new MapState<>();
            SessionEngine e = new SessionEngine(EngineSettings.defaults().withIdleGapMs(300_000).withCloseGraceMs(grace),
                    open, new MapState<>(), counters);
            e.stitch(POSTFIX, line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", 10, LineEvent.PROCESS_TLS_PROBLEM)
                    .error("cannot get RSA private key from file \"/k.pem\": disabling TLS support").build(), out::add);
            smtpdSession(e, 20, "192.0.2.1");
            smtpdSession(e, 30, "192.0.2.2");
            e.endOfStream(POSTFIX, out::add);
            List<NegotiationAttempt> a = attempts();
            assertThat(a).as("close grace %d", grace).extracting(NegotiationAttempt::getRemoteIp).containsExactly("192.0.2.1", "192.0.2.2");
            assertThat(a).allSatisfy(x -> {
                assertThat(x.getOutcome()).isEqualTo(Outcome.LOCAL_CERTIFICATE_UNUSABLE);
                assertThat(x.getError()).startsWith("cannot get RSA private key");
            });
            // the warning's line is cited once, by the first session it explains
            assertThat(a.get(0).getEvidence()).extracting(ev -> ev.getLine()).contains(10L);
            assertThat(a.get(1).getEvidence()).extracting(ev -> ev.getLine()).doesNotContain(10L);
            assertThat(a.get(0).getId()).isNotEqualTo(a.get(1).getId());
            assertThat(open.size()).isZero();
        }
    }

    @Test
    void aProcessProblemNoSessionFollowsIsAnAttemptOfItsOwnAndOnlyOnce() {
        SessionEngine e = engine(60_000, 0);
        e.stitch(POSTFIX, line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", 10, LineEvent.PROCESS_TLS_PROBLEM)
                .error("cannot get RSA certificate from file \"/c.pem\": disabling TLS support").build(), out::add);
        e.stitch(POSTFIX, line(SourceKind.POSTFIX_SMTPD, "smtpd[9]", 100_000, LineEvent.CONNECT).opensSession(true).remoteIp("192.0.2.9").build(), out::add);
        assertThat(attempts()).extracting(NegotiationAttempt::getOutcome).containsExactly(Outcome.LOCAL_CERTIFICATE_UNUSABLE);
        assertThat(attempts().get(0).getRemoteIp()).isNull();

        // once a session has reported it, what is kept for the next session is no attempt when none comes
        out.clear();
        SessionEngine f = new SessionEngine(EngineSettings.defaults().withIdleGapMs(60_000).withCloseGraceMs(0),
                new MapState<>(), new MapState<>(), counters);
        f.stitch(POSTFIX, line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", 10, LineEvent.PROCESS_TLS_PROBLEM)
                .error("cannot get RSA certificate from file \"/c.pem\": disabling TLS support").build(), out::add);
        smtpdSession(f, 20, "192.0.2.1");
        f.stitch(POSTFIX, line(SourceKind.POSTFIX_SMTPD, "smtpd[9]", 500_000, LineEvent.CONNECT).opensSession(true).remoteIp("192.0.2.9").build(), out::add);
        f.endOfStream(POSTFIX, out::add);
        assertThat(attempts()).extracting(NegotiationAttempt::getRemoteIp).containsExactly("192.0.2.1");
    }

    @Test
    void theSameSessionIdOnAnotherServerIsAnotherSession() {
        SessionEngine e = engine(300_000, 0);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 1, LineEvent.STARTTLS).server("ex1").build(), out::add);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 2, LineEvent.STARTTLS).server("ex2").build(), out::add);
        assertThat(e.openSessions()).isEqualTo(2);
    }

    @Test
    void aSessionIdleLongerThanTheGapIsClosedByItsStreamsClock() {
        SessionEngine e = engine(60_000, 0);
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[1]", 0, LineEvent.STARTTLS).opensSession(true).build(), out::add);
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[2]", 59_000, LineEvent.CONNECT).opensSession(true).build(), out::add);
        assertThat(out).isEmpty();
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[3]", 60_000, LineEvent.CONNECT).opensSession(true).build(), out::add);
        // idle, not cut off: the stream went on without it, so the STARTTLS it sent got no answer
        assertThat(onlyAttempt().getSessionId()).isEqualTo("smtpd[1]");
        assertThat(onlyAttempt().getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
    }

    @Test
    void anotherStreamsClockClosesNothing() {
        SessionEngine e = engine(60_000, 0);
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[1]", 0, LineEvent.STARTTLS).opensSession(true).build(), out::add);
        // a server whose clock is an hour ahead, or a file read after this one
        e.stitch("mx9|postfix", line(SourceKind.POSTFIX_SMTPD, "smtpd[1]", 3_600_000, LineEvent.CONNECT).server("mx9").opensSession(true).build(), out::add);
        assertThat(out).isEmpty();
        assertThat(e.clock(STREAM)).isZero();
        assertThat(e.clock("mx9|postfix")).isEqualTo(3_600_000);
    }

    @Test
    void aLineLongAfterItsSessionsLastOneStartsANewSession() {
        SessionEngine e = engine(60_000, 0);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 0, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 120_000, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.2").build(), out::add);
        assertThat(onlyAttempt().getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
        assertThat(e.openSessions()).isEqualTo(1);
    }

    @Test
    void anOpeningLineClosesTheSessionBeforeIt() {
        SessionEngine e = engine(300_000, 0);
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", 1, LineEvent.STARTTLS).opensSession(true).build(), out::add);
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[7]", 2, LineEvent.CONNECT).opensSession(true).build(), out::add);
        assertThat(onlyAttempt().getEndTime().toEpochMilli()).isEqualTo(1);
        assertThat(e.openSessions()).isEqualTo(1);
    }

    @Test
    void aLateLineWithinTheGraceStillJoinsItsSession() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 1_000, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 3_000, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "A", 2_000, LineEvent.TLS_FAILED).error("AlgorithmMismatch").build(), out::add);
        assertThat(out).isEmpty();
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "Z", 7_999, LineEvent.CONNECT).opensSession(true).build(), out::add);
        assertThat(out).isEmpty();
        e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "Z", 8_000, LineEvent.EHLO).build(), out::add);
        NegotiationAttempt a = onlyAttempt();
        assertThat(a.getError()).isEqualTo("AlgorithmMismatch");
        assertThat(a.getOutcome()).isEqualTo(Outcome.NO_SHARED_CIPHER);
        assertThat(a.getEvidence()).hasSize(3);
    }

    @Test
    void aRestartedEngineRebuildsItsDeadlinesAndClocksFromItsState() {
        SessionEngine first = engine(60_000, 0);
        first.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[1]", 0, LineEvent.STARTTLS).opensSession(true).build(), out::add);
        first.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[2]", 30_000, LineEvent.STARTTLS).opensSession(true).build(), out::add);
        SessionEngine restarted = engine(60_000, 0);
        assertThat(restarted.openSessions()).isEqualTo(2);
        assertThat(restarted.clock(STREAM)).isEqualTo(30_000);
        restarted.stitch(STREAM, line(SourceKind.POSTFIX_SMTPD, "smtpd[3]", 60_000, LineEvent.CONNECT).opensSession(true).build(), out::add);
        assertThat(attemptSessions()).containsExactly("smtpd[1]");
        restarted.endOfStream(STREAM, out::add);
        assertThat(counters.cutOff()).isEqualTo(1); // smtpd[2]; smtpd[3] holds no attempt
    }

    @Test
    void memoryIsBoundedByOpenSessionsNotByLogLength() {
        SessionEngine e = engine(60_000, 0);
        int maxOpen = 0;
        for (int i = 0; i < 100_000; i++) {
            String id = "s" + i;
            e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, id, i * 10L, LineEvent.CONNECT).opensSession(true).build(), out::add);
            e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, id, i * 10L + 1, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
            if (i % 3 == 0) {
                // a third never disconnect: the idle gap must still reclaim them
                e.stitch(STREAM, line(SourceKind.EXCHANGE_RECEIVE, "open" + i, i * 10L, LineEvent.STARTTLS).build(), out::add);
            }
            maxOpen = Math.max(maxOpen, e.openSessions());
        }
        // one never-closed session every 30 ms of log time, each reclaimed exactly at the 60 s gap
        assertThat(maxOpen).isLessThanOrEqualTo(60_000 / 30 + 2);
        assertThat(sessions.size()).isEqualTo(e.openSessions());
    }

    @Test
    void aLineDatedFarAfterItsArrivalIsADeadLetterAndMovesNoClock() {
        SessionEngine e = engine(300_000, 0);
        long arrival = 1_767_225_600_000L; // 2026-01-01
        String ok = "Jan  1 00:00:01 mx1 postfix/smtpd[11]: connect from a.example[192.0.2.1]";
        String future = "2099-01-01T00:00:00+00:00 mx1 postfix/smtpd[12]: connect from b.example[192.0.2.2]";
        e.accept(new LineInput(STREAM, "mx1", "mail.log", LogFormat.POSTFIX, null, ok, 1, arrival, arrival, null), out::add);
        e.accept(new LineInput(STREAM, "mx1", "mail.log", LogFormat.POSTFIX, null, future, 2, arrival, arrival, null), out::add);
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.deadLetter().getStage()).isEqualTo(DeadLetterStage.CLOCK);
            assertThat(o.deadLetter().getLineNumber()).isEqualTo(2);
            assertThat(o.deadLetter().getReason()).contains("2099-01-01");
        });
        assertThat(counters.clockErrors()).isEqualTo(1);
        assertThat(e.clock(STREAM)).isEqualTo(arrival + 1_000);
    }

    @Test
    void aClockThatGoesBackAnHourStartsTheStreamAgainInsteadOfClosingEverySessionAtOnce() {
        SessionEngine e = engine(300_000, 0);
        long arrival = 1_767_225_600_000L;
        String[] lines = {
                "2026-01-01T10:00:00+00:00 mx1 postfix/smtpd[11]: connect from a.example[192.0.2.1]",
                "2026-01-01T10:00:01+00:00 mx1 postfix/smtpd[11]: SSL_accept error from a.example[192.0.2.1]: -1",
                // the server's clock is set back an hour, mid-session of pid 12
                "2026-01-01T09:00:00+00:00 mx1 postfix/smtpd[12]: connect from b.example[192.0.2.2]",
                "2026-01-01T09:00:01+00:00 mx1 postfix/smtpd[12]: Anonymous TLS connection established from b.example[192.0.2.2]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
                "2026-01-01T09:00:02+00:00 mx1 postfix/smtpd[12]: disconnect from b.example[192.0.2.2] ehlo=2 starttls=1 quit=1 commands=4",
        };
        for (int i = 0; i < lines.length; i++) {
            e.accept(new LineInput(STREAM, "mx1", "mail.log", LogFormat.POSTFIX, null, lines[i], i + 1, arrival, arrival, null), out::add);
        }
        assertThat(counters.clockResets()).isEqualTo(1);
        assertThat(e.clock(STREAM)).isEqualTo(1_767_258_002_000L);
        // pid 11 ended as at the end of an input; pid 12 is one whole session, not three
        List<NegotiationAttempt> attempts = out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(EngineOutput::attempt).toList();
        assertThat(attempts).extracting(NegotiationAttempt::getOutcome).containsExactly(Outcome.CONNECTION_DROPPED, Outcome.OK);
        assertThat(attempts.get(1).getEvidence()).hasSize(3);
    }

    @Test
    void anUnrecognisedLineIsAParseDeadLetterButAnotherProgramsLineIsIgnored() {
        SessionEngine e = engine(300_000, 0);
        long arrival = 1_767_225_600_000L;
        e.accept(new LineInput(STREAM, "mx1", "mail.log", null, null, "Jan  1 00:00:01 mx1 CRON[5]: (root) CMD (true)", 1, arrival, arrival, null), out::add);
        e.accept(new LineInput(STREAM, "mx1", "mail.log", null, null, "garbage that is no log line", 2, arrival, arrival, null), out::add);
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.deadLetter().getStage()).isEqualTo(DeadLetterStage.PARSE);
            assertThat(o.deadLetter().getLineNumber()).isEqualTo(2);
        });
        assertThat(counters.ignored()).isEqualTo(1);
    }
}
