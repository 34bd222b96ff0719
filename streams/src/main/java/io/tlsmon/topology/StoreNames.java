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
    /** Lines parsed from each log, by the same log name as {@link #STREAM_CLOCKS}: the API's per-server line counts. */
    public static final String LOG_LINES = "log-lines";
    /** What each stream's parser remembers of its earlier lines, by stream name and the parser's own key. */
    public static final String PARSER_MEMORY = "parser-memory";
    /** Classified attempts per hour of their start, outcome and partition of the sender stage ({@link OutcomeHistory}). */
    public static final String OUTCOME_HISTORY = "outcome-history";
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

    /** TLS-RPT counts of the days not yet reported: sessions by {@code TlsRptSession#storeKey()}. */
    public static final String TLSRPT_COUNTS = "tlsrpt-counts";
    /** The TLS-RPT stage's clock (latest attempt start taken) and the first day not yet reported. */
    public static final String TLSRPT_CLOCK = "tlsrpt-clock";

    /** Repartition topic of outbound attempts with a recipient domain, keyed by that policy domain. */
    public static final String ATTEMPTS_BY_POLICY_DOMAIN = "attempts-by-policy-domain";
    /** Repartition topic of classified attempts, keyed by the host or address whose history they share. */
    public static final String ATTEMPTS_BY_SENDER = "attempts-by-sender";
    /** Repartition topic of lines from third-party shippers, keyed by stream identity. */
    public static final String SHIPPED_BY_STREAM = "shipped-lines-by-stream";

    private StoreNames() {
    }
}
