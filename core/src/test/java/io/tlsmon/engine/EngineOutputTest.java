package io.tlsmon.engine;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.DeadLetterStage;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sealed output: each kind routes by its kind and key alone, and the dead letters are made in one place. */
class EngineOutputTest {
    private static final NegotiationAttempt ATTEMPT = NegotiationAttempt.newBuilder().setId("a").setServer("mx1")
            .setSourceKind("postfix-smtpd").setDirection(Direction.inbound).setSessionId("s").setStartTime(Instant.EPOCH)
            .setEndTime(Instant.EPOCH).setOutcome(Outcome.OK).setEvidence(List.of()).build();
    private static final Alert ALERT = Alert.newBuilder().setId("x").setType(AlertType.RAISED).setRule("failure-threshold")
            .setSeverity(Severity.WARNING).setSender("198.51.100.7").setDirection(Direction.inbound)
            .setOutcome(Outcome.NO_SHARED_CIPHER).setCount(1).setWindowMs(1).setWindowStart(Instant.EPOCH)
            .setWindowEnd(Instant.EPOCH).setFirstEvidence(new EvidenceRef("mx1", "s", Instant.EPOCH))
            .setLastEvidence(new EvidenceRef("mx1", "s", Instant.EPOCH)).setSummary("s").setRemediation("r").setTime(Instant.EPOCH).build();

    @Test
    void anAttemptCarriesTheKeyItWasGiven() {
        EngineOutput o = new EngineOutput.AttemptOut("ip:198.51.100.7", ATTEMPT);
        assertThat(o.kind()).isEqualTo(EngineOutput.Kind.ATTEMPT);
        assertThat(o.key()).isEqualTo("ip:198.51.100.7");
        assertThat(o.attempt()).isSameAs(ATTEMPT);
        assertThat(o.alert()).isNull();
        assertThat(o.deadLetter()).isNull();
    }

    @Test
    void anAlertIsKeyedByItsSender() {
        EngineOutput o = new EngineOutput.AlertOut(ALERT);
        assertThat(o.kind()).isEqualTo(EngineOutput.Kind.ALERT);
        assertThat(o.key()).isEqualTo("198.51.100.7");
        assertThat(o.alert()).isSameAs(ALERT);
        assertThat(o.attempt()).isNull();
        assertThat(o.deadLetter()).isNull();
    }

    @Test
    void aDeadLetterHasNoKey() {
        DeadLetter d = DeadLetters.ofRecord(DeadLetterStage.DESERIALIZE, "bad", "t", 0, 1L, null, null, 5);
        EngineOutput o = new EngineOutput.DeadLetterOut(d);
        assertThat(o.kind()).isEqualTo(EngineOutput.Kind.DEAD_LETTER);
        assertThat(o.key()).isNull();
        assertThat(o.deadLetter()).isSameAs(d);
        assertThat(o.attempt()).isNull();
        assertThat(o.alert()).isNull();
    }

    @Test
    void aLinesDeadLetterHoldsItsTextSourceAndPlaceOfflineAndLive() {
        LineInput offline = new LineInput("mx1|postfix", "mx1", "/var/log/mail.log", null, null, "größe", 9, 10, 20, null);
        DeadLetter d = DeadLetters.ofLine(DeadLetterStage.PARSE, "why", offline);
        assertThat(d.getStage()).isEqualTo(DeadLetterStage.PARSE);
        assertThat(d.getReason()).isEqualTo("why");
        assertThat(d.getSourceHost()).isEqualTo("mx1");
        assertThat(d.getSource()).isEqualTo("/var/log/mail.log");
        assertThat(d.getLineNumber()).isEqualTo(9);
        assertThat(d.getTopic()).isNull();
        assertThat(d.getPartition()).isNull();
        assertThat(d.getOffset()).isNull();
        assertThat(StandardCharsets.UTF_8.decode(d.getValue()).toString()).isEqualTo("größe");
        assertThat(d.getTime()).as("the arrival time").isEqualTo(Instant.ofEpochMilli(20));

        LineInput live = new LineInput("mx1|postfix", "mx1", "s", null, null, "x", 9, 10, -5,
                new LineInput.RecordPosition("raw", 2, 77));
        DeadLetter l = DeadLetters.ofLine(DeadLetterStage.CLOCK, "why", live);
        assertThat(l.getTopic()).isEqualTo("raw");
        assertThat(l.getPartition()).isEqualTo(2);
        assertThat(l.getOffset()).isEqualTo(77);
        assertThat(l.getTime()).as("never before the epoch").isEqualTo(Instant.EPOCH);
    }

    @Test
    void aRecordsDeadLetterHoldsItsBytesAsReceived() {
        DeadLetter d = DeadLetters.ofRecord(DeadLetterStage.DESERIALIZE, "not Avro", "raw", 1, 42L,
                new byte[]{1, 2}, new byte[]{3}, 1_000);
        assertThat(d.getStage()).isEqualTo(DeadLetterStage.DESERIALIZE);
        assertThat(d.getReason()).isEqualTo("not Avro");
        assertThat(d.getTopic()).isEqualTo("raw");
        assertThat(d.getPartition()).isEqualTo(1);
        assertThat(d.getOffset()).isEqualTo(42L);
        assertThat(d.getKey()).isEqualTo(ByteBuffer.wrap(new byte[]{1, 2}));
        assertThat(d.getValue()).isEqualTo(ByteBuffer.wrap(new byte[]{3}));
        assertThat(d.getTime()).isEqualTo(Instant.ofEpochMilli(1_000));

        DeadLetter empty = DeadLetters.ofRecord(DeadLetterStage.DESERIALIZE, "tombstone", "raw", null, null, null, null, -1);
        assertThat(empty.getKey()).isNull();
        assertThat(empty.getValue()).isNull();
        assertThat(empty.getTime()).isEqualTo(Instant.EPOCH);
    }
}
