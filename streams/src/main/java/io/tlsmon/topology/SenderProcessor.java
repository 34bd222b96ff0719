package io.tlsmon.topology;

import io.tlsmon.alert.AlertEngine;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.SenderState;
import io.tlsmon.classify.ProbableCause;
import io.tlsmon.classify.TlsVersions;
import io.tlsmon.sender.Sender;
import io.tlsmon.sender.SenderStateFold;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Per sender: completes each attempt with its probable cause (from the {@value StoreNames#TLS_HISTORY}
 * of its host or address), folds it into the {@value StoreNames#SENDER_STATES} store, forwards the
 * attempt keyed by sender, and forwards the alerts the rules raise. Quiet alerts are resolved on
 * stream-time punctuation as well as on the sender's next attempt.
 */
final class SenderProcessor implements Processor<String, NegotiationAttempt, String, SpecificRecord> {
    private final TlsmonConfig config;
    private final SenderStateFold fold;
    private final AlertEngine engine;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, SenderState> states;
    private KeyValueStore<String, Long> history;
    private KeyValueStore<String, AlertState> alertStates;
    private KeyValueAlertStore alerts;

    SenderProcessor(TlsmonConfig config) {
        this.config = config;
        this.fold = new SenderStateFold(config.windowSizes().stream().mapToLong(Long::longValue).toArray());
        this.engine = new AlertEngine(config.alertConfig());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.states = context.getStateStore(StoreNames.SENDER_STATES);
        this.history = context.getStateStore(StoreNames.TLS_HISTORY);
        this.alertStates = context.getStateStore(StoreNames.ALERT_STATES);
        this.alerts = new KeyValueAlertStore(alertStates, context.getStateStore(StoreNames.ALERT_RATE));
        context.schedule(Duration.ofMillis(config.getLong(TlsmonConfig.ALERT_PUNCTUATE_MS_CONFIG)),
                PunctuationType.STREAM_TIME, this::resolveQuiet);
    }

    @Override
    public void process(Record<String, NegotiationAttempt> record) {
        NegotiationAttempt a = record.value();
        if (a == null) {
            return;
        }
        String historyKey = ProbableCause.historyKey(a);
        Long lastDeprecated = history.get(historyKey);
        if (TlsVersions.isDeprecated(a.getTlsVersion())) {
            long t = a.getEndTime().toEpochMilli();
            if (lastDeprecated == null || t > lastDeprecated) {
                history.put(historyKey, t);
                lastDeprecated = t;
            }
        }
        a.setProbableCause(ProbableCause.infer(a, lastDeprecated));

        Sender sender = Sender.of(a);
        SenderState state = states.get(sender.id());
        if (state == null) {
            state = fold.empty(sender, a.getStartTime().toEpochMilli());
        }
        fold.add(state, a);
        states.put(sender.id(), state);

        long ts = record.timestamp();
        context.forward(new Record<>(sender.id(), a, ts));
        long suppressedBefore = engine.suppressed();
        for (Alert alert : engine.onAttempt(a, state, alerts)) {
            context.forward(new Record<>(alert.getSender(), alert, alert.getTime().toEpochMilli()));
        }
        TopologyCounters.ALERTS_SUPPRESSED.addAndGet(engine.suppressed() - suppressedBefore);
    }

    private void resolveQuiet(long now) {
        List<AlertState> open = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        long keep = Math.max(config.alertConfig().deprecatedIntervalMs(), config.alertConfig().quietPeriodMs()) * 2;
        try (KeyValueIterator<String, AlertState> it = alertStates.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.getOpen()) {
                    open.add(kv.value);
                } else if (now - kv.value.getLastMatch() > keep) {
                    stale.add(kv.key);
                }
            });
        }
        stale.forEach(alertStates::delete);
        for (Alert alert : engine.resolveQuiet(open, alerts, now)) {
            context.forward(new Record<>(alert.getSender(), alert, now));
        }
        alerts.pruneRatesBefore(Math.floorDiv(now, 3_600_000L) * 3_600_000L - 3_600_000L);
    }
}
