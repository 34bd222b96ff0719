package io.tlsmon.http;

import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import io.tlsmon.engine.EngineCounters;
import io.tlsmon.engine.MapState;
import io.tlsmon.engine.SenderEngine;
import io.tlsmon.topology.OutcomeHistory;
import io.tlsmon.topology.TlsmonConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The real sender stage of the engine over maps, read as the API reads the stores. */
final class EngineStateView implements StateView {
    final MapState<SenderState> senders = new MapState<>();
    final MapState<AlertState> alerts = new MapState<>();
    final Map<String, Long> clocks = new TreeMap<>();
    final Map<String, Long> lines = new TreeMap<>();
    final Map<String, Long> history = new TreeMap<>();
    private final SenderEngine engine;

    EngineStateView() {
        engine = new SenderEngine(new TlsmonConfig(Map.of()).engineSettings(), senders, new MapState<>(), alerts, new MapState<>(),
                new MapState<>(), new EngineCounters());
    }

    EngineStateView inbound(String ip, long t, Outcome outcome, String version) {
        engine.accept(NegotiationAttempt.newBuilder().setId("a" + ip + t).setServer("mx1").setSourceKind("postfix-smtpd")
                .setDirection(Direction.inbound).setSessionId("s" + t).setRemoteIp(ip).setRemoteHost("mail." + ip + ".example")
                .setStartTime(Instant.ofEpochMilli(t)).setEndTime(Instant.ofEpochMilli(t)).setOutcome(outcome).setTlsVersion(version)
                .setEvidence(List.of()).build(), o -> { });
        history.merge(OutcomeHistory.key(OutcomeHistory.bucketOf(t), outcome, 0), 1L, Long::sum);
        return this;
    }

    @Override
    public Answer<Optional<SenderFacts>> sender(String senderId) {
        SenderState s = senders.get(senderId);
        List<AlertState> own = new ArrayList<>();
        alerts.forEach((k, v) -> {
            if (v.getSender().equals(senderId)) {
                own.add(v);
            }
        });
        return new Answer<>(Optional.ofNullable(s).map(x -> new SenderFacts(x, own)), false);
    }

    @Override
    public Answer<List<SenderState>> senders() {
        List<SenderState> out = new ArrayList<>();
        senders.forEach((k, v) -> out.add(v));
        return new Answer<>(out, false);
    }

    @Override
    public Answer<List<AlertState>> alertStates() {
        List<AlertState> out = new ArrayList<>();
        alerts.forEach((k, v) -> out.add(v));
        return new Answer<>(out, false);
    }

    @Override
    public Answer<Map<String, Long>> logClocks() {
        return new Answer<>(clocks, false);
    }

    @Override
    public Answer<Map<String, Long>> logLines() {
        return new Answer<>(lines, false);
    }

    @Override
    public Answer<Map<String, Long>> outcomeHistory() {
        return new Answer<>(history, false);
    }
}
