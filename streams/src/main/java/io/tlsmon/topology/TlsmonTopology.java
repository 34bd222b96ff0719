package io.tlsmon.topology;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.RawLine;
import io.tlsmon.avro.SenderState;
import org.apache.avro.specific.SpecificRecord;
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
 * shipped-lines → decode → re-key by stream ┴→ parse + stitch [sessions, session-deadlines]
 *   ├→ dead-letters (lines that do not parse)
 *   └→ classified attempt → re-key by host/address (attempts-by-sender)
 *        → probable cause + sender state + alert rules [sender-states, tls-history, alert-states, alert-rate]
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

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SESSIONS),
                Serdes.String(), topics.valueSerde(OpenSession.class, serdeConfigs)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SESSION_DEADLINES),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SENDER_STATES),
                Serdes.String(), topics.valueSerde(SenderState.class, serdeConfigs)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.TLS_HISTORY),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ALERT_STATES),
                Serdes.String(), topics.valueSerde(AlertState.class, serdeConfigs)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.ALERT_RATE),
                Serdes.String(), Serdes.Long()));

        KStream<String, RawLine> raw = builder.stream(topics.rawLines().name(),
                Consumed.with(topics.rawLines().keySerde(), topics.rawLines().valueSerde()).withName("raw-lines-source"));
        KStream<String, RawLine> lines = raw.merge(ShippedLines.rekeyed(builder, topics, config), Named.as("all-lines"));

        KStream<String, SpecificRecord> stitched = lines.process(() -> new SessionProcessor(config),
                Named.as("parse-and-stitch"), StoreNames.SESSIONS, StoreNames.SESSION_DEADLINES);
        Map<String, KStream<String, SpecificRecord>> parseBranches = stitched.split(Named.as("parsed-"))
                .branch((k, v) -> v instanceof DeadLetter, Branched.as("dead"))
                .defaultBranch(Branched.as("attempts"));
        toDeadLetters(parseBranches.get("parsed-dead"), topics, "parse-dead-letters-sink");

        KStream<String, NegotiationAttempt> attempts = parseBranches.get("parsed-attempts")
                .mapValues(v -> (NegotiationAttempt) v, Named.as("as-attempt"))
                .repartition(Repartitioned.<String, NegotiationAttempt>as(StoreNames.ATTEMPTS_BY_SENDER)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(topics.attempts().valueSerde()));

        KStream<String, SpecificRecord> judged = attempts.process(() -> new SenderProcessor(config),
                Named.as("sender-state-and-alerts"), StoreNames.SENDER_STATES, StoreNames.TLS_HISTORY,
                StoreNames.ALERT_STATES, StoreNames.ALERT_RATE);
        Map<String, KStream<String, SpecificRecord>> outputs = judged.split(Named.as("judged-"))
                .branch((k, v) -> v instanceof Alert, Branched.as("alerts"))
                .defaultBranch(Branched.as("attempts"));
        outputs.get("judged-alerts").mapValues(v -> (Alert) v, Named.as("as-alert"))
                .to(topics.alerts().name(), Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                        .withName("alerts-sink"));
        outputs.get("judged-attempts").mapValues(v -> (NegotiationAttempt) v, Named.as("as-classified-attempt"))
                .to(topics.attempts().name(), Produced.with(topics.attempts().keySerde(), topics.attempts().valueSerde())
                        .withName("attempts-sink"));
        return topics;
    }

    static void toDeadLetters(KStream<?, SpecificRecord> stream, Topics topics, String name) {
        stream.map((k, v) -> org.apache.kafka.streams.KeyValue.pair((byte[]) null, (DeadLetter) v), Named.as(name + "-map"))
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
