package io.tlsmon.alert;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;

import java.time.Instant;
import java.util.List;

/** Classified attempts for the alert tests: one inbound sender and one outbound server by default. */
final class Attempts {
    /** An aligned hour, so that the 5-minute windows and the hourly caps start on it. */
    static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
    static final long SECOND = 1_000L;
    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    static final String SENDER_IP = "198.51.100.7";
    static final String SENDER_EHLO = "mail.sender.example";
    static final String OUR_MX = "mx1";
    static final String OUR_EXCHANGE = "ex1";
    static final String EXO_PEER = "contoso-com.mail.protection.outlook.com";
    /** The id of the outbound sender: our server and its connector. */
    static final String OUTBOUND_SENDER = OUR_EXCHANGE + "|Outbound to Office 365";

    private Attempts() {
    }

    /** A remote client that connected to our Postfix. */
    static NegotiationAttempt.Builder inbound(long t, Outcome outcome) {
        return inboundFrom(SENDER_IP, t, outcome);
    }

    static NegotiationAttempt.Builder inboundFrom(String ip, long t, Outcome outcome) {
        return NegotiationAttempt.newBuilder().setId("in-" + ip + "-" + t).setServer(OUR_MX).setSourceKind("postfix-smtpd")
                .setDirection(Direction.inbound).setSessionId("pid" + t).setRemoteIp(ip).setRemoteHost(SENDER_EHLO)
                .setConnector("smtpd").setStartTime(Instant.ofEpochMilli(t)).setEndTime(Instant.ofEpochMilli(t))
                .setOutcome(outcome).setTlsVersion(versionOf(outcome)).setEvidence(List.of());
    }

    /** Our Exchange server sending to Exchange Online. */
    static NegotiationAttempt.Builder outbound(long t, Outcome outcome) {
        return NegotiationAttempt.newBuilder().setId("out-" + t).setServer(OUR_EXCHANGE).setSourceKind("exchange-send")
                .setDirection(Direction.outbound).setSessionId("08DD" + t).setConnector("Outbound to Office 365")
                .setRemoteHost(EXO_PEER).setRemoteIp("52.101.0.1").setStartTime(Instant.ofEpochMilli(t))
                .setEndTime(Instant.ofEpochMilli(t)).setOutcome(outcome).setTlsVersion(versionOf(outcome))
                .setEvidence(List.of());
    }

    private static String versionOf(Outcome outcome) {
        return switch (outcome) {
            case OK -> "TLSv1.2";
            case DEPRECATED_PROTOCOL -> "TLSv1";
            default -> null;
        };
    }
}
