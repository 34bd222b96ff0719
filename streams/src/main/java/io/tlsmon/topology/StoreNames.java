package io.tlsmon.topology;

/**
 * The names of every state store and internal topic. They are part of the deployed application:
 * renaming one orphans its changelog and loses its state, so never rename them. The indexes the
 * engine keeps by due time (session deadlines, alerts to resolve) are not stores: they are rebuilt
 * from these when a task starts.
 */
public final class StoreNames {
    /** Open SMTP sessions being stitched, by {@code sourceKind|server|sessionId}. */
    public static final String SESSIONS = "sessions";
    /** Each stream's clock: the latest line time accepted from it, by stream key. */
    public static final String STREAM_CLOCKS = "stream-clocks";
    /** The sender stage's clock: the latest attempt start it has taken. */
    public static final String SENDER_CLOCK = "sender-clock";
    /** Per-sender state, by sender id. */
    public static final String SENDER_STATES = "sender-states";
    /** When each host (outbound) or address (inbound) last negotiated a deprecated protocol. */
    public static final String TLS_HISTORY = "tls-history";
    /** Alert deduplication state, by {@code sender|rule|outcome}. */
    public static final String ALERT_STATES = "alert-states";
    /** RAISED per rule per hour, for the per-rule caps. */
    public static final String ALERT_RATE = "alert-rate";

    /** Repartition topic of classified attempts, keyed by the host or address whose history they share. */
    public static final String ATTEMPTS_BY_SENDER = "attempts-by-sender";
    /** Repartition topic of lines from third-party shippers, keyed by stream identity. */
    public static final String SHIPPED_BY_STREAM = "shipped-lines-by-stream";

    private StoreNames() {
    }
}
