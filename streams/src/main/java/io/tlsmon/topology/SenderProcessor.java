package io.tlsmon.topology;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.engine.EngineCounters;
import io.tlsmon.engine.EngineOutput;
import io.tlsmon.engine.SenderEngine;
import io.tlsmon.ops.TlsmonMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The engine's sender stage over the {@value StoreNames#SENDER_STATES}, {@value StoreNames#TLS_HISTORY},
 * {@value StoreNames#ALERT_STATES}, {@value StoreNames#ALERT_RATE} and {@value StoreNames#SENDER_CLOCK}
 * stores: each attempt in, the completed attempt and its alerts forwarded, keyed by sender.
 */
final class SenderProcessor implements Processor<String, NegotiationAttempt, String, EngineOutput> {
    private final TlsmonConfig config;
    private final EngineCounters counters = new EngineCounters();
    private final TlsmonMetrics metrics = TlsmonMetrics.get();
    private ProcessorContext<String, EngineOutput> context;
    private SenderEngine engine;
    private long forwardTimestamp;

    SenderProcessor(TlsmonConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, EngineOutput> context) {
        this.context = context;
        this.engine = new SenderEngine(config.engineSettings(),
                new StoreState<>(context.getStateStore(StoreNames.SENDER_STATES)),
                new StoreState<>(context.getStateStore(StoreNames.TLS_HISTORY)),
                new StoreState<>(context.getStateStore(StoreNames.ALERT_STATES)),
                new StoreState<>(context.getStateStore(StoreNames.ALERT_RATE)),
                new StoreState<>(context.getStateStore(StoreNames.SENDER_CLOCK)), counters);
    }

    @Override
    public void process(Record<String, NegotiationAttempt> record) {
        if (record.value() == null) {
            return;
        }
        forwardTimestamp = record.timestamp();
        long suppressed = counters.alertsSuppressed();
        engine.accept(record.value(), this::forward);
        TopologyCounters.ALERTS_SUPPRESSED.addAndGet(counters.alertsSuppressed() - suppressed);
    }

    private void forward(EngineOutput o) {
        if (o instanceof EngineOutput.AttemptOut a) {
            metrics.attempt(a.attempt());
        } else if (o instanceof EngineOutput.AlertOut a) {
            metrics.alert(a.alert(), context.currentSystemTimeMs());
        }
        context.forward(new Record<>(o.key(), o, forwardTimestamp));
    }
}
