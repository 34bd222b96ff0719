package io.tlsmon.engine;

import io.tlsmon.alert.AlertConfig;
import io.tlsmon.alert.AlertRule;
import io.tlsmon.alert.AlertStore;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The sender stage: probable cause from a forward-only TLS history, sender state, the alert rules,
 * and the stage's own clock, which resolves quiet alerts and forgets old hourly counts.
 */
class SenderEngineTest {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    /** An aligned hour. */
    private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
    private static final long QUIET = 30 * MINUTE;
    private static final String EXO = "contoso-com.mail.protection.outlook.com";

    private final List<EngineOutput> out = new ArrayList<>();
    private final EngineCounters counters = new EngineCounters();
    private final MapState<SenderState> senders = new MapState<>();
    private final MapState<Long> history = new MapState<>();
    private final MapState<AlertState> alertStates = new MapState<>();
    private final MapState<Long> rates = new MapState<>();
    private final MapState<Long> clock = new MapState<>();

    /** Every failure alerts at once; success-to-failure never fires. */
    private static AlertConfig oneFailureAlerts(int maxRaisedPerHour) {
        return new AlertConfig(1, 5 * MINUTE, 1_000, QUIET, 15 * MINUTE, maxRaisedPerHour, DAY, EnumSet.noneOf(Outcome.class));
    }

    private SenderEngine engine(AlertConfig alerts) {
        return new SenderEngine(EngineSettings.defaults().withAlerts(alerts), senders, history, alertStates, rates, clock, counters);
    }

    private SenderEngine engine() {
        return engine(oneFailureAlerts(100));
    }

    private static NegotiationAttempt inbound(String ip, long t, Outcome outcome) {
        return NegotiationAttempt.newBuilder().setId("in-" + ip + "-" + t).setServer("mx1").setSourceKind("postfix-smtpd")
                .setDirection(Direction.inbound).setSessionId("smtpd" + t).setRemoteIp(ip).setRemoteHost("mail.sender.example")
                .setStartTime(Instant.ofEpochMilli(t)).setEndTime(Instant.ofEpochMilli(t + 1_000)).setOutcome(outcome)
                .setTlsVersion(versionOf(outcome)).setEvidence(List.of()).build();
    }

    private static NegotiationAttempt outbound(long t, Outcome outcome, String peer) {
        return NegotiationAttempt.newBuilder().setId("out-" + t).setServer("ex1").setSourceKind("exchange-send")
                .setDirection(Direction.outbound).setSessionId("08DD" + t).setConnector("Outbound to Office 365")
                .setRemoteHost(peer).setRemoteIp("52.101.0.1").setStartTime(Instant.ofEpochMilli(t))
                .setEndTime(Instant.ofEpochMilli(t + 1_000)).setOutcome(outcome).setTlsVersion(versionOf(outcome))
                .setEvidence(List.of()).build();
    }

    private static String versionOf(Outcome outcome) {
        return switch (outcome) {
            case OK -> "TLSv1.2";
            case DEPRECATED_PROTOCOL -> "TLSv1";
            default -> null;
        };
    }

    private List<NegotiationAttempt> attempts() {
        return out.stream().filter(o -> o.kind() == EngineOutput.Kind.ATTEMPT).map(EngineOutput::attempt).toList();
    }

    private List<Alert> alerts() {
        return out.stream().filter(o -> o.kind() == EngineOutput.Kind.ALERT).map(EngineOutput::alert).toList();
    }

    // ---------------------------------------------------------------- probable cause and history

    @Test
    void aDropTowardsExchangeOnlineAfterADeprecatedHandshakeIsProbablyAVersionRejection() {
        SenderEngine e = engine();
        e.accept(outbound(T0, Outcome.CONNECTION_DROPPED, EXO), out::add);
        assertThat(attempts().get(0).getProbableCause()).as("no history yet").isNull();

        e.accept(outbound(T0 + MINUTE, Outcome.DEPRECATED_PROTOCOL, "mx.partner.example"), out::add);
        e.accept(outbound(T0 + 2 * MINUTE, Outcome.CONNECTION_DROPPED, EXO), out::add);
        e.accept(outbound(T0 + 3 * MINUTE, Outcome.CONNECTION_DROPPED, "mx.partner.example"), out::add);

        assertThat(attempts()).extracting(NegotiationAttempt::getProbableCause)
                .containsExactly(null, null, Outcome.PROTOCOL_VERSION_REJECTED, null);
        assertThat(alerts()).filteredOn(a -> a.getType() == AlertType.RAISED).extracting(Alert::getRule)
                .contains("exo-probable-version-rejected");
    }

    @Test
    void theHistoryKeepsTheLatestDeprecatedHandshakeByItsEndAndNeverGoesBack() {
        SenderEngine e = engine();
        e.accept(outbound(T0 + 10 * MINUTE, Outcome.DEPRECATED_PROTOCOL, "a.example"), out::add);
        assertThat(history.get("host:ex1")).isEqualTo(T0 + 10 * MINUTE + 1_000);

        // an attempt that arrives late must not make the history look older
        e.accept(outbound(T0 + 5 * MINUTE, Outcome.DEPRECATED_PROTOCOL, "a.example"), out::add);
        assertThat(history.get("host:ex1")).isEqualTo(T0 + 10 * MINUTE + 1_000);

        e.accept(outbound(T0 + 20 * MINUTE, Outcome.DEPRECATED_PROTOCOL, "a.example"), out::add);
        assertThat(history.get("host:ex1")).isEqualTo(T0 + 20 * MINUTE + 1_000);

        e.accept(outbound(T0 + 30 * MINUTE, Outcome.OK, "a.example"), out::add);
        assertThat(history.get("host:ex1")).as("a modern handshake leaves it").isEqualTo(T0 + 20 * MINUTE + 1_000);
        assertThat(history.size()).isEqualTo(1);
    }

    @Test
    void anInboundDropFromExchangeOnlineHasNoProbableCause() {
        SenderEngine e = engine();
        NegotiationAttempt old = inbound("40.107.1.1", T0, Outcome.DEPRECATED_PROTOCOL);
        NegotiationAttempt drop = inbound("40.107.1.1", T0 + MINUTE, Outcome.CONNECTION_DROPPED);
        drop.setRemoteHost("mail-db8eur05on2001.outbound.protection.outlook.com");
        e.accept(old, out::add);
        e.accept(drop, out::add);
        assertThat(attempts().get(1).getProbableCause()).isNull();
        assertThat(alerts()).extracting(Alert::getRule).doesNotContain("exo-probable-version-rejected");
    }

    // ---------------------------------------------------------------- sender state and outputs

    @Test
    void eachAttemptLeavesKeyedByItsSenderAfterFoldingIntoItsState() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0, Outcome.OK), out::add);
        e.accept(inbound("198.51.100.7", T0 + MINUTE, Outcome.OK), out::add);
        e.accept(outbound(T0 + 2 * MINUTE, Outcome.OK, "a.example"), out::add);
        assertThat(out).extracting(EngineOutput::kind, EngineOutput::key).containsExactly(
                tuple(EngineOutput.Kind.ATTEMPT, "198.51.100.7"),
                tuple(EngineOutput.Kind.ATTEMPT, "198.51.100.7"),
                tuple(EngineOutput.Kind.ATTEMPT, "ex1|Outbound to Office 365"));
        SenderState st = senders.get("198.51.100.7");
        assertThat(st.getTotals()).containsEntry("OK", 2L);
        assertThat(st.getFirstSeen()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(senders.size()).isEqualTo(2);
    }

    @Test
    void theAlertsOfAnAttemptFollowItAndAreCounted() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0, Outcome.NO_SHARED_CIPHER), out::add);
        assertThat(out).extracting(EngineOutput::kind).containsExactly(EngineOutput.Kind.ATTEMPT, EngineOutput.Kind.ALERT);
        assertThat(out.get(1).key()).isEqualTo("198.51.100.7");
        assertThat(counters.alerts()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- the clock

    @Test
    void theClockIsTheLatestAttemptStartAndIsKept() {
        SenderEngine e = engine();
        assertThat(e.clock()).isEqualTo(Long.MIN_VALUE);
        e.accept(inbound("198.51.100.7", T0 + 10 * MINUTE, Outcome.OK), out::add);
        e.accept(inbound("198.51.100.7", T0, Outcome.OK), out::add);
        assertThat(e.clock()).isEqualTo(T0 + 10 * MINUTE);
        assertThat(clock.get(SenderEngine.CLOCK_KEY)).isEqualTo(T0 + 10 * MINUTE);
        e.advanceTo(T0 + 5 * MINUTE, out::add);
        assertThat(e.clock()).isEqualTo(T0 + 10 * MINUTE);
        e.advanceTo(T0 + 20 * MINUTE, out::add);
        assertThat(clock.get(SenderEngine.CLOCK_KEY)).isEqualTo(T0 + 20 * MINUTE);
        assertThat(engine().clock()).as("restored").isEqualTo(T0 + 20 * MINUTE);
    }

    @Test
    void aQuietAlertIsResolvedByTheFirstAttemptOfAnySenderAtOrAfterItsDueTime() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0, Outcome.NO_SHARED_CIPHER), out::add);
        e.accept(inbound("198.51.100.7", T0 + MINUTE, Outcome.OK), out::add);
        e.accept(inbound("198.51.100.8", T0 + QUIET - 1, Outcome.OK), out::add);
        assertThat(alerts()).extracting(Alert::getType).containsExactly(AlertType.RAISED);

        out.clear();
        e.accept(inbound("198.51.100.8", T0 + QUIET, Outcome.OK), out::add);
        // the resolution comes first: it happened at the clock, before this attempt
        assertThat(out).extracting(EngineOutput::kind).containsExactly(EngineOutput.Kind.ALERT, EngineOutput.Kind.ATTEMPT);
        Alert resolved = out.get(0).alert();
        assertThat(resolved.getType()).isEqualTo(AlertType.RESOLVED);
        assertThat(resolved.getSender()).isEqualTo("198.51.100.7");
        assertThat(resolved.getTime()).isEqualTo(Instant.ofEpochMilli(T0 + QUIET));
        assertThat(counters.alerts()).isEqualTo(2);
    }

    @Test
    void advancingTheClockAloneResolvesToo() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0, Outcome.NO_SHARED_CIPHER), out::add);
        e.accept(inbound("198.51.100.7", T0 + MINUTE, Outcome.OK), out::add);
        out.clear();
        e.advanceTo(T0 + QUIET, out::add);
        assertThat(alerts()).extracting(Alert::getType).containsExactly(AlertType.RESOLVED);
        e.advanceTo(T0 + 2 * QUIET, out::add);
        assertThat(alerts()).as("once").hasSize(1);
    }

    @Test
    void aLateSuccessMakesItsAlertDueInThePastAndTheClockResolvesItWhenItNextMoves() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0, Outcome.NO_SHARED_CIPHER), out::add);
        e.accept(inbound("198.51.100.8", T0 + 40 * MINUTE, Outcome.OK), out::add);
        // the success was logged at 5 min but arrives after the clock passed 40: due at 30, already past
        e.accept(inbound("198.51.100.7", T0 + 5 * MINUTE, Outcome.OK), out::add);
        e.accept(inbound("198.51.100.9", T0 + 40 * MINUTE, Outcome.OK), out::add);
        assertThat(alerts()).as("the clock has not moved").extracting(Alert::getType).containsExactly(AlertType.RAISED);

        e.accept(inbound("198.51.100.9", T0 + 40 * MINUTE + 1, Outcome.OK), out::add);
        assertThat(alerts()).extracting(Alert::getType).containsExactly(AlertType.RAISED, AlertType.RESOLVED);
        assertThat(alerts().get(1).getTime()).isEqualTo(Instant.ofEpochMilli(T0 + 40 * MINUTE + 1));
    }

    @Test
    void anAlertStillFailingIsNotResolvedByTheClock() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0, Outcome.NO_SHARED_CIPHER), out::add);
        e.advanceTo(T0 + DAY, out::add);
        assertThat(alerts()).extracting(Alert::getType).containsExactly(AlertType.RAISED);
    }

    @Test
    void theHourlyCountsAreKeptForTheCurrentAndThePreviousHourOnly() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0 + 10 * MINUTE, Outcome.NO_SHARED_CIPHER), out::add);
        String hour0 = AlertStates.pad(T0) + "|failure-threshold";
        assertThat(rates.get(hour0)).isEqualTo(1L);

        e.accept(inbound("198.51.100.8", T0 + HOUR + 10 * MINUTE, Outcome.NO_SHARED_CIPHER), out::add);
        String hour1 = AlertStates.pad(T0 + HOUR) + "|failure-threshold";
        assertThat(rates.get(hour0)).as("a late attempt may still count against it").isEqualTo(1L);
        assertThat(rates.get(hour1)).isEqualTo(1L);

        e.advanceTo(T0 + 2 * HOUR, out::add);
        assertThat(rates.get(hour0)).isNull();
        assertThat(rates.get(hour1)).isEqualTo(1L);
        e.advanceTo(T0 + 4 * HOUR - 1, out::add);
        assertThat(rates.get(hour1)).isNull();
    }

    @Test
    void withinAnHourNothingIsForgotten() {
        SenderEngine e = engine();
        rates.put(AlertStates.pad(T0 - 3 * HOUR) + "|failure-threshold", 5L); // left by an earlier run
        e.advanceTo(T0 + 2 * HOUR, out::add);
        assertThat(rates.size()).isZero();
        rates.put(AlertStates.pad(T0 - 3 * HOUR) + "|failure-threshold", 5L);
        e.advanceTo(T0 + 2 * HOUR + 59 * MINUTE, out::add);
        assertThat(rates.size()).as("the same hour: no scan").isEqualTo(1);
    }

    // ---------------------------------------------------------------- restart

    @Test
    void aRestartedEngineRebuildsItsDueIndexSoARestoredOpenAlertStillResolves() {
        SenderEngine first = engine();
        first.accept(inbound("198.51.100.7", T0, Outcome.NO_SHARED_CIPHER), out::add);
        first.accept(inbound("198.51.100.7", T0 + MINUTE, Outcome.OK), out::add);

        out.clear();
        SenderEngine restarted = engine();
        assertThat(restarted.clock()).isEqualTo(T0 + MINUTE);
        restarted.accept(inbound("198.51.100.8", T0 + MINUTE + QUIET, Outcome.OK), out::add);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getType()).isEqualTo(AlertType.RESOLVED);
            assertThat(a.getSender()).isEqualTo("198.51.100.7");
        });
        assertThat(alertStates.get(AlertStore.key("198.51.100.7", AlertRule.FAILURE_THRESHOLD, Outcome.NO_SHARED_CIPHER)).getOpen())
                .isFalse();
    }

    @Test
    void aRestartedEngineGoesOnFromItsSenderStateAndHistory() {
        SenderEngine first = engine();
        first.accept(outbound(T0, Outcome.DEPRECATED_PROTOCOL, "a.example"), out::add);
        SenderEngine restarted = engine();
        restarted.accept(outbound(T0 + MINUTE, Outcome.CONNECTION_DROPPED, EXO), out::add);
        assertThat(attempts().get(1).getProbableCause()).isEqualTo(Outcome.PROTOCOL_VERSION_REJECTED);
        assertThat(senders.get("ex1|Outbound to Office 365").getTotals()).containsEntry("DEPRECATED_PROTOCOL", 1L)
                .containsEntry("CONNECTION_DROPPED", 1L);
    }

    // ---------------------------------------------------------------- the cap and the deprecated interval

    @Test
    void aCappedAlertIsCountedOnceAnHourAcrossARestart() {
        SenderEngine e = engine(oneFailureAlerts(1));
        e.accept(inbound("198.51.100.1", T0, Outcome.NO_SHARED_CIPHER), out::add);
        e.accept(inbound("198.51.100.2", T0 + MINUTE, Outcome.NO_SHARED_CIPHER), out::add);
        e.accept(inbound("198.51.100.2", T0 + 2 * MINUTE, Outcome.NO_SHARED_CIPHER), out::add);
        assertThat(counters.alerts()).isEqualTo(1);
        assertThat(counters.alertsSuppressed()).isEqualTo(1);

        SenderEngine restarted = engine(oneFailureAlerts(1));
        restarted.accept(inbound("198.51.100.2", T0 + 3 * MINUTE, Outcome.NO_SHARED_CIPHER), out::add);
        assertThat(counters.alertsSuppressed()).isEqualTo(1);
        restarted.accept(inbound("198.51.100.2", T0 + HOUR + 3 * MINUTE, Outcome.NO_SHARED_CIPHER), out::add);
        assertThat(counters.alerts()).as("raised in the next hour").isEqualTo(2);
    }

    @Test
    void aResolvedDeprecatedWarningIsKeptAndHoldsBackTheNextOneForADay() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0, Outcome.DEPRECATED_PROTOCOL), out::add);
        e.accept(inbound("198.51.100.7", T0 + MINUTE, Outcome.OK), out::add);
        e.advanceTo(T0 + MINUTE + QUIET, out::add);
        assertThat(alerts()).extracting(Alert::getType).containsExactly(AlertType.RAISED, AlertType.RESOLVED);

        e.accept(inbound("198.51.100.7", T0 + 2 * HOUR, Outcome.DEPRECATED_PROTOCOL), out::add);
        e.accept(inbound("198.51.100.8", T0 + DAY - 1, Outcome.OK), out::add);
        e.accept(inbound("198.51.100.7", T0 + DAY - 1, Outcome.DEPRECATED_PROTOCOL), out::add);
        assertThat(alerts()).hasSize(2);

        e.accept(inbound("198.51.100.7", T0 + DAY, Outcome.DEPRECATED_PROTOCOL), out::add);
        assertThat(alerts()).extracting(Alert::getType).containsExactly(AlertType.RAISED, AlertType.RESOLVED, AlertType.RAISED);
    }

    @Test
    void aClosedStateIsForgottenOnceItsKeepHasPassed() {
        SenderEngine e = engine();
        e.accept(inbound("198.51.100.7", T0, Outcome.NO_SHARED_CIPHER), out::add);
        e.accept(inbound("198.51.100.7", T0 + MINUTE, Outcome.OK), out::add);
        e.advanceTo(T0 + QUIET, out::add);
        assertThat(alertStates.size()).isEqualTo(1);
        // kept twice the longer of the deprecated interval and the quiet period after its last match
        e.advanceTo(T0 + 2 * DAY - 1, out::add);
        assertThat(alertStates.size()).isEqualTo(1);
        e.advanceTo(T0 + 2 * DAY, out::add);
        assertThat(alertStates.size()).isZero();
    }
}
