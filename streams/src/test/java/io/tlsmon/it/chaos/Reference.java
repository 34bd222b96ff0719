package io.tlsmon.it.chaos;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.engine.EngineSettings;
import io.tlsmon.engine.LineInput;
import io.tlsmon.engine.OfflineEngine;
import io.tlsmon.topology.RawLineInputs;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * What an uninterrupted run makes of the lines the campaign shipped: the offline engine (the engine
 * of {@code tlsmon classify}, which gives the topology's attempts and alerts, see
 * EngineDifferentialTest) over the committed raw-lines records in the order the topology reads
 * them, each taken as the session stage takes it (the line's own time from the shipper for the
 * syslog year, the append time as arrival, its topic, partition and offset for a dead letter).
 * No stream is ended: a live stream has no end, and the campaign turns the wall-clock quiet close
 * off, so the sessions still open at the end stay open on both sides.
 */
final class Reference {
    record Output(List<NegotiationAttempt> attempts, List<Alert> alerts, List<DeadLetter> deadLetters) {
    }

    private Reference() {
    }

    static Output of(List<ConsumerRecord<String, RawLine>> rawLines, EngineSettings settings) {
        List<NegotiationAttempt> attempts = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        OfflineEngine engine = new OfflineEngine(settings, o -> {
            switch (o.kind()) {
                case ATTEMPT -> attempts.add(o.attempt());
                case ALERT -> alerts.add(o.alert());
                case DEAD_LETTER -> dead.add(o.deadLetter());
            }
        });
        for (ConsumerRecord<String, RawLine> r : rawLines) {
            RawLine raw = r.value();
            if (raw == null) {
                continue;
            }
            String streamKey = RawLineInputs.streamKey(r.key(), raw);
            if (raw.getEndOfStream()) {
                engine.endOfStream(streamKey);
                continue;
            }
            engine.accept(RawLineInputs.of(streamKey, raw, RawLineInputs.formatOf(raw), r.timestamp(),
                    new LineInput.RecordPosition(r.topic(), r.partition(), r.offset())));
        }
        return new Output(attempts, alerts, dead);
    }
}
