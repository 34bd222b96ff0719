package io.tlsmon.ingest.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Writes one plain line per period (and one at the end), for logs and pipes where a redrawn bar
 * would be noise: {@code replay: 52% 1,234,567 lines 85,000 lines/s 120.3/231.0 MB ETA 0:14}.
 */
public final class PeriodicProgressLine implements ReplayProgressListener {
    private final PrintStream out;
    private final long everyNanos;
    private long next;

    public PeriodicProgressLine(PrintStream out, Duration every) {
        this.out = out;
        this.everyNanos = every.toNanos();
        this.next = System.nanoTime() + everyNanos;
    }

    @Override
    public void onProgress(ReplayProgress p) {
        long now = System.nanoTime();
        if (!p.done() && now < next) {
            return;
        }
        next = now + everyNanos;
        out.println(String.format(Locale.ROOT, "replay: %d%% %,d lines %,.0f lines/s %.1f/%.1f MB ETA %s%s",
            Math.round(p.fraction() * 100), p.lines(), p.linesPerSecond(), p.bytes() / 1e6, p.totalBytes() / 1e6,
            TerminalProgressBar.eta(p.eta()), p.done() ? " (done in " + p.elapsed().toSeconds() + " s)" : ""));
        out.flush();
    }
}
