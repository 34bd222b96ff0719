package io.tlsmon.ops;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.EvidenceRef;

import java.time.Instant;

/**
 * One tlsmon alert as an element of Alertmanager's {@code POST /api/v2/alerts} body. The labels are
 * the alert's identity (Alertmanager de-duplicates and groups by them): they are the same for every
 * RAISED, UPDATED and RESOLVED of one episode. What changes between them goes in the annotations.
 *
 * @param raisedAt when the episode was raised (its RAISED alert's time): {@code startsAt}
 */
record AlertmanagerAlert(Alert alert, Instant raisedAt) {
    ObjectNode json() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode labels = o.putObject("labels");
        labels.put("alertname", alert.getRule());
        labels.put("rule", alert.getRule());
        labels.put("outcome", alert.getOutcome().name());
        labels.put("severity", alert.getSeverity().name().toLowerCase(java.util.Locale.ROOT));
        labels.put("sender", alert.getSender());
        labels.put("direction", alert.getDirection().name());
        ObjectNode notes = o.putObject("annotations");
        notes.put("summary", alert.getSummary());
        notes.put("remediation", alert.getRemediation());
        notes.put("evidence", pointer(alert.getLastEvidence()));
        notes.put("first_evidence", pointer(alert.getFirstEvidence()));
        notes.put("count", Long.toString(alert.getCount()));
        if (alert.getSenderName() != null) {
            notes.put("sender_name", alert.getSenderName());
        }
        if (alert.getProbableCause() != null) {
            notes.put("probable_cause", alert.getProbableCause().name());
        }
        notes.put("tlsmon_alert_id", alert.getId());
        o.put("startsAt", raisedAt.toString());
        if (alert.getType() == AlertType.RESOLVED) {
            // never before startsAt: Alertmanager would refuse the alert
            Instant end = alert.getTime().isBefore(raisedAt) ? raisedAt : alert.getTime();
            o.put("endsAt", end.toString());
        }
        return o;
    }

    /** Where to look in the logs: the server, the session and the log time of the line. */
    static String pointer(EvidenceRef e) {
        return e.getServer() + " session " + e.getSessionId() + " at " + e.getTime();
    }
}
