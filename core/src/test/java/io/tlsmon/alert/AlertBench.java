package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.SenderState;
import io.tlsmon.sender.Sender;
import io.tlsmon.sender.SenderStateFold;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert engine as the sender processor drives it, without Kafka: each attempt is first folded
 * into its sender's state, then given to the engine. The engine sees the in-memory store through
 * Avro bytes, as it sees RocksDB; the tests look at {@link #store} directly.
 */
final class AlertBench {
    final AlertConfig config;
    final AlertEngine engine;
    final InMemoryAlertStore store = new InMemoryAlertStore();
    private final SerialisingAlertStore engineView = new SerialisingAlertStore(store);
    private final SenderStateFold fold;
    private final Map<String, SenderState> states = new HashMap<>();

    AlertBench(AlertConfig config) {
        this.config = config;
        this.engine = new AlertEngine(config);
        this.fold = new SenderStateFold(config.failureWindowMs(), Attempts.HOUR);
    }

    AlertBench(Configs configs) {
        this(configs.build());
    }

    List<Alert> feed(NegotiationAttempt.Builder attempt) {
        return feed(attempt.build());
    }

    List<Alert> feed(NegotiationAttempt a) {
        Sender sender = Sender.of(a);
        SenderState state = states.computeIfAbsent(sender.id(), id -> fold.empty(sender, a.getStartTime().toEpochMilli()));
        fold.add(state, a);
        return engine.onAttempt(a, state, engineView);
    }

    /** Every alert of a run of attempts, in order. */
    List<Alert> feedAll(List<NegotiationAttempt.Builder> attempts) {
        List<Alert> out = new ArrayList<>();
        attempts.forEach(a -> out.addAll(feed(a)));
        return out;
    }

    /** What the stream-time punctuation does: resolve quiet alerts of every open state. */
    List<Alert> punctuate(long now) {
        List<AlertState> open = engineView.all().stream().filter(AlertState::getOpen).toList();
        return engine.resolveQuiet(open, engineView, now);
    }

    AlertState state(String sender, AlertRule rule, io.tlsmon.avro.Outcome outcome) {
        return store.get(AlertStore.key(sender, rule, outcome));
    }
}
