package io.tlsmon.ingest.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Renders progress on one terminal line, redrawn in place with {@code \r}:
 * {@code [##########..........]  52%  1,234,567 lines  85,000 lines/s  ETA 0:14}. For consoles only.
 */
public final class TerminalProgressBar implements ReplayProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream out;

    public TerminalProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onProgress(ReplayProgress p) {
        int filled = (int) Math.round(p.fraction() * WIDTH);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        out.print("\r" + render(bar, p) + (p.done() ? System.lineSeparator() : ""));
        out.flush();
    }

    static String render(String bar, ReplayProgress p) {
        return String.format(Locale.ROOT, "[%s] %3d%%  %,d lines  %,.0f lines/s  ETA %s  ", bar,
            Math.round(p.fraction() * 100), p.lines(), p.linesPerSecond(), eta(p.eta()));
    }

    static String eta(Duration d) {
        if (d == null) {
            return "--:--";
        }
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
            : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
