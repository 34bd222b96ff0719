package io.tlsmon.format;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.NegotiationAttempt;

/**
 * tlsmon's own JSON of its records: the field names of the Avro records, every field written
 * (null where unknown), times ISO 8601 UTC as java.time.Instant writes them, and {@code "record":"attempt"} or {@code "alert"} first.
 * The {@code --output jsonl} lines of {@code classify} and {@code demo}, and the {@code event} of a
 * Splunk HEC event ({@link HecFormat}).
 */
public final class TlsmonJson {
    private TlsmonJson() {
    }

    public static String attempt(NegotiationAttempt a) {
        return Json.object(j -> attempt(a, j));
    }

    public static String alert(Alert a) {
        return Json.object(j -> alert(a, j));
    }

    static void attempt(NegotiationAttempt a, Json j) {
        j.string("record", "attempt");
        j.string("id", a.getId());
        j.string("server", a.getServer());
        j.string("sourceKind", a.getSourceKind());
        j.string("direction", a.getDirection().name());
        j.string("sessionId", a.getSessionId());
        j.stringOrNull("remoteIp", a.getRemoteIp());
        j.numberOrNull("remotePort", a.getRemotePort());
        j.stringOrNull("remoteHost", a.getRemoteHost());
        j.stringOrNull("localEndpoint", a.getLocalEndpoint());
        j.stringOrNull("connector", a.getConnector());
        j.string("startTime", a.getStartTime().toString());
        j.string("endTime", a.getEndTime().toString());
        j.string("outcome", a.getOutcome().name());
        j.stringOrNull("tlsVersion", a.getTlsVersion());
        j.stringOrNull("cipher", a.getCipher());
        j.stringOrNull("error", a.getError());
        j.stringOrNull("probableCause", a.getProbableCause() == null ? null : a.getProbableCause().name());
        j.boolOrNull("tlsRequired", a.getTlsRequired());
        j.stringOrNull("tlsrptResultType", a.getTlsrptResultType());
        j.stringOrNull("policyDomain", a.getPolicyDomain());
        j.stringOrNull("policyType", a.getPolicyType() == null ? null : a.getPolicyType().name());
        j.objects("evidence", a.getEvidence(), (e, o) -> o.string("file", e.getSource()).number("line", e.getLine()));
        if (a.getCertificates() == null) {
            j.stringOrNull("certificates", null);
        } else {
            j.objects("certificates", a.getCertificates(), (c, o) -> o
                    .string("role", c.getRole().name())
                    .stringOrNull("subject", c.getSubject())
                    .stringOrNull("issuer", c.getIssuer())
                    .stringOrNull("serialNumber", c.getSerialNumber())
                    .stringOrNull("thumbprint", c.getThumbprint())
                    .stringOrNull("notBefore", c.getNotBefore())
                    .stringOrNull("notAfter", c.getNotAfter())
                    .stringOrNull("alternateNames", c.getAlternateNames()));
        }
    }

    static void alert(Alert a, Json j) {
        j.string("record", "alert");
        j.string("id", a.getId());
        j.string("type", a.getType().name());
        j.string("rule", a.getRule());
        j.string("severity", a.getSeverity().name());
        j.string("sender", a.getSender());
        j.stringOrNull("senderName", a.getSenderName());
        j.string("direction", a.getDirection().name());
        j.string("outcome", a.getOutcome().name());
        j.stringOrNull("probableCause", a.getProbableCause() == null ? null : a.getProbableCause().name());
        j.number("count", a.getCount());
        j.number("windowMs", a.getWindowMs());
        j.string("windowStart", a.getWindowStart().toString());
        j.string("windowEnd", a.getWindowEnd().toString());
        j.stringOrNull("tlsVersion", a.getTlsVersion());
        j.stringOrNull("error", a.getError());
        j.stringOrNull("destination", a.getDestination());
        evidence(j, "firstEvidence", a.getFirstEvidence());
        evidence(j, "lastEvidence", a.getLastEvidence());
        j.string("summary", a.getSummary());
        j.string("remediation", a.getRemediation());
        j.string("time", a.getTime().toString());
    }

    private static void evidence(Json j, String name, EvidenceRef e) {
        j.object(name, o -> o.string("server", e.getServer()).string("sessionId", e.getSessionId())
                .string("time", e.getTime().toString()));
    }
}
