package io.tlsmon.ingest.replay;

import java.time.Duration;

/**
 * Where a replay stands.
 *
 * @param lines          lines read so far (sent or skipped)
 * @param bytes          bytes read from disk so far (compressed bytes for .gz files)
 * @param totalBytes     bytes of all input files on disk
 * @param linesPerSecond average since the start
 * @param elapsed        time since the start
 * @param eta            estimated time left from the byte rate, or null before it can be told
 * @param done           true for the last report
 */
public record ReplayProgress(long lines, long bytes, long totalBytes, double linesPerSecond, Duration elapsed,
                             Duration eta, boolean done) {

    /** 0..1 */
    public double fraction() {
        return totalBytes <= 0 ? 1.0 : Math.min(1.0, (double) bytes / totalBytes);
    }
}
