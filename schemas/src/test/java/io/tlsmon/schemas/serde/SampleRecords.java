package io.tlsmon.schemas.serde;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.WindowCounts;
import io.tlsmon.avro.RawLine;
import io.tlsmon.avro.SenderState;
import io.tlsmon.avro.Severity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One filled-in record of each generated type; our own made-up values. */
final class SampleRecords {
    static final Instant T0 = Instant.parse("2025-03-04T10:15:30.123Z");

    private SampleRecords() {
    }

    static List<SpecificRecord> all() {
        return List.of(rawLine(1), negotiationAttempt(), senderState(), alert(), deadLetter());
    }

    static RawLine rawLine(long lineNumber) {
        return RawLine.newBuilder()
                .setSourceHost("mx1.example.test")
                .setLogKind("postfix")
                .setStream("/var/log/mail.log")
                .setOffset(lineNumber * 120)
                .setLineNumber(lineNumber)
                .setLine("smtpd[4242]: SSL_accept error from unknown[192.0.2.10]: -1 (line " + lineNumber + ")")
                .setTime(T0.plusMillis(lineNumber))
                .setHeader(null)
                .build();
    }

    static NegotiationAttempt negotiationAttempt() {
        return NegotiationAttempt.newBuilder()
                .setId("a1b2c3")
                .setServer("mx1.example.test")
                .setSourceKind("postfix-smtpd")
                .setDirection(Direction.inbound)
                .setSessionId("4242")
                .setRemoteIp("192.0.2.10")
                .setRemotePort(51515)
                .setRemoteHost("client.example.test")
                .setLocalEndpoint(null)
                .setConnector("smtpd")
                .setStartTime(T0)
                .setEndTime(T0.plusSeconds(2))
                .setOutcome(Outcome.PROTOCOL_VERSION_REJECTED)
                .setTlsVersion(null)
                .setCipher(null)
                .setError("unsupported protocol")
                .setProbableCause(null)
                .setTlsRequired(true)
                .setTlsrptResultType("validation-failure")
                .setEvidence(List.of(new Evidence("/var/log/mail.log", 17L), new Evidence("/var/log/mail.log", 18L)))
                .build();
    }

    static SenderState senderState() {
        return SenderState.newBuilder()
                .setSender("192.0.2.10")
                .setSenderName("client.example.test")
                .setDirection(Direction.inbound)
                .setFirstSeen(T0)
                .setLastSeen(T0.plusSeconds(600))
                .setLastSuccess(T0.plusSeconds(60))
                .setLastSuccessVersion("TLSv1.2")
                .setLastDeprecated(null)
                .setVersionsSeen(List.of("TLSv1.2", "TLSv1"))
                .setConsecutiveFailures(3)
                .setLastOutcome(Outcome.NO_SHARED_CIPHER)
                .setLastError("no shared cipher")
                .setLastFailure(T0.plusSeconds(600))
                .setDestinations(List.of("mx1.example.test"))
                .setTotals(Map.of("OK", 10L, "NO_SHARED_CIPHER", 3L))
                .setWindows(List.of(new WindowCounts(300_000L, T0, Map.of("OK", 2, "NO_SHARED_CIPHER", 1))))
                .build();
    }

    static Alert alert() {
        EvidenceRef first = new EvidenceRef("mx1.example.test", "4242", T0);
        return Alert.newBuilder()
                .setId("alert-1")
                .setType(AlertType.RAISED)
                .setRule("failure-threshold")
                .setSeverity(Severity.CRITICAL)
                .setSender("192.0.2.10")
                .setSenderName(null)
                .setDirection(Direction.outbound)
                .setOutcome(Outcome.CERTIFICATE_EXPIRED)
                .setProbableCause(Outcome.CERTIFICATE_EXPIRED)
                .setCount(5)
                .setWindowMs(300_000)
                .setWindowStart(T0)
                .setWindowEnd(T0.plusSeconds(300))
                .setTlsVersion("TLSv1.3")
                .setError("certificate has expired")
                .setDestination("peer.example.test")
                .setFirstEvidence(first)
                .setLastEvidence(new EvidenceRef("mx1.example.test", "4250", T0.plusSeconds(290)))
                .setSummary("Five deliveries to peer.example.test failed: its certificate expired.")
                .setRemediation("Ask the admin of peer.example.test to renew its certificate.")
                .setTime(T0.plusSeconds(300))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setStage(io.tlsmon.avro.DeadLetterStage.PARSE)
                .setReason("line has 3 fields, Exchange receive logs have 9")
                .setSourceHost("ex1.example.test")
                .setSource("RECV2025030410-1.LOG")
                .setLineNumber(12L)
                .setTopic("tlsmon.raw")
                .setPartition(2)
                .setOffset(4711L)
                .setKey(ByteBuffer.wrap("ex1|exchange".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff}))
                .setTime(T0)
                .build();
    }
}
