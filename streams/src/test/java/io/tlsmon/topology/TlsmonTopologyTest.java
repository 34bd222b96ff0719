package io.tlsmon.topology;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TlsmonTopologyTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private TopologyFixture f;

    private TopologyFixture fixture(Map<String, Object> overrides) {
        f = new TopologyFixture(overrides);
        return f;
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    /** A line far later on another session, so that stream time passes every grace and gap. */
    private void advance(TopologyFixture f, Duration by) {
        f.exchangeReceive("RECV2025030110-9.LOG", List.of(ExchangeLines.session(T0.plus(by), "FFFF" + by.toMillis(), "192.0.2.250", null, "x").get(0)));
    }

    @Test
    void aShippedSessionBecomesOneClassifiedAttemptKeyedBySender() {
        TopologyFixture f = fixture(Map.of());
        f.exchangeReceive("RECV2025030110-1.LOG", ExchangeLines.session(T0, "08D5A1", "192.0.2.7", "SP_PROT_TLS1_2_SERVER", null));
        advance(f, Duration.ofMinutes(1));
        var out = f.attempts.readKeyValuesToList();
        assertThat(out).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("192.0.2.7");
            assertThat(kv.value.getOutcome()).isEqualTo(Outcome.OK);
            assertThat(kv.value.getTlsVersion()).isEqualTo("TLSv1.2");
            assertThat(kv.value.getServer()).isEqualTo("ex1");
            assertThat(kv.value.getRemoteHost()).isEqualTo("mail.sender.example");
            assertThat(kv.value.getEvidence()).hasSize(6);
        });
        assertThat(f.alerts.isEmpty()).isTrue();
    }

    @Test
    void linesOfASessionArrivingOutOfOrderWithinTheGraceStillMakeOneAttempt() {
        TopologyFixture f = fixture(Map.of());
        List<String> lines = new ArrayList<>(ExchangeLines.session(T0, "08D5A2", "192.0.2.8", null, "AlgorithmMismatch"));
        String failure = lines.remove(4);
        lines.add(failure); // the failure line arrives after the disconnect
        f.exchangeReceive("RECV2025030110-1.LOG", lines);
        advance(f, Duration.ofMinutes(1));
        assertThat(f.attempts.readValuesToList()).singleElement()
                .extracting(NegotiationAttempt::getOutcome).isEqualTo(Outcome.NO_SHARED_CIPHER);
    }

    @Test
    void aSessionSpanningALogRotationIsStitchedWhole() {
        TopologyFixture f = fixture(Map.of());
        List<String> lines = ExchangeLines.session(T0, "08D5A3", "192.0.2.9", "SP_PROT_TLS1_0_SERVER", null);
        f.exchangeReceive("RECV2025030110-1.LOG", lines.subList(0, 3));
        f.exchangeReceive("RECV2025030110-2.LOG", lines.subList(3, lines.size()));
        advance(f, Duration.ofMinutes(1));
        assertThat(f.attempts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getOutcome()).isEqualTo(Outcome.DEPRECATED_PROTOCOL);
            assertThat(a.getEvidence()).extracting(e -> e.getSource()).contains("RECV2025030110-1.LOG", "RECV2025030110-2.LOG");
        });
    }

    @Test
    void anIdleSessionIsClosedByStreamTime() {
        TopologyFixture f = fixture(Map.of());
        List<String> lines = ExchangeLines.session(T0, "08D5A4", "192.0.2.10", null, "x");
        f.exchangeReceive("RECV2025030110-1.LOG", lines.subList(0, 4)); // STARTTLS, 220, then nothing
        advance(f, Duration.ofMinutes(4));
        assertThat(f.attempts.isEmpty()).as("not idle for the 5 minute gap yet").isTrue();
        advance(f, Duration.ofMinutes(6));
        assertThat(f.attempts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
            assertThat(a.getError()).isEqualTo("no TLS result logged");
        });
    }

    @Test
    void aSessionLongerThanTheIdleGapButNeverIdleThatLongIsNotClosedUntilItIs() {
        TopologyFixture f = fixture(Map.of()); // idle gap 5 minutes
        List<String> lines = ExchangeLines.session(T0, "08D5A5", "192.0.2.11", null, "x");
        f.exchangeReceive("RECV2025030110-1.LOG", List.of(lines.get(0))); // opens: first deadline entry at 5m
        advance(f, Duration.ofMinutes(2));
        f.exchangeReceive("RECV2025030110-1.LOG", List.of(ExchangeLines.at(T0.plus(Duration.ofMinutes(3)), lines.get(1))));
        advance(f, Duration.ofMinutes(5).plusSeconds(1));
        assertThat(f.attempts.isEmpty()).as("5m after its first line, but its last was 2m ago").isTrue();
        f.exchangeReceive("RECV2025030110-1.LOG", List.of(ExchangeLines.at(T0.plus(Duration.ofMinutes(6)), lines.get(2))));
        advance(f, Duration.ofMinutes(8).plusSeconds(1));
        assertThat(f.attempts.isEmpty()).as("5m after its second line, but its last was 2m ago").isTrue();
        f.exchangeReceive("RECV2025030110-1.LOG", List.of(ExchangeLines.at(T0.plus(Duration.ofMinutes(9)), lines.get(3))));
        advance(f, Duration.ofMinutes(14).minusMillis(1));
        assertThat(f.attempts.isEmpty()).as("idle for just under the gap").isTrue();
        advance(f, Duration.ofMinutes(14));
        assertThat(f.attempts.readValuesToList()).as("idle for the gap: closed at once").singleElement().satisfies(a -> {
            assertThat(a.getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
            assertThat(a.getStartTime()).isEqualTo(T0);
            assertThat(a.getEndTime()).isEqualTo(T0.plus(Duration.ofMinutes(9)));
            assertThat(a.getEvidence()).hasSize(4);
        });
    }

    @Test
    void anEndedSessionClosesAfterTheGraceThoughItsFirstDeadlineEntryIsLater() {
        TopologyFixture f = fixture(Map.of());
        f.exchangeReceive("RECV2025030110-1.LOG", ExchangeLines.session(T0, "08D5A6", "192.0.2.12", "SP_PROT_TLS1_2_SERVER", null));
        advance(f, Duration.ofSeconds(4));
        assertThat(f.attempts.isEmpty()).as("within the 5 s grace").isTrue();
        advance(f, Duration.ofSeconds(6));
        assertThat(f.attempts.readValuesToList()).singleElement()
                .extracting(NegotiationAttempt::getOutcome).isEqualTo(Outcome.OK);
    }

    @Test
    void aStaleDeadlineEntryOfAnEarlierSessionWithTheSameKeyDoesNotCloseTheNextOne() {
        TopologyFixture f = fixture(Map.of());
        f.exchangeReceive("RECV2025030110-1.LOG", ExchangeLines.session(T0, "08D5A7", "192.0.2.13", "SP_PROT_TLS1_2_SERVER", null));
        advance(f, Duration.ofMinutes(1));
        assertThat(f.attempts.readValuesToList()).hasSize(1);
        List<String> again = ExchangeLines.session(T0.plus(Duration.ofMinutes(3)), "08D5A7", "192.0.2.13", null, "x");
        f.exchangeReceive("RECV2025030110-1.LOG", again.subList(0, 4)); // same session id, left idle
        advance(f, Duration.ofMinutes(5).plusSeconds(1)); // the first session's opening entry is due
        assertThat(f.attempts.isEmpty()).as("the second session has been idle 2 minutes only").isTrue();
        advance(f, Duration.ofMinutes(8).plusSeconds(1));
        assertThat(f.attempts.readValuesToList()).singleElement()
                .extracting(NegotiationAttempt::getOutcome).isEqualTo(Outcome.CONNECTION_DROPPED);
    }

    @Test
    void repeatedFailuresRaiseOnceUpdateRateLimitedAndResolveAfterAQuietPeriodWithASuccess() {
        TopologyFixture f = fixture(Map.of());
        for (int i = 0; i < 6; i++) {
            f.exchangeReceive("RECV2025030110-1.LOG",
                    ExchangeLines.session(T0.plusSeconds(i * 20L), "0A" + i, "192.0.2.11", null, "AlgorithmMismatch"));
        }
        advance(f, Duration.ofMinutes(2));
        List<Alert> raised = f.alerts.readValuesToList();
        assertThat(raised).extracting(Alert::getType, Alert::getRule, Alert::getOutcome)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(AlertType.RAISED, "failure-threshold", Outcome.NO_SHARED_CIPHER));
        Alert first = raised.get(0);
        assertThat(first.getCount()).isEqualTo(3);
        assertThat(first.getRemediation()).contains("cipher");
        assertThat(first.getFirstEvidence().getSessionId()).isEqualTo("0A2");

        // 20 minutes later, more failures: one UPDATED (the update interval is 15 minutes)
        for (int i = 0; i < 3; i++) {
            f.exchangeReceive("RECV2025030110-1.LOG",
                    ExchangeLines.session(T0.plus(Duration.ofMinutes(20)).plusSeconds(i), "0B" + i, "192.0.2.11", null, "AlgorithmMismatch"));
        }
        advance(f, Duration.ofMinutes(21));
        assertThat(f.alerts.readValuesToList()).extracting(Alert::getType, Alert::getId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertType.UPDATED, first.getId()));

        // a success, then quiet for longer than 30 minutes: RESOLVED, with the same id
        f.exchangeReceive("RECV2025030110-1.LOG",
                ExchangeLines.session(T0.plus(Duration.ofMinutes(25)), "0C1", "192.0.2.11", "SP_PROT_TLS1_2_SERVER", null));
        advance(f, Duration.ofMinutes(40));
        assertThat(f.alerts.readValuesToList()).isEmpty();
        // the sender stage's clock is the latest attempt it has taken: another sender's attempt at 60 minutes
        f.exchangeReceive("RECV2025030110-1.LOG",
                ExchangeLines.session(T0.plus(Duration.ofMinutes(60)), "0E1", "192.0.2.250", "SP_PROT_TLS1_2_SERVER", null));
        advance(f, Duration.ofMinutes(61));
        assertThat(f.alerts.readValuesToList()).extracting(Alert::getType, Alert::getId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertType.RESOLVED, first.getId()));
    }

    @Test
    void aDeprecatedProtocolWarnsOncePerSenderPerDayNotPerSession() {
        TopologyFixture f = fixture(Map.of());
        for (int i = 0; i < 10; i++) {
            f.exchangeReceive("RECV2025030110-1.LOG",
                    ExchangeLines.session(T0.plus(Duration.ofMinutes(30L * i)), "0D" + i, "192.0.2.12", "SP_PROT_TLS1_1_SERVER", null));
        }
        advance(f, Duration.ofHours(6));
        assertThat(f.alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RAISED);
            assertThat(a.getRule()).isEqualTo("deprecated-protocol");
            assertThat(a.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(a.getTlsVersion()).isEqualTo("TLSv1.1");
            assertThat(a.getRemediation()).contains("SCHANNEL");
        });
        assertThat(f.attempts.readValuesToList()).hasSize(10);
    }

    @Test
    void aSenderThatSucceededAndStartsFailingRaisesSuccessToFailure() {
        TopologyFixture f = fixture(Map.of(TlsmonConfig.ALERT_FAILURE_THRESHOLD_CONFIG, 10));
        f.exchangeReceive("RECV2025030110-1.LOG", ExchangeLines.session(T0, "0E0", "192.0.2.13", "SP_PROT_TLS1_2_SERVER", null));
        f.exchangeReceive("RECV2025030110-1.LOG", ExchangeLines.session(T0.plusSeconds(60), "0E1", "192.0.2.13", null, "CertExpired"));
        f.exchangeReceive("RECV2025030110-1.LOG", ExchangeLines.session(T0.plusSeconds(120), "0E2", "192.0.2.13", null, "CertExpired"));
        advance(f, Duration.ofMinutes(5));
        assertThat(f.alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getRule()).isEqualTo("success-to-failure");
            assertThat(a.getOutcome()).isEqualTo(Outcome.CERTIFICATE_EXPIRED);
            assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void aLineThatDoesNotParseGoesToTheDeadLettersWithItsReasonAndSource() {
        TopologyFixture f = fixture(Map.of());
        f.exchangeReceive("RECV2025030110-1.LOG", List.of("2025-03-01T10:00:00.000Z,EX1\\Default,08D5,notanumber,10.0.0.5:25,192.0.2.1:5,+,,"));
        assertThat(f.deadLetters.readValuesToList()).singleElement().satisfies(d -> {
            assertThat(d.getStage()).isEqualTo(io.tlsmon.avro.DeadLetterStage.PARSE);
            assertThat(d.getReason()).containsIgnoringCase("sequence");
            assertThat(d.getSource()).isEqualTo("RECV2025030110-1.LOG");
            assertThat(d.getSourceHost()).isEqualTo("ex1");
            assertThat(d.getLineNumber()).isEqualTo(1L);
            assertThat(new String(d.getValue().array(), StandardCharsets.UTF_8)).contains("notanumber");
        });
        assertThat(TopologyCounters.PARSE_ERRORS.get()).isPositive();
    }

    @Test
    void aRecordThatCannotBeDeserializedGoesToTheDeadLettersAndProcessingGoesOn() {
        TopologyFixture f = fixture(Map.of());
        var garbage = f.driver.createInputTopic(f.topics.rawLines().name(),
                org.apache.kafka.common.serialization.Serdes.ByteArray().serializer(),
                org.apache.kafka.common.serialization.Serdes.ByteArray().serializer());
        garbage.pipeInput("k".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 99, 1, 2, 3});
        f.exchangeReceive("RECV2025030110-1.LOG", ExchangeLines.session(T0, "08D5A5", "192.0.2.14", "SP_PROT_TLS1_2_SERVER", null));
        advance(f, Duration.ofMinutes(1));
        List<DeadLetter> letters = f.deadLetters.readValuesToList();
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.getStage()).isEqualTo(io.tlsmon.avro.DeadLetterStage.DESERIALIZE);
            assertThat(d.getTopic()).isEqualTo(f.topics.rawLines().name());
            assertThat(d.getOffset()).isEqualTo(0L);
            assertThat(d.getValue().remaining()).isEqualTo(8);
        });
        assertThat(f.attempts.readValuesToList()).hasSize(1);
    }

    @Test
    void thirdPartyLinesAreDecodedAndRekeyedByStream() {
        TopologyFixture f = fixture(Map.of());
        List<String> lines = ExchangeLines.session(T0, "08D5A6", "192.0.2.15", "SP_PROT_TLS1_0_SERVER", null);
        List<String> all = new ArrayList<>(List.of(ExchangeLines.HEADER_RECEIVE.split("\n")));
        all.addAll(lines);
        long offset = 0;
        for (String line : all) {
            String json = "{\"@timestamp\":\"" + T0 + "\",\"message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(line)
                    + ",\"host\":{\"name\":\"ex2\"},\"log\":{\"file\":{\"path\":\"C:\\\\Program Files\\\\Microsoft\\\\Exchange Server\\\\V15\\\\TransportRoles\\\\Logs\\\\FrontEnd\\\\ProtocolLog\\\\SmtpReceive\\\\RECV2025030110-1.LOG\"},\"offset\":"
                    + (offset += 100) + "}}";
            f.shipped.pipeInput(null, json.getBytes(StandardCharsets.UTF_8), T0);
        }
        // a later line of the same stream moves that stream's clock past the session's grace
        String later = ExchangeLines.session(T0.plusSeconds(60), "08D5A7", "192.0.2.16", null, "x").get(0);
        String json = "{\"@timestamp\":\"" + T0 + "\",\"message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(later)
                + ",\"host\":{\"name\":\"ex2\"},\"log\":{\"file\":{\"path\":\"C:\\\\Logs\\\\SmtpReceive\\\\RECV2025030110-1.LOG\"},\"offset\":"
                + (offset + 100) + "}}";
        f.shipped.pipeInput(null, json.getBytes(StandardCharsets.UTF_8), T0);
        assertThat(f.attempts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getServer()).isEqualTo("ex2");
            assertThat(a.getOutcome()).isEqualTo(Outcome.DEPRECATED_PROTOCOL);
        });
        assertThat(f.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aShippedRecordThatIsNoLineGoesToTheDeadLetters() {
        TopologyFixture f = fixture(Map.of());
        f.shipped.pipeInput(null, "{\"host\":{\"name\":\"ex2\"}}".getBytes(StandardCharsets.UTF_8), T0);
        assertThat(f.deadLetters.readValuesToList()).singleElement().satisfies(d -> {
            assertThat(d.getStage()).isEqualTo(io.tlsmon.avro.DeadLetterStage.ENVELOPE);
            assertThat(d.getReason()).isNotBlank();
        });
    }

    @Test
    void aLineWithoutItsOwnTimeDoesNotMoveStreamTimeToItsArrivalTime() {
        TopologyFixture f = fixture(Map.of());
        // a header line stamped with the broker's append time, years after the log it belongs to
        f.raw.pipeInput("ex1|exchange", io.tlsmon.avro.RawLine.newBuilder().setSourceHost("ex1").setLogKind("exchange")
                .setStream("RECV2025030110-1.LOG").setLineNumber(1L).setLine("#Log-type: SMTP Receive Protocol Log").build(),
                Instant.parse("2030-01-01T00:00:00Z"));
        f.exchangeReceive("RECV2025030110-1.LOG", ExchangeLines.session(T0, "08D5B1", "192.0.2.60", "SP_PROT_TLS1_2_SERVER", null));
        advance(f, Duration.ofMinutes(1));
        assertThat(f.attempts.readValuesToList()).singleElement()
                .extracting(NegotiationAttempt::getOutcome).isEqualTo(Outcome.OK);
    }
}
