package io.tlsmon.engine;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

/** How sessions open, end, end again and are cut off; what the end of a stream and of the input close. */
class SessionEngineLifecycleTest {
    private static final String STREAM = "mx1|postfix";
    private static final String OTHER = "mx2|postfix";
    private final List<EngineOutput> out = new ArrayList<>();
    private final EngineCounters counters = new EngineCounters();
    private final MapState<OpenSession> sessions = new MapState<>();
    private final MapState<Long> clocks = new MapState<>();

    private SessionEngine engine(long idleGap, long grace) {
        return new SessionEngine(EngineSettings.defaults().withIdleGapMs(idleGap).withCloseGraceMs(grace), sessions, clocks, counters);
    }

    private static ParsedLine.Builder at(String session, long t, LineEvent e) {
        return line(SourceKind.POSTFIX_SMTPD, session, t, e).remoteIp("192.0.2.1");
    }

    private List<NegotiationAttempt> attempts() {
        return out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(EngineOutput::attempt).toList();
    }

    private List<String> closed() {
        return attempts().stream().map(NegotiationAttempt::getSessionId).toList();
    }

    @Test
    void anOpeningLineReopensASessionThatHadNotEnded() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("smtpd[1]", 1, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("smtpd[1]", 2, LineEvent.CONNECT).opensSession(true).build(), out::add);
        // pid reuse: the first session got no TLS result before the next connect
        assertThat(attempts()).singleElement().satisfies(a -> {
            assertThat(a.getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
            assertThat(a.getError()).isEqualTo("no TLS result logged");
            assertThat(a.getEndTime().toEpochMilli()).isEqualTo(1);
        });
        assertThat(e.openSessions()).isEqualTo(1);
        assertThat(sessions.get(at("smtpd[1]", 0, LineEvent.OTHER).build().stitchKey()).getFirstTime()).isEqualTo(2);
    }

    @Test
    void aLineThatIsNeitherOpeningNorEndingJoinsTheOpenSession() {
        SessionEngine e = engine(300_000, 0);
        e.stitch(STREAM, at("smtpd[1]", 1, LineEvent.CONNECT).opensSession(true).build(), out::add);
        e.stitch(STREAM, at("smtpd[1]", 2, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("smtpd[1]", 3, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.3").build(), out::add);
        e.stitch(STREAM, at("smtpd[1]", 4, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
        assertThat(attempts()).singleElement().satisfies(a -> {
            assertThat(a.getOutcome()).isEqualTo(Outcome.OK);
            assertThat(a.getEvidence()).hasSize(4);
        });
    }

    @Test
    void aSecondEndingLineWithinTheGraceIsTheNextSessions() {
        SessionEngine e = engine(300_000, 5_000);
        // two one-line attempts of one Postfix smtp process, a second apart
        e.stitch(STREAM, at("smtp[9]", 1_000, LineEvent.TLS_FAILED).error("no shared cipher").closesSession(true).build(), out::add);
        e.stitch(STREAM, at("smtp[9]", 2_000, LineEvent.TLS_FAILED).error("certificate has expired").closesSession(true).build(), out::add);
        assertThat(attempts()).extracting(NegotiationAttempt::getOutcome).containsExactly(Outcome.NO_SHARED_CIPHER);
        assertThat(e.openSessions()).isEqualTo(1);
        e.endOfInput(out::add);
        assertThat(attempts()).extracting(NegotiationAttempt::getOutcome)
                .containsExactly(Outcome.NO_SHARED_CIPHER, Outcome.CERTIFICATE_EXPIRED);
        assertThat(counters.attempts()).isEqualTo(2);
    }

    @Test
    void anEndingLineOfASessionNotYetEndedJoinsIt() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("smtpd[1]", 1, LineEvent.TLS_FAILED).error("no shared cipher").build(), out::add);
        e.stitch(STREAM, at("smtpd[1]", 2, LineEvent.DISCONNECT).closesSession(true).build(), out::add);
        e.endOfInput(out::add);
        assertThat(attempts()).singleElement().satisfies(a -> assertThat(a.getEvidence()).hasSize(2));
    }

    @Test
    void theEndOfAStreamClosesItsSessionsOnly() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("smtpd[1]", 1, LineEvent.TLS_FAILED).error("no shared cipher").build(), out::add);
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTP, "smtp[2]", 2, LineEvent.TLS_FAILED).outbound(true)
                .error("certificate has expired").build(), out::add);
        e.stitch(OTHER, at("smtpd[3]", 1, LineEvent.TLS_FAILED).server("mx2").error("unknown ca").build(), out::add);

        e.endOfStream("nobody|postfix", out::add);
        assertThat(attempts()).isEmpty();

        e.endOfStream(STREAM, out::add);
        // both logs of the stream (Postfix smtpd and smtp), log by log
        assertThat(closed()).containsExactly("smtp[2]", "smtpd[1]");
        assertThat(e.openSessions()).isEqualTo(1);

        e.endOfInput(out::add);
        assertThat(closed()).containsExactly("smtp[2]", "smtpd[1]", "smtpd[3]");
        assertThat(sessions.size()).isZero();
    }

    @Test
    void theEndOfAStreamClosesInDeadlineOrder() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("b", 10, LineEvent.TLS_FAILED).error("no shared cipher").build(), out::add);
        e.stitch(STREAM, at("a", 20, LineEvent.TLS_FAILED).error("no shared cipher").build(), out::add);
        e.stitch(STREAM, at("c", 30, LineEvent.TLS_FAILED).error("no shared cipher").closesSession(true).build(), out::add);
        e.endOfStream(STREAM, out::add);
        // c has ended: its deadline is its grace, before the others' idle gap
        assertThat(closed()).containsExactly("c", "b", "a");
    }

    @Test
    void aSessionOpenedByOneStreamIsClosedByThatStreamsEnd() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("smtpd[1]", 1, LineEvent.STARTTLS).build(), out::add);
        // the same server's session in a second stream (a file shipped twice): it joins, its deadline stays
        e.stitch(OTHER, at("smtpd[1]", 2, LineEvent.TLS_FAILED).error("no shared cipher").build(), out::add);
        e.endOfStream(OTHER, out::add);
        assertThat(attempts()).isEmpty();
        e.endOfStream(STREAM, out::add);
        assertThat(attempts()).singleElement().satisfies(a -> assertThat(a.getOutcome()).isEqualTo(Outcome.NO_SHARED_CIPHER));
        assertThat(e.openSessions()).isZero();
    }

    @Test
    void aSessionCutOffInItsHandshakeIsCountedNotClassified() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("cut", 1, LineEvent.STARTTLS).build(), out::add);
        e.stitch(STREAM, at("ready", 1, LineEvent.STARTTLS_READY).build(), out::add);
        e.endOfStream(STREAM, out::add);
        assertThat(attempts()).isEmpty();
        assertThat(counters.cutOff()).isEqualTo(2);
        assertThat(counters.attempts()).isZero();
    }

    @Test
    void aSessionWithAnOutcomeIsClassifiedAtTheEndOfItsInput() {
        SessionEngine e = engine(300_000, 5_000);
        e.stitch(STREAM, at("up", 1, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.2").build(), out::add);
        e.stitch(STREAM, at("failed", 2, LineEvent.TLS_FAILED).error("no shared cipher").build(), out::add);
        e.stitch(STREAM, at("ended", 3, LineEvent.STARTTLS).closesSession(true).build(), out::add);
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTP, "clear", 4, LineEvent.CAPABILITIES).outbound(true).build(), out::add);
        e.stitch(STREAM, at("plain", 5, LineEvent.CONNECT).opensSession(true).build(), out::add);
        e.endOfInput(out::add);
        assertThat(attempts()).extracting(NegotiationAttempt::getSessionId, NegotiationAttempt::getOutcome).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("up", Outcome.OK),
                org.assertj.core.groups.Tuple.tuple("failed", Outcome.NO_SHARED_CIPHER),
                org.assertj.core.groups.Tuple.tuple("ended", Outcome.CONNECTION_DROPPED),
                org.assertj.core.groups.Tuple.tuple("clear", Outcome.STARTTLS_NOT_OFFERED));
        // a plaintext inbound session is no attempt, and was not cut off either
        assertThat(counters.cutOff()).isZero();
        assertThat(counters.attempts()).isEqualTo(4);
    }

    @Test
    void anAttemptLeavesKeyedByWhoseTlsHistoryItShares() {
        SessionEngine e = engine(300_000, 0);
        e.stitch(STREAM, at("in", 1, LineEvent.TLS_FAILED).error("no shared cipher").closesSession(true).build(), out::add);
        e.stitch(STREAM, line(SourceKind.POSTFIX_SMTP, "out", 2, LineEvent.TLS_FAILED).outbound(true)
                .error("no shared cipher").closesSession(true).build(), out::add);
        assertThat(out).extracting(EngineOutput::key).containsExactly("ip:192.0.2.1", "host:mx1");
        assertThat(out).extracting(EngineOutput::kind).containsOnly(EngineOutput.Kind.ATTEMPT);
        assertThat(out.get(0).attempt().getProbableCause()).as("the sender stage's to infer").isNull();
    }

    @Test
    void theCountersCountEveryLineByWhatBecameOfIt() {
        SessionEngine e = engine(300_000, 0);
        long t = 1_767_225_600_000L; // 2026-01-01
        String[] lines = {
                "Jan  1 00:00:01 mx1 CRON[5]: (root) CMD (true)",
                "garbage",
                "2026-01-01T00:00:01+00:00 mx1 postfix/smtpd[12]: connect from b.example[192.0.2.2]",
                "2026-01-01T00:00:02+00:00 mx1 postfix/smtpd[12]: SSL_accept error from b.example[192.0.2.2]: -1",
                "2026-01-01T00:00:03+00:00 mx1 postfix/smtpd[12]: disconnect from b.example[192.0.2.2] ehlo=1 starttls=0/1 commands=1/2",
                "2026-01-01T00:00:04+00:00 mx1 postfix/smtpd[12]: warning: hostname does not resolve",
                "2099-01-01T00:00:00+00:00 mx1 postfix/smtpd[13]: connect from c.example[192.0.2.3]",
        };
        for (int i = 0; i < lines.length; i++) {
            e.accept(new LineInput(STREAM, "mx1", "mail.log", null, null, lines[i], i + 1, t, t, null), out::add);
        }
        assertThat(counters.lines()).isEqualTo(7);
        assertThat(counters.ignored()).isEqualTo(2);
        assertThat(counters.parseErrors()).isEqualTo(1);
        assertThat(counters.clockErrors()).isEqualTo(1);
        assertThat(counters.errors()).isEqualTo(2);
        assertThat(counters.parsed()).isEqualTo(3);
        assertThat(counters.attempts()).isEqualTo(1);
        assertThat(out).extracting(EngineOutput::kind).containsExactly(EngineOutput.Kind.DEAD_LETTER,
                EngineOutput.Kind.ATTEMPT, EngineOutput.Kind.DEAD_LETTER);
    }

    @Test
    void theEndOfAFileStartsTheStreamsFormatAfresh() {
        long t = 1_767_225_600_000L;
        String postfix = "2026-01-01T00:00:01+00:00 mx1 postfix/smtpd[12]: connect from b.example[192.0.2.2]";
        String exchange = "2025-12-31T10:00:00.000Z,EX1\\Default,08DD0001,0,10.0.0.5:25,198.51.100.10:2001,+,,";
        SessionEngine kept = engine(300_000, 0);
        kept.accept(new LineInput(STREAM, "mx1", "mail.log", null, null, postfix, 1, t, t, null), out::add);
        kept.accept(new LineInput(STREAM, "mx1", "mail.log", null, null, exchange, 2, t, t, null), out::add);
        assertThat(counters.parseErrors()).as("still Postfix's stream").isEqualTo(1);

        EngineCounters afresh = new EngineCounters();
        SessionEngine e = new SessionEngine(EngineSettings.defaults(), new MapState<>(), new MapState<>(), afresh);
        e.accept(new LineInput(STREAM, "mx1", "mail.log", null, null, postfix, 1, t, t, null), out::add);
        e.endOfFile("mx1", "mail.log");
        // the name is reused by a file of another format
        e.accept(new LineInput(STREAM, "mx1", "mail.log", null, null, exchange, 2, t, t, null), out::add);
        assertThat(afresh.parseErrors()).isZero();
    }

    @Test
    void aGivenFormatReachesTheParser() {
        SessionEngine e = engine(300_000, 0);
        long t = 1_767_225_600_000L;
        e.accept(new LineInput(STREAM, "mx1", "mail.log", LogFormat.EXIM, null,
                "2026-01-01T00:00:01+00:00 mx1 postfix/smtpd[12]: connect from b.example[192.0.2.2]", 1, t, t, null), out::add);
        assertThat(counters.parsed()).isZero();
    }
}
