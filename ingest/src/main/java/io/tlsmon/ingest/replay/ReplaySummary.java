package io.tlsmon.ingest.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What a replay did.
 *
 * @param linesPerStream lines sent per stream (file path), in stream order
 * @param linesSent      lines acknowledged by the broker
 * @param skipped        lines outside the from/to bounds
 * @param errors         lines the broker did not take (the replay failed if this is not 0)
 * @param firstTime      time of the first line sent, or null
 * @param lastTime       time of the last line sent, or null
 * @param elapsed        wall time
 * @param firstError     the first send error, or null
 */
public record ReplaySummary(Map<String, Long> linesPerStream, long linesSent, long skipped, long errors,
                            Instant firstTime, Instant lastTime, Duration elapsed, String firstError) {

    public ReplaySummary {
        linesPerStream = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(linesPerStream));
    }

    public boolean succeeded() {
        return errors == 0;
    }
}
