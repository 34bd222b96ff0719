package io.tlsmon.topology;

import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.envelope.Decoded;
import io.tlsmon.ingest.envelope.EnvelopeDecoder;
import io.tlsmon.avro.DeadLetterStage;
import io.tlsmon.engine.DeadLetters;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.Map;

/**
 * Lines from the shippers people already run (Filebeat, Fluent Bit, Vector, NXLog, rsyslog, plain
 * text) arrive with their own envelopes and usually without a useful key. They are decoded once and
 * re-keyed by stream identity through the named {@value StoreNames#SHIPPED_BY_STREAM} repartition
 * topic, so that one session's lines meet in one task like those of tlsmon's own shippers.
 */
final class ShippedLines {
    private ShippedLines() {
    }

    /** A decoded shipped record: a line, or the dead letter of one that holds none. Exactly one is set. */
    private record Outcome(RawLine line, DeadLetter deadLetter) {
    }

    static KStream<String, RawLine> rekeyed(StreamsBuilder builder, Topics topics, TlsmonConfig config) {
        KStream<String, Outcome> decoded = builder
                .stream(topics.shippedLines().name(), Consumed.with(topics.shippedLines().keySerde(), topics.shippedLines().valueSerde())
                        .withName("shipped-lines-source"))
                .process(Decode::new, Named.as("decode-envelope"));
        Map<String, KStream<String, Outcome>> branches = decoded.split(Named.as("shipped-"))
                .branch((k, v) -> v.deadLetter() != null, Branched.as("dead"))
                .defaultBranch(Branched.as("lines"));
        TlsmonTopology.toDeadLetters(branches.get("shipped-dead").mapValues(Outcome::deadLetter, Named.as("envelope-dead-letter")),
                topics, "envelope-dead-letters-sink");
        return branches.get("shipped-lines")
                .mapValues(Outcome::line, Named.as("as-raw-line"))
                .repartition(Repartitioned.<String, RawLine>as(StoreNames.SHIPPED_BY_STREAM)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(topics.rawLines().valueSerde()));
    }

    /** Decodes one shipped record into a keyed raw line, or a dead letter naming what was wrong. */
    private static final class Decode implements Processor<byte[], byte[], String, Outcome> {
        private final EnvelopeDecoder decoder = EnvelopeDecoder.create();
        private ProcessorContext<String, Outcome> context;

        @Override
        public void init(ProcessorContext<String, Outcome> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            RecordMetadata meta = context.recordMetadata().orElse(null);
            String topic = meta == null ? "" : meta.topic();
            Decoded d = decoder.decode(record.key(), record.value(), topic, record.timestamp());
            if (d instanceof Decoded.Line line) {
                // the record keeps its arrival time; the line's own time is in the RawLine
                context.forward(new Record<>(line.key(), new Outcome(line.rawLine(), null), record.timestamp()));
            } else if (d instanceof Decoded.Failure failure) {
                DeadLetter letter = DeadLetters.ofRecord(DeadLetterStage.ENVELOPE, failure.describe(), topic,
                        meta == null ? null : meta.partition(), meta == null ? null : meta.offset(),
                        record.key(), record.value(), record.timestamp());
                context.forward(new Record<>(null, new Outcome(null, letter), record.timestamp()));
            }
        }
    }
}
