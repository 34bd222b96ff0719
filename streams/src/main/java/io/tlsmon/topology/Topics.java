package io.tlsmon.topology;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.format.OutputFormat;
import io.tlsmon.schemas.registry.SchemaRegistries;
import io.tlsmon.schemas.registry.SchemaRegistryClient;
import io.tlsmon.schemas.serde.ConfluentAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every topic tlsmon reads or writes, declared once with its key and value serdes. Values are Avro
 * in the Confluent wire format; keys are strings.
 *
 * @param rawLines     lines from tlsmon's own shippers, keyed by stream identity {@code host|logKind}
 * @param shippedLines lines from Filebeat, Fluent Bit, Vector, NXLog, rsyslog or plain producers (JSON or text, key optional)
 * @param attempts     every classified negotiation attempt, keyed by sender
 * @param alerts       RAISED/UPDATED/RESOLVED alerts, keyed by sender
 * @param deadLetters  what could not be used, with the reason
 * @param outputs      per SIEM format of {@code tlsmon.output.formats}: its attempts and alerts together, one
 *                     formatted record (a JSON object or a CEF line, UTF-8) per value, keyed by sender; a
 *                     SIEM tells the two kinds apart by the record's own fields, as it does when it reads them
 *                     from anywhere else, and one sink connector per format takes both
 * @param tlsRpt       the RFC 8460 reports ({@code application/tlsrpt+json}, UTF-8), keyed by policy domain;
 *                     empty unless {@code tlsmon.tlsrpt.enabled}
 */
public record Topics(Topic<String, RawLine> rawLines,
                     Topic<byte[], byte[]> shippedLines,
                     Topic<String, NegotiationAttempt> attempts,
                     Topic<String, Alert> alerts,
                     Topic<byte[], DeadLetter> deadLetters,
                     Map<OutputFormat, Topic<String, String>> outputs,
                     Optional<Topic<String, String>> tlsRpt,
                     SchemaRegistryClient registry) {

    /** One topic: its name and serdes. */
    public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    }

    public static final String RAW_LINES = "raw-lines";
    public static final String SHIPPED_LINES = "shipped-lines";
    public static final String ATTEMPTS = "attempts";
    public static final String ALERTS = "alerts";
    public static final String DEAD_LETTERS = "dead-letters";
    /** Default name of a format's topic: prefix, this, the format id ({@code tlsmon.output-ecs}). */
    public static final String OUTPUT_PREFIX = "output-";
    public static final String TLSRPT_REPORTS = "tlsrpt-reports";

    /** The topics of one configuration, with serdes sharing one registry client. */
    public static Topics of(TlsmonConfig config) {
        Map<OutputFormat, Topic<String, String>> outputs = new EnumMap<>(OutputFormat.class);
        for (OutputFormat f : config.outputFormats()) {
            outputs.put(f, new Topic<>(config.outputTopic(f), Serdes.String(), Serdes.String()));
        }
        Optional<Topic<String, String>> tlsRpt = config.tlsRptEnabled()
                ? Optional.of(new Topic<>(config.tlsRptTopic(), Serdes.String(), Serdes.String())) : Optional.empty();
        return of(config.topicPrefix(), config.serdeConfigs(), outputs, tlsRpt);
    }

    /** The Avro topics under {@code prefix}, without format or TLS-RPT topics. */
    public static Topics of(String prefix, Map<String, Object> serdeConfigs) {
        return of(prefix, serdeConfigs, Map.of(), Optional.empty());
    }

    private static Topics of(String prefix, Map<String, Object> serdeConfigs, Map<OutputFormat, Topic<String, String>> outputs,
                             Optional<Topic<String, String>> tlsRpt) {
        SchemaRegistryClient registry = SchemaRegistries.client(serdeConfigs);
        return new Topics(
                new Topic<>(prefix + RAW_LINES, Serdes.String(), avro(RawLine.class, registry, serdeConfigs)),
                new Topic<>(prefix + SHIPPED_LINES, Serdes.ByteArray(), Serdes.ByteArray()),
                new Topic<>(prefix + ATTEMPTS, Serdes.String(), avro(NegotiationAttempt.class, registry, serdeConfigs)),
                new Topic<>(prefix + ALERTS, Serdes.String(), avro(Alert.class, registry, serdeConfigs)),
                new Topic<>(prefix + DEAD_LETTERS, Serdes.ByteArray(), avro(DeadLetter.class, registry, serdeConfigs)),
                outputsInOrder(outputs), tlsRpt, registry);
    }

    private static Map<OutputFormat, Topic<String, String>> outputsInOrder(Map<OutputFormat, Topic<String, String>> outputs) {
        Map<OutputFormat, Topic<String, String>> m = new EnumMap<>(OutputFormat.class);
        m.putAll(outputs);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** An Avro value serde for records of {@code type} using this set's registry client. */
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type, Map<String, Object> serdeConfigs) {
        return avro(type, registry, serdeConfigs);
    }

    private static <T extends SpecificRecord> Serde<T> avro(Class<T> type, SchemaRegistryClient registry, Map<String, Object> configs) {
        return ConfluentAvroSerde.forClass(type, registry, configs, false);
    }

    /** The names of the topics tlsmon's users create (internal topics are made by Kafka Streams). */
    public List<String> externalNames() {
        List<String> names = new ArrayList<>(List.of(rawLines.name(), shippedLines.name(), attempts.name(), alerts.name(), deadLetters.name()));
        outputs.values().forEach(t -> names.add(t.name()));
        tlsRpt.ifPresent(t -> names.add(t.name()));
        return List.copyOf(names);
    }

    /**
     * Settings for every topic tlsmon creates. Records carry their log's own time, which for a
     * replayed archive is months old: with the default {@code CreateTime}, time-based retention
     * would delete them as they arrive. {@code LogAppendTime} makes retention count from arrival;
     * event time still comes from the payload ({@link LineTimestampExtractor}, the attempts' and
     * alerts' own time fields), so windows and alerts are unchanged.
     */
    public static Map<String, String> topicConfigs() {
        return Map.of("message.timestamp.type", "LogAppendTime");
    }
}
