package io.tlsmon.format;

import io.tlsmon.avro.Alert;

/** An alert as a few lines for people: what, who, why, and the fix. */
public final class AlertText {
    private AlertText() {
    }

    public static String of(Alert a) {
        StringBuilder b = new StringBuilder();
        b.append('[').append(a.getType()).append(' ').append(a.getSeverity()).append("] ")
                .append(a.getTime()).append("  ").append(a.getRule()).append("  ").append(a.getOutcome());
        if (a.getProbableCause() != null) {
            b.append(" (probably ").append(a.getProbableCause()).append(')');
        }
        b.append('\n').append("  ").append(a.getSummary()).append('\n');
        b.append("  evidence: ").append(a.getFirstEvidence().getServer()).append(" session ")
                .append(a.getFirstEvidence().getSessionId()).append(" at ").append(a.getFirstEvidence().getTime());
        if (!a.getLastEvidence().getSessionId().equals(a.getFirstEvidence().getSessionId())) {
            b.append(" .. session ").append(a.getLastEvidence().getSessionId()).append(" at ").append(a.getLastEvidence().getTime());
        }
        b.append('\n');
        if (a.getType() != io.tlsmon.avro.AlertType.RESOLVED) {
            b.append("  fix: ").append(a.getRemediation()).append('\n');
        }
        return b.toString();
    }
}
