package io.tlsmon.format;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;

/**
 * Splunk HTTP Event Collector events: the JSON body of {@code POST /services/collector/event}
 * ({@code time} in epoch seconds with the milliseconds as a fraction, {@code host} the mail server,
 * {@code source} tlsmon, {@code sourcetype} {@code tlsmon:attempt} or {@code tlsmon:alert}, the
 * site's {@code index} when it names one). The {@code event} is tlsmon's own JSON of the record
 * ({@link TlsmonJson}), so Splunk's search-time JSON extraction sees every field; {@code fields}
 * holds the few that searches filter on, indexed, each a string as HEC requires of indexed fields.
 */
final class HecFormat implements RecordFormatter {
    static final String SOURCE = "tlsmon";
    static final String ATTEMPT_SOURCETYPE = "tlsmon:attempt";
    static final String ALERT_SOURCETYPE = "tlsmon:alert";

    private final FormatOptions options;

    HecFormat(FormatOptions options) {
        this.options = options;
    }

    @Override
    public String attempt(NegotiationAttempt a) {
        return Json.object(j -> {
            j.decimal("time", Times.epochSecondsWithMillis(a.getStartTime()));
            j.string("host", a.getServer());
            j.string("source", SOURCE);
            j.string("sourcetype", ATTEMPT_SOURCETYPE);
            j.string("index", options.hecIndex());
            j.object("event", e -> TlsmonJson.attempt(a, e));
            j.object("fields", f -> {
                f.string("outcome", a.getOutcome().name());
                f.string("direction", a.getDirection().name());
                f.string("server", a.getServer());
                f.string("source_kind", a.getSourceKind());
                f.string("remote_ip", a.getRemoteIp());
                f.string("tls_version", a.getTlsVersion());
                f.string("policy_domain", a.getPolicyDomain());
                f.string("policy_type", a.getPolicyType() == null ? null : PolicyTypes.rfc8460(a.getPolicyType()));
            });
        });
    }

    @Override
    public String alert(Alert a) {
        return Json.object(j -> {
            j.decimal("time", Times.epochSecondsWithMillis(a.getTime()));
            j.string("host", a.getLastEvidence().getServer());
            j.string("source", SOURCE);
            j.string("sourcetype", ALERT_SOURCETYPE);
            j.string("index", options.hecIndex());
            j.object("event", e -> TlsmonJson.alert(a, e));
            j.object("fields", f -> {
                f.string("rule", a.getRule());
                f.string("alert_type", a.getType().name());
                f.string("severity", a.getSeverity().name());
                f.string("outcome", a.getOutcome().name());
                f.string("direction", a.getDirection().name());
                f.string("sender", a.getSender());
            });
        });
    }

}
