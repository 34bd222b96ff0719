package io.tlsmon.format;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.Certificate;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Severity;
import io.tlsmon.classify.Outcomes;

import java.util.Locale;
import java.util.Optional;

/**
 * Attempts and alerts as CEF lines (no syslog header: the forwarder adds its own). Device Event
 * Class IDs: {@code attempt:<OUTCOME>} and {@code alert:<rule>}, so a SIEM rule can key on them.
 * Header severity: a successful attempt 1, one on a deprecated protocol 4, a failed one 6; alerts
 * 3 (info), 6 (warning), 9 (critical). tlsmon's fields without a dictionary key go to the
 * labelled custom keys ({@code cs1..cs6}, {@code flexString1..2}, {@code cn1..2}; the TLS-RPT policy
 * domain is {@code cs4}, its type {@code flexString2}); the certificate details other than the peer's
 * subject stay in the JSON formats.
 */
final class CefFormat implements RecordFormatter {
    static final CefFormat INSTANCE = new CefFormat();

    private CefFormat() {
    }

    @Override
    public String attempt(NegotiationAttempt a) {
        boolean failed = Outcomes.isFailure(a.getOutcome());
        int severity = failed ? 6 : a.getOutcome() == io.tlsmon.avro.Outcome.OK ? 1 : 4;
        Sides sides = Sides.of(a);
        CefLine line = new CefLine("attempt:" + a.getOutcome().name(), "TLS negotiation " + a.getOutcome().name(), severity)
                .time(CefKey.RT, a.getStartTime())
                .time(CefKey.START, a.getStartTime())
                .time(CefKey.END, a.getEndTime())
                .ip(sides.client().ip(), CefKey.SRC, CefKey.C6A2, CefKey.C6A2_LABEL, "Source IPv6 Address")
                .number(CefKey.SPT, sides.client().port())
                .text(CefKey.SHOST, sides.client().host())
                .ip(sides.server().ip(), CefKey.DST, CefKey.C6A3, CefKey.C6A3_LABEL, "Destination IPv6 Address")
                .number(CefKey.DPT, sides.server().port())
                .text(CefKey.DHOST, sides.server().host())
                .text(CefKey.DVCHOST, a.getServer())
                .text(CefKey.APP, "SMTP")
                .text(CefKey.PROTO, "TCP")
                .number(CefKey.DEVICE_DIRECTION, direction(a.getDirection()))
                .text(CefKey.DEVICE_PROCESS_NAME, a.getSourceKind())
                .text(CefKey.OUTCOME, failed ? "failure" : "success")
                .text(CefKey.CAT, a.getOutcome().name())
                .text(CefKey.REASON, a.getTlsrptResultType())
                .text(CefKey.EXTERNAL_ID, a.getId())
                .text(CefKey.MSG, a.getError())
                .labelled(CefKey.CS1, CefKey.CS1_LABEL, "tlsVersion", a.getTlsVersion())
                .labelled(CefKey.CS2, CefKey.CS2_LABEL, "cipher", a.getCipher())
                .labelled(CefKey.CS3, CefKey.CS3_LABEL, "connector", a.getConnector())
                .labelled(CefKey.CS4, CefKey.CS4_LABEL, "policyDomain", a.getPolicyDomain())
                .labelled(CefKey.CS5, CefKey.CS5_LABEL, "peerCertificateSubject", peerSubject(a))
                .labelled(CefKey.CS6, CefKey.CS6_LABEL, "sessionId", a.getSessionId())
                .labelled(CefKey.FLEX_STRING1, CefKey.FLEX_STRING1_LABEL, "probableCause",
                        a.getProbableCause() == null ? null : a.getProbableCause().name())
                .labelled(CefKey.FLEX_STRING2, CefKey.FLEX_STRING2_LABEL, "policyType",
                        a.getPolicyType() == null ? null : PolicyTypes.rfc8460(a.getPolicyType()));
        if (a.getTlsRequired() != null) {
            line.number(CefKey.CN2, a.getTlsRequired() ? 1L : 0L).text(CefKey.CN2_LABEL, "tlsRequired");
        }
        if (!a.getEvidence().isEmpty()) {
            Evidence first = a.getEvidence().get(0);
            line.text(CefKey.FILE_PATH, first.getSource()).number(CefKey.CN1, first.getLine()).text(CefKey.CN1_LABEL, "evidenceLine");
        }
        return line.toString();
    }

    @Override
    public String alert(Alert a) {
        Optional<IpLiteral.Ip> senderIp = IpLiteral.parse(a.getSender());
        Optional<IpLiteral.Ip> destinationIp = IpLiteral.parse(a.getDestination());
        return new CefLine("alert:" + a.getRule(), "TLS alert " + a.getRule() + " " + a.getType().name().toLowerCase(Locale.ROOT),
                severity(a.getSeverity()))
                .time(CefKey.RT, a.getTime())
                .time(CefKey.START, a.getWindowStart())
                .time(CefKey.END, a.getWindowEnd())
                .ip(senderIp.orElse(null), CefKey.SRC, CefKey.C6A2, CefKey.C6A2_LABEL, "Source IPv6 Address")
                .text(CefKey.SHOST, a.getSenderName())
                .ip(destinationIp.orElse(null), CefKey.DST, CefKey.C6A3, CefKey.C6A3_LABEL, "Destination IPv6 Address")
                .text(CefKey.DHOST, destinationIp.isPresent() ? null : a.getDestination())
                .text(CefKey.DVCHOST, a.getLastEvidence().getServer())
                .text(CefKey.APP, "SMTP")
                .number(CefKey.DEVICE_DIRECTION, direction(a.getDirection()))
                .text(CefKey.ACT, a.getType().name())
                .text(CefKey.CAT, a.getOutcome().name())
                .text(CefKey.OUTCOME, Outcomes.isFailure(a.getOutcome()) ? "failure" : "success")
                .text(CefKey.EXTERNAL_ID, a.getId())
                .text(CefKey.MSG, a.getSummary())
                .number(CefKey.CNT, a.getCount())
                .number(CefKey.CN1, a.getWindowMs()).text(CefKey.CN1_LABEL, "windowMs")
                .labelled(CefKey.CS1, CefKey.CS1_LABEL, "sender", a.getSender())
                .labelled(CefKey.CS2, CefKey.CS2_LABEL, "tlsVersion", a.getTlsVersion())
                .labelled(CefKey.CS3, CefKey.CS3_LABEL, "remediation", a.getRemediation())
                .labelled(CefKey.CS4, CefKey.CS4_LABEL, "error", a.getError())
                .labelled(CefKey.CS5, CefKey.CS5_LABEL, "severity", a.getSeverity().name())
                .labelled(CefKey.CS6, CefKey.CS6_LABEL, "lastSessionId", a.getLastEvidence().getSessionId())
                .labelled(CefKey.FLEX_STRING1, CefKey.FLEX_STRING1_LABEL, "probableCause",
                        a.getProbableCause() == null ? null : a.getProbableCause().name())
                .toString();
    }

    static int severity(Severity s) {
        return switch (s) {
            case INFO -> 3;
            case WARNING -> 6;
            case CRITICAL -> 9;
        };
    }

    /** CEF deviceDirection: 0 inbound, 1 outbound. */
    private static long direction(Direction d) {
        return d == Direction.inbound ? 0 : 1;
    }

    private static String peerSubject(NegotiationAttempt a) {
        if (a.getCertificates() == null) {
            return null;
        }
        return a.getCertificates().stream().filter(c -> c.getRole() == io.tlsmon.avro.CertificateRole.REMOTE)
                .map(Certificate::getSubject).filter(s -> s != null).findFirst().orElse(null);
    }
}
