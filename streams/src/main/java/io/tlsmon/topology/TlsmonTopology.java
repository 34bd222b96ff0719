package io.tlsmon.topology;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.RawLine;
import io.tlsmon.avro.SenderState;
import io.tlsmon.engine.EngineOutput;
import io.tlsmon.topology.internals.ObjectCachingStoreBuilder;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;

/**
 * The tlsmon topology, built by one function of a {@link StreamsBuilder} and the config, shared by
 * production and the tests:
 *
 * <pre>
 * raw-lines ──────────────────────────────┐
 * shipped-lines → decode → re-key by stream ┴→ engine: parse + stitch [sessions, stream-clocks]
 *   ├→ dead-letters (lines that do not parse)
 *   └→ classified attempt → re-key by host/address (attempts-by-sender)
 *        → engine: probable cause + sender state + alert rules [sender-states, tls-history, alert-states, alert-rate, sender-clock]
 *             ├→ attempts (keyed by sender)
 *             └→ alerts (keyed by sender)
 * </pre>
 */
public final class TlsmonTopology {
    private TlsmonTopology() {
    }

    /** Builds the topology for {@code config} into {@code builder}; returns the topics it uses. */
    public static Topics build(StreamsBuilder builder, TlsmonConfig config) {
        Topics topics = Topics.of(config);
        Map<String, Object> serdeConfigs = config.serdeConfigs();

        // Cached: a store write lands in RocksDB and its changelog once per commit interval, not once
        // per line, and a session that opens and closes within one interval never reaches either.
        // The stores the engine reads and writes by key on every line or attempt also keep their
        // values decoded between commits (ObjectCachingStore): one decode and one encode per key and
        // commit instead of per line. The alert stores are scanned by sender and stay as they are.
        builder.addStateStore(decoded(store(StoreNames.SESSIONS, topics.valueSerde(OpenSession.class, serdeConfigs))));
        builder.addStateStore(decoded(store(StoreNames.STREAM_CLOCKS, Serdes.Long())));
        builder.addStateStore(decoded(store(StoreNames.SENDER_STATES, topics.valueSerde(SenderState.class, serdeConfigs))));
        builder.addStateStore(decoded(store(StoreNames.TLS_HISTORY, Serdes.Long())));
        builder.addStateStore(store(StoreNames.ALERT_STATES, topics.valueSerde(AlertState.class, serdeConfigs)));
        builder.addStateStore(store(StoreNames.ALERT_RATE, Serdes.Long()));
        builder.addStateStore(decoded(store(StoreNames.SENDER_CLOCK, Serdes.Long())));

        KStream<String, RawLine> raw = builder.stream(topics.rawLines().name(),
                Consumed.with(topics.rawLines().keySerde(), topics.rawLines().valueSerde()).withName("raw-lines-source"));
        KStream<String, RawLine> lines = raw.merge(ShippedLines.rekeyed(builder, topics, config), Named.as("all-lines"));

        KStream<String, EngineOutput> stitched = lines.process(() -> new SessionProcessor(config),
                Named.as("parse-and-stitch"), StoreNames.SESSIONS, StoreNames.STREAM_CLOCKS);
        Map<String, KStream<String, EngineOutput>> parsed = byKind(stitched, "parsed-");
        toDeadLetters(parsed.get("parsed-" + EngineOutput.Kind.DEAD_LETTER).mapValues(EngineOutput::deadLetter,
                Named.as("parse-dead-letter")), topics, "parse-dead-letters-sink");

        KStream<String, NegotiationAttempt> attempts = parsed.get("parsed-" + EngineOutput.Kind.ATTEMPT)
                .mapValues(EngineOutput::attempt, Named.as("as-attempt"))
                .repartition(Repartitioned.<String, NegotiationAttempt>as(StoreNames.ATTEMPTS_BY_SENDER)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(topics.attempts().valueSerde()));

        KStream<String, EngineOutput> judged = attempts.process(() -> new SenderProcessor(config),
                Named.as("sender-state-and-alerts"), StoreNames.SENDER_STATES, StoreNames.TLS_HISTORY,
                StoreNames.ALERT_STATES, StoreNames.ALERT_RATE, StoreNames.SENDER_CLOCK);
        Map<String, KStream<String, EngineOutput>> outputs = byKind(judged, "judged-");
        outputs.get("judged-" + EngineOutput.Kind.ALERT).mapValues(EngineOutput::alert, Named.as("as-alert"))
                .to(topics.alerts().name(), Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                        .withName("alerts-sink"));
        outputs.get("judged-" + EngineOutput.Kind.ATTEMPT).mapValues(EngineOutput::attempt, Named.as("as-classified-attempt"))
                .to(topics.attempts().name(), Produced.with(topics.attempts().keySerde(), topics.attempts().valueSerde())
                        .withName("attempts-sink"));
        return topics;
    }

    /** One branch per kind of engine output, named {@code prefix + kind}. */
    private static Map<String, KStream<String, EngineOutput>> byKind(KStream<String, EngineOutput> stream, String prefix) {
        BranchedKStream<String, EngineOutput> split = stream.split(Named.as(prefix));
        for (EngineOutput.Kind kind : EngineOutput.Kind.values()) {
            split = split.branch((k, v) -> v.kind() == kind, Branched.as(kind.name()));
        }
        return split.noDefaultBranch();
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde).withCachingEnabled();
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> decoded(StoreBuilder<KeyValueStore<String, V>> cached) {
        return new ObjectCachingStoreBuilder<>(cached);
    }

    static void toDeadLetters(KStream<?, DeadLetter> stream, Topics topics, String name) {
        stream.selectKey((k, v) -> (byte[]) null, Named.as(name + "-unkeyed"))
                .to(topics.deadLetters().name(), Produced.with(topics.deadLetters().keySerde(), topics.deadLetters().valueSerde())
                        .withName(name));
    }

    /** Builds and returns the topology alone (for {@code describe()} and the test driver). */
    public static Topology topology(TlsmonConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, config);
        return builder.build();
    }
}
