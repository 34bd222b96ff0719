package io.tlsmon.ops;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.DeadLetterStage;
import io.tlsmon.avro.NegotiationAttempt;

import java.util.Locale;

/**
 * What this JVM's topology counted, as Prometheus families. The processors count here once, where
 * the records are made (never by reading the output topics back). A task that restarts from its
 * last commit (a thread replaced, exactly-once aborting a transaction) processes those records
 * again, so the counts are of processing and can run ahead of the topics' contents by that much.
 */
public final class TlsmonMetrics {
    /** Upper bounds of the log-time-to-alert histogram, seconds: from near-live to a replayed archive. */
    private static final double[] LAG_BOUNDS = {0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400, 604800};
    /** After the bounds, which it needs. */
    private static final TlsmonMetrics JVM = new TlsmonMetrics();

    final LabelledCounter linesIn = new LabelledCounter("tlsmon_lines_in_total",
            "Log lines read from the input topics, per mail server and log kind (as the shipper named them; empty when detected).",
            "server", "log_kind");
    final LabelledCounter attempts = new LabelledCounter("tlsmon_attempts_total",
            "Classified TLS negotiation attempts, per outcome, direction and source kind.", "outcome", "direction", "source_kind");
    final LabelledCounter alerts = new LabelledCounter("tlsmon_alerts_total",
            "Alerts emitted, per type (raised, updated, resolved), rule and severity.", "type", "rule", "severity");
    final LabelledCounter deadLetters = new LabelledCounter("tlsmon_dead_letters_total",
            "Records and lines written to the dead-letters topic, per stage.", "stage");
    final LagHistogram alertLag = new LagHistogram("tlsmon_alert_lag_seconds",
            "Raised and updated alerts: wall-clock time of emission minus the log time of their last evidence.", LAG_BOUNDS);

    final LabelledCounter alertmanagerAlerts = new LabelledCounter("tlsmon_alertmanager_alerts_total",
            "Alerts pushed to the Alertmanager, per result of the push (ok, failed: failed ones are retried, so counted again).", "result");
    final LabelledCounter alertmanagerPushes = new LabelledCounter("tlsmon_alertmanager_pushes_total",
            "Pushes (HTTP requests) to the Alertmanager, per result (ok, failed).", "result");

    TlsmonMetrics() {
        for (DeadLetterStage stage : DeadLetterStage.values()) {
            deadLetters.touch(stage.name());
        }
        alertmanagerPushes.touch("ok");
        alertmanagerPushes.touch("failed");
    }

    /** The metrics of this JVM. */
    public static TlsmonMetrics get() {
        return JVM;
    }

    public void lineIn(String server, String logKind) {
        linesIn.inc(server, logKind);
    }

    public void attempt(NegotiationAttempt a) {
        attempts.inc(a.getOutcome().name(), a.getDirection().name(), a.getSourceKind());
    }

    /** An alert leaving the topology at wall-clock {@code emittedMs}. */
    public void alert(Alert a, long emittedMs) {
        alerts.inc(a.getType().name().toLowerCase(Locale.ROOT), a.getRule(), a.getSeverity().name());
        if (a.getType() != AlertType.RESOLVED) {
            // a resolution follows a quiet period, not its evidence: its lag would measure the period
            alertLag.observe(Math.max(0, emittedMs - a.getLastEvidence().getTime().toEpochMilli()) / 1000.0);
        }
    }

    public void deadLetter(String stage) {
        deadLetters.inc(stage);
    }

    void alertmanagerPush(String result, int alerts) {
        alertmanagerPushes.inc(result);
        for (int i = 0; i < alerts; i++) {
            alertmanagerAlerts.inc(result);
        }
    }

    public LabelledCounter alertmanagerPushes() {
        return alertmanagerPushes;
    }

    public LabelledCounter attempts() {
        return attempts;
    }

    public LabelledCounter alerts() {
        return alerts;
    }

    public LabelledCounter deadLetters() {
        return deadLetters;
    }

    public LabelledCounter linesIn() {
        return linesIn;
    }

    public LagHistogram alertLag() {
        return alertLag;
    }

    void writeTo(Exposition out) {
        linesIn.writeTo(out);
        attempts.writeTo(out);
        alerts.writeTo(out);
        deadLetters.writeTo(out);
        alertLag.writeTo(out);
        alertmanagerPushes.writeTo(out);
        alertmanagerAlerts.writeTo(out);
    }
}
