package io.tlsmon.format;

import io.tlsmon.alert.AlertRule;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Certificate;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import io.tlsmon.classify.Outcomes;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Attempts and alerts as OCSF 1.8.0 events.
 *
 * <p>An attempt is a <b>Network Activity</b> (class 4001), not an Email Activity (4009): an attempt
 * is one SMTP session's TLS negotiation, not a message, and Email Activity requires an
 * {@code email} object (a message with its sender and recipients) that tlsmon never has, while it
 * has no {@code tls} attribute at all (it extends the base event, not the network event). Network
 * Activity carries {@code tls}, {@code src_endpoint}/{@code dst_endpoint} and
 * {@code connection_info.direction_id}; {@code app_protocol_name} says it is SMTP. Activity: Open
 * (1) when TLS was established, Fail (4) when it was not; status Success or Failure likewise.
 *
 * <p>An alert is a <b>Detection Finding</b> (2004): RAISED creates it (activity 1, status New),
 * UPDATED updates it (2, New), RESOLVED closes it (3, Resolved).
 *
 * <p>tlsmon's own fields (outcome, probable cause, TLS-RPT result and policy, evidence) are under
 * {@code unmapped.tlsmon}, the place OCSF gives source fields with no attribute of their own.
 * Attributes OCSF requires of an object are never made up: {@code tls} is written only with the
 * negotiated version, a certificate only with its issuer and serial number.
 */
final class OcsfFormat implements RecordFormatter {
    static final OcsfFormat INSTANCE = new OcsfFormat();
    static final String OCSF_VERSION = "1.8.0";

    static final int NETWORK_CATEGORY = 4;
    static final int NETWORK_ACTIVITY = 4001;
    static final int FINDINGS_CATEGORY = 2;
    static final int DETECTION_FINDING = 2004;

    private static final Pattern SHA1_HEX = Pattern.compile("[0-9A-Fa-f]{40}");

    private OcsfFormat() {
    }

    @Override
    public String attempt(NegotiationAttempt a) {
        boolean established = !Outcomes.isFailure(a.getOutcome());
        int activity = established ? 1 : 4;
        String activityName = established ? "Open" : "Fail";
        int severity = established ? (a.getOutcome() == Outcome.OK ? 1 : 2) : 3;
        Sides sides = Sides.of(a);
        return Json.object(j -> {
            j.number("class_uid", (long) NETWORK_ACTIVITY);
            j.string("class_name", "Network Activity");
            j.number("category_uid", (long) NETWORK_CATEGORY);
            j.string("category_name", "Network Activity");
            j.number("activity_id", (long) activity);
            j.string("activity_name", activityName);
            j.number("type_uid", NETWORK_ACTIVITY * 100L + activity);
            j.string("type_name", "Network Activity: " + activityName);
            j.number("time", a.getStartTime().toEpochMilli());
            j.number("start_time", a.getStartTime().toEpochMilli());
            j.number("end_time", a.getEndTime().toEpochMilli());
            j.number("duration", a.getEndTime().toEpochMilli() - a.getStartTime().toEpochMilli());
            j.number("severity_id", (long) severity);
            j.string("severity", SEVERITY_CAPTIONS.get(severity));
            j.number("status_id", established ? 1L : 2L);
            j.string("status", established ? "Success" : "Failure");
            j.string("status_code", a.getOutcome().name());
            j.string("status_detail", a.getError());
            j.string("message", "TLS negotiation " + a.getOutcome().name() + (a.getError() == null ? "" : ": " + a.getError()));
            metadata(j, a.getId(), a.getSessionId(), a.getSourceKind());
            endpoint(j, "src_endpoint", sides.client());
            endpoint(j, "dst_endpoint", sides.server());
            j.object("connection_info", c -> {
                c.number("direction_id", a.getDirection() == Direction.inbound ? 1L : 2L);
                c.string("direction", a.getDirection() == Direction.inbound ? "Inbound" : "Outbound");
                c.string("protocol_name", "tcp");
            });
            j.string("app_protocol_name", "smtp");
            if (a.getTlsVersion() != null) {
                j.object("tls", t -> {
                    t.string("version", a.getTlsVersion());
                    t.string("cipher", a.getCipher());
                    certificate(t, sides.server().certificate());
                });
            }
            j.object("unmapped", u -> u.object("tlsmon", t -> {
                t.string("record", "attempt");
                t.string("outcome", a.getOutcome().name());
                t.string("probable_cause", a.getProbableCause() == null ? null : a.getProbableCause().name());
                t.string("source_kind", a.getSourceKind());
                t.string("server", a.getServer());
                t.string("session_id", a.getSessionId());
                t.string("connector", a.getConnector());
                t.string("remote_host", a.getRemoteHost());
                t.string("remote_ip", a.getRemoteIp());
                t.string("local_endpoint", a.getLocalEndpoint());
                t.bool("tls_required", a.getTlsRequired());
                t.string("tlsrpt_result_type", a.getTlsrptResultType());
                t.string("policy_domain", a.getPolicyDomain());
                t.string("policy_type", a.getPolicyType() == null ? null : PolicyTypes.rfc8460(a.getPolicyType()));
                t.objects("evidence", a.getEvidence(), (ev, o) -> o.string("source", ev.getSource()).number("line", ev.getLine()));
                if (a.getCertificates() != null && !a.getCertificates().isEmpty()) {
                    t.objects("certificates", a.getCertificates(), (c, o) -> o
                            .string("role", c.getRole().name()).string("subject", c.getSubject())
                            .string("issuer", c.getIssuer()).string("serial_number", c.getSerialNumber())
                            .string("thumbprint", c.getThumbprint()).string("not_before", c.getNotBefore())
                            .string("not_after", c.getNotAfter()).string("alternate_names", c.getAlternateNames()));
                }
            }));
        });
    }

    @Override
    public String alert(Alert a) {
        int activity = switch (a.getType()) {
            case RAISED -> 1;
            case UPDATED -> 2;
            case RESOLVED -> 3;
        };
        String activityName = List.of("Create", "Update", "Close").get(activity - 1);
        int severity = severity(a.getSeverity());
        boolean resolved = a.getType() == AlertType.RESOLVED;
        return Json.object(j -> {
            j.number("class_uid", (long) DETECTION_FINDING);
            j.string("class_name", "Detection Finding");
            j.number("category_uid", (long) FINDINGS_CATEGORY);
            j.string("category_name", "Findings");
            j.number("activity_id", (long) activity);
            j.string("activity_name", activityName);
            j.number("type_uid", DETECTION_FINDING * 100L + activity);
            j.string("type_name", "Detection Finding: " + activityName);
            j.number("time", a.getTime().toEpochMilli());
            j.number("start_time", a.getWindowStart().toEpochMilli());
            j.number("end_time", a.getWindowEnd().toEpochMilli());
            j.number("count", a.getCount());
            j.number("severity_id", (long) severity);
            j.string("severity", SEVERITY_CAPTIONS.get(severity));
            j.number("status_id", resolved ? 4L : 1L);
            j.string("status", resolved ? "Resolved" : "New");
            j.string("message", a.getSummary());
            j.bool("is_alert", true);
            metadata(j, a.getId() + ":" + a.getType().name().toLowerCase(Locale.ROOT) + ":" + a.getTime().toEpochMilli(),
                    a.getId(), null);
            j.object("finding_info", f -> {
                f.string("uid", a.getId());
                f.string("title", a.getSummary());
                f.string("desc", AlertRule.fromLabel(a.getRule()).map(AlertRule::doc).orElse(null));
                f.strings("types", List.of(a.getRule()));
                f.object("analytic", an -> an.string("uid", a.getRule()).string("name", a.getRule())
                        .number("type_id", 1L).string("type", "Rule"));
                f.number("first_seen_time", a.getFirstEvidence().getTime().toEpochMilli());
                f.number("last_seen_time", a.getLastEvidence().getTime().toEpochMilli());
            });
            j.object("remediation", r -> r.string("desc", a.getRemediation()));
            j.object("unmapped", u -> u.object("tlsmon", t -> {
                t.string("record", "alert");
                t.string("alert_type", a.getType().name());
                t.string("rule", a.getRule());
                t.string("severity", a.getSeverity().name());
                t.string("outcome", a.getOutcome().name());
                t.string("probable_cause", a.getProbableCause() == null ? null : a.getProbableCause().name());
                t.string("sender", a.getSender());
                t.string("sender_name", a.getSenderName());
                t.string("direction", a.getDirection().name());
                t.string("destination", a.getDestination());
                t.number("window_ms", a.getWindowMs());
                t.string("tls_version", a.getTlsVersion());
                t.string("error", a.getError());
                t.object("first_evidence", o -> o.string("server", a.getFirstEvidence().getServer())
                        .string("session_id", a.getFirstEvidence().getSessionId()));
                t.object("last_evidence", o -> o.string("server", a.getLastEvidence().getServer())
                        .string("session_id", a.getLastEvidence().getSessionId()));
            }));
        });
    }

    /** OCSF severity_id: 1 Informational, 3 Medium, 5 Critical. */
    static int severity(Severity s) {
        return switch (s) {
            case INFO -> 1;
            case WARNING -> 3;
            case CRITICAL -> 5;
        };
    }

    private static final List<String> SEVERITY_CAPTIONS =
            List.of("Unknown", "Informational", "Low", "Medium", "High", "Critical", "Fatal");

    private static void metadata(Json j, String uid, String correlationUid, String logName) {
        j.object("metadata", m -> {
            m.string("version", OCSF_VERSION);
            m.object("product", p -> p.string("name", Product.NAME).string("vendor_name", Product.VENDOR)
                    .string("version", Product.VERSION));
            m.string("uid", uid);
            m.string("correlation_uid", correlationUid);
            m.string("log_name", logName);
        });
    }

    private static void endpoint(Json j, String name, Sides.Side side) {
        // network_endpoint needs one of ip, hostname, ... : a side the log names nothing of is left out.
        if (side.ip() == null && side.host() == null) {
            return;
        }
        j.object(name, e -> {
            e.string("ip", side.ip() == null ? null : side.ip().text());
            e.number("port", side.port());
            e.string("hostname", side.host());
        });
    }

    private static void certificate(Json tls, Certificate c) {
        if (c == null || c.getIssuer() == null || c.getSerialNumber() == null) {
            return;
        }
        tls.object("certificate", o -> {
            o.string("issuer", c.getIssuer());
            o.string("serial_number", c.getSerialNumber());
            o.string("subject", c.getSubject());
            Times.parseLogged(c.getNotBefore()).ifPresent(t -> o.number("created_time", t.toEpochMilli()));
            Times.parseLogged(c.getNotAfter()).ifPresent(t -> o.number("expiration_time", t.toEpochMilli()));
            if (c.getThumbprint() != null && SHA1_HEX.matcher(c.getThumbprint()).matches()) {
                o.objects("fingerprints", List.of(c.getThumbprint()), (v, f) -> f.number("algorithm_id", 2L)
                        .string("algorithm", "SHA-1").string("value", v.toUpperCase(Locale.ROOT)));
            }
            List<String> sans = EcsFormat.alternativeNames(c.getAlternateNames());
            if (sans != null) {
                o.objects("sans", sans, (n, s) -> s.string("name", n).string("type", IpLiteral.parse(n).isPresent() ? "IP Address" : "DNS Name"));
            }
        });
    }
}
