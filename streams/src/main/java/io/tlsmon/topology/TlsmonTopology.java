package io.tlsmon.topology;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.RawLine;
import io.tlsmon.avro.SenderState;
import io.tlsmon.engine.EngineOutput;
import io.tlsmon.format.RecordFormatter;
import io.tlsmon.format.TlsRptSession;
import io.tlsmon.topology.internals.ObjectCachingStoreBuilder;
import io.tlsmon.topology.internals.RebuiltWhenCorruptStore;
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
 * shipped-lines → decode → re-key by stream ┴→ engine: parse + stitch [sessions, stream-clocks, log-lines, parser-memory]
 *   ├→ dead-letters (lines that do not parse)
 *   └→ classified attempt → re-key by host/address (attempts-by-sender)
 *        → engine: probable cause + sender state + alert rules [sender-states, tls-history, alert-states, alert-rate, sender-clock]
 *             ├→ attempts (keyed by sender) ─┬→ output-&lt;format&gt; per tlsmon.output.formats (keyed by sender)
 *             │    └→ outcome-history-counts [outcome-history]: attempts per outcome and hour, for the API
 *             ├→ alerts (keyed by sender) ───┘
 *             └→ outbound attempts → re-key by policy domain (attempts-by-policy-domain)
 *                  → TLS-RPT day counts [tlsrpt-counts, tlsrpt-clock] → tlsrpt-reports (when tlsmon.tlsrpt.enabled)
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
        builder.addStateStore(decoded(store(StoreNames.LOG_LINES, Serdes.Long())));
        builder.addStateStore(decoded(store(StoreNames.PARSER_MEMORY, Serdes.String())));
        builder.addStateStore(decoded(store(StoreNames.SENDER_STATES, topics.valueSerde(SenderState.class, serdeConfigs))));
        builder.addStateStore(decoded(store(StoreNames.TLS_HISTORY, Serdes.Long())));
        builder.addStateStore(store(StoreNames.ALERT_STATES, topics.valueSerde(AlertState.class, serdeConfigs)));
        builder.addStateStore(store(StoreNames.ALERT_RATE, Serdes.Long()));
        builder.addStateStore(decoded(store(StoreNames.SENDER_CLOCK, Serdes.Long())));

        KStream<String, RawLine> raw = builder.stream(topics.rawLines().name(),
                Consumed.with(topics.rawLines().keySerde(), topics.rawLines().valueSerde()).withName("raw-lines-source"));
        KStream<String, RawLine> lines = raw.merge(ShippedLines.rekeyed(builder, topics, config), Named.as("all-lines"));

        KStream<String, EngineOutput> stitched = lines.process(() -> new SessionProcessor(config),
                Named.as("parse-and-stitch"), StoreNames.SESSIONS, StoreNames.STREAM_CLOCKS, StoreNames.LOG_LINES,
                StoreNames.PARSER_MEMORY);
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
        KStream<String, Alert> alerts = outputs.get("judged-" + EngineOutput.Kind.ALERT).mapValues(EngineOutput::alert, Named.as("as-alert"));
        alerts.to(topics.alerts().name(), Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                .withName("alerts-sink"));
        KStream<String, NegotiationAttempt> classified = outputs.get("judged-" + EngineOutput.Kind.ATTEMPT)
                .mapValues(EngineOutput::attempt, Named.as("as-classified-attempt"));
        classified.to(topics.attempts().name(), Produced.with(topics.attempts().keySerde(), topics.attempts().valueSerde())
                .withName("attempts-sink"));
        builder.addStateStore(store(StoreNames.OUTCOME_HISTORY, Serdes.Long()));
        classified.process(() -> new OutcomeHistoryProcessor(config), Named.as("outcome-history-counts"), StoreNames.OUTCOME_HISTORY);
        formatted(classified, alerts, topics, config);
        topics.tlsRpt().ifPresent(t -> tlsRptReports(builder, classified, topics, t, config));
        return topics;
    }

    /**
     * One topic per SIEM format: the same attempts and alerts as the Avro topics, with the same keys,
     * written by the same tasks, so under exactly-once they commit with everything else.
     */
    private static void formatted(KStream<String, NegotiationAttempt> attempts, KStream<String, Alert> alerts, Topics topics,
                                  TlsmonConfig config) {
        topics.outputs().forEach((format, topic) -> {
            RecordFormatter formatter = format.formatter(config.formatOptions());
            Produced<String, String> attemptsOut = Produced.with(topic.keySerde(), topic.valueSerde()).withName(format.id() + "-attempts-sink");
            Produced<String, String> alertsOut = Produced.with(topic.keySerde(), topic.valueSerde()).withName(format.id() + "-alerts-sink");
            attempts.mapValues(formatter::attempt, Named.as(format.id() + "-attempt")).to(topic.name(), attemptsOut);
            alerts.mapValues(formatter::alert, Named.as(format.id() + "-alert")).to(topic.name(), alertsOut);
        });
    }

    /** Outbound attempts re-keyed by policy domain, counted per UTC day, reported when the day closes. */
    private static void tlsRptReports(StreamsBuilder builder, KStream<String, NegotiationAttempt> attempts, Topics topics,
                                      Topics.Topic<String, String> out, TlsmonConfig config) {
        builder.addStateStore(store(StoreNames.TLSRPT_COUNTS, Serdes.Long()));
        builder.addStateStore(store(StoreNames.TLSRPT_CLOCK, Serdes.Long()));
        attempts.filter((k, a) -> TlsRptSession.of(a) != null, Named.as("tlsrpt-reportable"))
                .selectKey((k, a) -> a.getPolicyDomain(), Named.as("tlsrpt-by-policy-domain"))
                .repartition(Repartitioned.<String, NegotiationAttempt>as(StoreNames.ATTEMPTS_BY_POLICY_DOMAIN)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(topics.attempts().valueSerde()))
                .process(() -> new TlsRptProcessor(config), Named.as("tlsrpt-days"), StoreNames.TLSRPT_COUNTS, StoreNames.TLSRPT_CLOCK)
                .to(out.name(), Produced.with(out.keySerde(), out.valueSerde()).withName("tlsrpt-sink"));
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
        // a store found corrupt when it opens is deleted and restored from its changelog
        return Stores.keyValueStoreBuilder(RebuiltWhenCorruptStore.persistent(name), Serdes.String(), valueSerde).withCachingEnabled();
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
