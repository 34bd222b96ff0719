package io.tlsmon.ingest.health;

/**
 * Start and end of one dependency's outages; synchronized, as one thread reports and any thread reads.
 * Times are epoch milliseconds given by the caller, so that a test can use its own clock.
 */
public final class OutageTracker {
    private boolean active;
    private long count;
    private long failures;
    private long closedMs;
    private long since = -1;
    private String reason;

    /** A failed attempt at {@code now}: starts an outage unless one is under way. */
    public synchronized void down(long now, String why) {
        if (!active) {
            active = true;
            count++;
            since = now;
        }
        failures++;
        reason = why;
    }

    /** A success at {@code now}: ends the outage under way, if any. Returns whether one ended. */
    public synchronized boolean up(long now) {
        if (!active) {
            return false;
        }
        closedMs += Math.max(0, now - since);
        active = false;
        since = -1;
        reason = null;
        return true;
    }

    public synchronized boolean active() {
        return active;
    }

    public synchronized Outage snapshot(long now) {
        return new Outage(active, count, failures, closedMs + (active ? Math.max(0, now - since) : 0), since, reason);
    }
}
