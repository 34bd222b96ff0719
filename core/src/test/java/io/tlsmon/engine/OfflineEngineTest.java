package io.tlsmon.engine;

import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.LogFormat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Both halves chained in memory: what {@code classify} runs. */
class OfflineEngineTest {
    private static final String STREAM = "mx1|postfix";
    private static final long T = 1_767_225_600_000L; // 2026-01-01
    private final List<EngineOutput> out = new ArrayList<>();
    private final OfflineEngine engine = new OfflineEngine(EngineSettings.defaults(), out::add);
    private int lineNumber;

    private void feed(String stream, String text) {
        engine.accept(new LineInput(STREAM, "mx1", stream, LogFormat.POSTFIX, null, text, ++lineNumber, T, T, null));
    }

    private void dropFrom(String ip, int pid, int second) {
        String at = String.format("2026-01-01T00:00:%02d+00:00 mx1 postfix/smtpd[%d]: ", second, pid);
        feed("mail.log", at + "connect from a.example[" + ip + "]");
        feed("mail.log", at + "SSL_accept error from a.example[" + ip + "]: -1");
        feed("mail.log", at + "disconnect from a.example[" + ip + "] ehlo=1 starttls=0/1 commands=1/2");
    }

    @Test
    void attemptsLeaveKeyedBySenderWithTheirAlertsAndTheDeadLettersBeside() {
        feed("mail.log", "garbage");
        for (int i = 0; i < 3; i++) {
            dropFrom("192.0.2.1", 10 + i, 1 + i);
        }
        assertThat(engine.openSessions()).as("each waits out its grace").isEqualTo(3);
        engine.endOfStream(STREAM);
        assertThat(engine.openSessions()).isZero();

        assertThat(out).extracting(EngineOutput::kind).containsExactly(EngineOutput.Kind.DEAD_LETTER,
                EngineOutput.Kind.ATTEMPT, EngineOutput.Kind.ATTEMPT, EngineOutput.Kind.ATTEMPT, EngineOutput.Kind.ALERT);
        assertThat(out.get(1).key()).as("by sender, not by history").isEqualTo("192.0.2.1");
        assertThat(out.get(1).attempt().getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
        assertThat(out.get(4).alert().getType()).isEqualTo(AlertType.RAISED);

        EngineCounters c = engine.counters();
        assertThat(c.lines()).isEqualTo(10);
        assertThat(c.parseErrors()).isEqualTo(1);
        assertThat(c.attempts()).isEqualTo(3);
        assertThat(c.alerts()).isEqualTo(1);
        assertThat(c.alertsSuppressed()).isZero();
    }

    @Test
    void theEndOfTheInputClosesWhatNoStreamEndClosed() {
        dropFrom("192.0.2.1", 10, 1);
        engine.endOfInput();
        assertThat(out).extracting(EngineOutput::kind).containsExactly(EngineOutput.Kind.ATTEMPT);
        assertThat(engine.openSessions()).isZero();
    }

    @Test
    void theEndOfAFileLetsTheNextFileOfTheStreamBeDetectedAgain() {
        OfflineEngine auto = new OfflineEngine(EngineSettings.defaults(), out::add);
        auto.accept(new LineInput(STREAM, "mx1", "f.log", null, null,
                "2026-01-01T00:00:01+00:00 mx1 postfix/smtpd[1]: connect from a.example[192.0.2.1]", 1, T, T, null));
        auto.endOfFile("mx1", "f.log");
        auto.accept(new LineInput(STREAM, "mx1", "f.log", null, null,
                "2025-12-31T10:00:00.000Z,EX1\\Default,08DD0001,0,10.0.0.5:25,198.51.100.10:2001,+,,", 1, T, T, null));
        assertThat(auto.counters().parseErrors()).isZero();
        assertThat(auto.counters().parsed()).isEqualTo(2);
    }
}
