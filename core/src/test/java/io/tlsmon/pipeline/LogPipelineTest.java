package io.tlsmon.pipeline;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.LogFormat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogPipelineTest {
    private static final String HEADER = "#Log-type: SMTP Receive Protocol Log";
    private static final String FIELDS = "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";

    private static List<NegotiationAttempt> run(LogPipeline.Options options, List<String> lines, io.tlsmon.engine.EngineCounters[] counters) {
        List<NegotiationAttempt> out = new ArrayList<>();
        try (LogPipeline p = new LogPipeline(options, out::add)) {
            try (LogPipeline.StreamReader s = p.openStream("RECV2025030110-1.LOG", java.time.Instant.parse("2025-03-02T00:00:00Z").toEpochMilli())) {
                long n = 0;
                for (String l : lines) {
                    s.line(l, ++n);
                }
            }
            p.close();
            counters[0] = p.counters();
        }
        return out;
    }

    @Test
    void aSessionThatTheInputEndsInMidHandshakeIsNotCountedAsADrop() {
        io.tlsmon.engine.EngineCounters[] c = new io.tlsmon.engine.EngineCounters[1];
        List<NegotiationAttempt> attempts = run(LogPipeline.Options.defaults(), List.of(HEADER, FIELDS,
                "2025-03-01T10:00:00.000Z,EX1\\Default,08D1,0,10.0.0.5:25,192.0.2.1:5000,+,,",
                "2025-03-01T10:00:00.100Z,EX1\\Default,08D1,1,10.0.0.5:25,192.0.2.1:5000,<,STARTTLS,",
                "2025-03-01T10:00:00.200Z,EX1\\Default,08D1,2,10.0.0.5:25,192.0.2.1:5000,>,220 2.0.0 SMTP server ready,"), c);
        assertThat(attempts).isEmpty();
        assertThat(c[0].cutOff()).isEqualTo(1);
    }

    @Test
    void aSessionIdleInTheMiddleOfTheLogIsADrop() {
        io.tlsmon.engine.EngineCounters[] c = new io.tlsmon.engine.EngineCounters[1];
        List<NegotiationAttempt> attempts = run(LogPipeline.Options.defaults().withFormat(LogFormat.EXCHANGE), List.of(HEADER, FIELDS,
                "2025-03-01T10:00:00.000Z,EX1\\Default,08D1,0,10.0.0.5:25,192.0.2.1:5000,+,,",
                "2025-03-01T10:00:00.100Z,EX1\\Default,08D1,1,10.0.0.5:25,192.0.2.1:5000,<,STARTTLS,",
                "2025-03-01T10:20:00.000Z,EX1\\Default,08D2,0,10.0.0.5:25,192.0.2.2:5000,+,,"), c);
        assertThat(attempts).singleElement().extracting(NegotiationAttempt::getOutcome).isEqualTo(Outcome.CONNECTION_DROPPED);
        assertThat(c[0].cutOff()).isZero();
    }
}
