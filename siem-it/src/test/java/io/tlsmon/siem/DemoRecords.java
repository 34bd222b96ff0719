package io.tlsmon.siem;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.pipeline.LogPipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempts and alerts of the logs {@code tlsmon demo} ships (streams' {@code /demo/} resources),
 * classified offline as {@code tlsmon classify} does.
 */
record DemoRecords(List<NegotiationAttempt> attempts, List<Alert> alerts) {
    private static final List<String> LOGS = List.of("/demo/RECV2025030308-1.LOG", "/demo/SEND2025030308-1.LOG", "/demo/mx2-mail.log");

    static DemoRecords load() throws IOException {
        List<NegotiationAttempt> attempts = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        LogPipeline.Listener listener = new LogPipeline.Listener() {
            @Override
            public void attempt(NegotiationAttempt a) {
                attempts.add(a);
            }

            @Override
            public void alert(Alert a) {
                alerts.add(a);
            }
        };
        try (LogPipeline pipeline = new LogPipeline(LogPipeline.Options.defaults(), listener)) {
            for (String log : LOGS) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(DemoRecords.class.getResourceAsStream(log), StandardCharsets.UTF_8));
                     LogPipeline.StreamReader s = pipeline.openStream(log, Instant.parse("2025-03-04T00:00:00Z").toEpochMilli())) {
                    String line;
                    long n = 0;
                    while ((line = r.readLine()) != null) {
                        s.line(line, ++n);
                    }
                }
                pipeline.endGroup();
            }
        }
        return new DemoRecords(attempts, alerts);
    }
}
