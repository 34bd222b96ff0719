package io.tlsmon.topology;

import io.tlsmon.avro.RawLine;
import io.tlsmon.avro.DeadLetterStage;
import io.tlsmon.engine.DeadLetters;
import io.tlsmon.engine.EngineCounters;
import io.tlsmon.engine.EngineOutput;
import io.tlsmon.engine.LineInput;
import io.tlsmon.engine.SessionEngine;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.StreamKey;
import io.tlsmon.ops.TlsmonMetrics;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine's session stage over the {@value StoreNames#SESSIONS} and {@value StoreNames#STREAM_CLOCKS}
 * stores: each raw line in, each engine output forwarded. An end-of-stream marker closes its
 * stream's sessions. The one live-only rule: a stream that has sent nothing for
 * {@code tlsmon.session.quiet.close.ms} of wall-clock time has its clock moved on by the time that
 * passed, so a server gone silent still gets its last sessions closed.
 */
final class SessionProcessor implements Processor<String, RawLine, String, EngineOutput> {
    private final TlsmonConfig config;
    private final EngineCounters counters = new EngineCounters();
    private final TlsmonMetrics metrics = TlsmonMetrics.get();
    private final Map<String, Long> lastArrivalWall = new HashMap<>();
    private ProcessorContext<String, EngineOutput> context;
    private SessionEngine engine;
    private long quietCloseMs;
    private long forwardTimestamp;

    SessionProcessor(TlsmonConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, EngineOutput> context) {
        this.context = context;
        // the stores are restored from their changelogs by now: the engine rebuilds its indexes from them
        this.engine = new SessionEngine(config.engineSettings(), new StoreState<>(context.getStateStore(StoreNames.SESSIONS)),
                new StoreState<>(context.getStateStore(StoreNames.STREAM_CLOCKS)),
                new StoreState<>(context.getStateStore(StoreNames.LOG_LINES)),
                new StoreState<>(context.getStateStore(StoreNames.PARSER_MEMORY)), counters);
        this.quietCloseMs = config.getLong(TlsmonConfig.SESSION_QUIET_CLOSE_MS_CONFIG);
        if (quietCloseMs > 0) {
            // streams restored with open sessions count as heard from now, so a silent one still closes
            engine.streamKeys().forEach(k -> lastArrivalWall.put(k, context.currentSystemTimeMs()));
            context.schedule(Duration.ofMillis(config.getLong(TlsmonConfig.SESSION_PUNCTUATE_MS_CONFIG)),
                    PunctuationType.WALL_CLOCK_TIME, this::closeQuietStreams);
        }
    }

    @Override
    public void process(Record<String, RawLine> record) {
        RawLine raw = record.value();
        if (raw == null) {
            return;
        }
        String streamKey = RawLineInputs.streamKey(record.key(), raw);
        forwardTimestamp = record.timestamp();
        long parseErrors = counters.errors();
        if (raw.getEndOfStream()) {
            lastArrivalWall.remove(streamKey);
            engine.endOfStream(streamKey, this::forward);
            return;
        }
        metrics.lineIn(raw.getSourceHost(), raw.getLogKind());
        RecordMetadata meta = context.recordMetadata().orElse(null);
        LineInput.RecordPosition at = meta == null ? null : new LineInput.RecordPosition(meta.topic(), meta.partition(), meta.offset());
        LogFormat format;
        try {
            format = RawLineInputs.formatOf(raw);
        } catch (StreamKey.UnknownLogKindException e) {
            // a typo in a shipper's setting is shown, not guessed around
            TopologyCounters.PARSE_ERRORS.incrementAndGet();
            forward(new EngineOutput.DeadLetterOut(DeadLetters.ofLine(DeadLetterStage.PARSE, e.getMessage(),
                    RawLineInputs.of(streamKey, raw, null, record.timestamp(), at))));
            return;
        }
        engine.accept(RawLineInputs.of(streamKey, raw, format, record.timestamp(), at), this::forward);
        TopologyCounters.PARSE_ERRORS.addAndGet(counters.errors() - parseErrors);
        if (quietCloseMs > 0) {
            lastArrivalWall.put(streamKey, context.currentSystemTimeMs());
        }
    }

    private void closeQuietStreams(long wallNow) {
        for (Map.Entry<String, Long> e : lastArrivalWall.entrySet()) {
            long quiet = wallNow - e.getValue();
            if (quiet >= quietCloseMs) {
                long clock = engine.clock(e.getKey());
                if (clock != Long.MIN_VALUE) {
                    forwardTimestamp = wallNow;
                    engine.advanceTo(e.getKey(), clock + quiet, this::forward);
                }
                e.setValue(wallNow);
            }
        }
    }

    private void forward(EngineOutput o) {
        if (o instanceof EngineOutput.DeadLetterOut d) {
            metrics.deadLetter(d.deadLetter().getStage().name());
        }
        // Kafka-side timestamps stay arrival times: an event time hours ahead (a server's clock) would
        // make the broker refuse the repartition and changelog writes; event time is in the payload
        context.forward(new Record<>(o.key(), o, forwardTimestamp));
    }

}
