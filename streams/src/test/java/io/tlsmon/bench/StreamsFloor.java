package io.tlsmon.bench;

import io.tlsmon.avro.RawLine;
import io.tlsmon.topology.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The Streams floor: the least a Kafka Streams application does with the raw topic. It reads the
 * raw lines with the project's RawLine serde (Avro, Confluent wire format, so every record is
 * deserialised), and counts lines per key (stream identity {@code host|kind}) in a persistent
 * key-value store: RocksDB, changelogged, no record cache, like tlsmon's own stores. It writes no
 * topic but the store's changelog. It runs with the same Streams settings as the tlsmon topology
 * (guarantee, commit interval, threads, RocksDB config setter, timestamp extractor), so the
 * difference between the two is what the topology does per line.
 */
final class StreamsFloor {
    static final String STORE = "floor-line-counts";

    private StreamsFloor() {
    }

    static Topology topology(Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Long()));
        builder.stream(topics.rawLines().name(), Consumed.with(topics.rawLines().keySerde(), topics.rawLines().valueSerde())
                        .withName("floor-raw-lines"))
                .process(CountPerKey::new, Named.as("floor-count-per-key"), STORE);
        return builder.build();
    }

    /** get + put of a Long per record. */
    private static final class CountPerKey implements Processor<String, RawLine, Void, Void> {
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, RawLine> record) {
            if (record.value() == null) {
                return;
            }
            String key = record.key() == null ? "" : record.key();
            Long n = counts.get(key);
            counts.put(key, n == null ? 1L : n + 1);
        }
    }
}
