package io.tlsmon.schemas.serde;

import io.tlsmon.schemas.registry.SchemaRegistries;
import io.tlsmon.schemas.registry.SchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistryConfig;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde of specific Avro records in Confluent's wire format (magic byte 0, 4-byte big-endian
 * schema id, Avro binary) with a Confluent-compatible Schema Registry, configured with Confluent's
 * keys (see {@link SchemaRegistryConfig}): {@code schema.registry.url}, {@code auto.register.schemas},
 * {@code use.latest.version}, the basic and bearer auth keys. Subjects follow TopicNameStrategy.
 *
 * <p>Kafka Streams does not configure serdes passed to {@code Consumed}/{@code Produced}, so build
 * them configured with {@link #forClass}.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;
    private final SchemaRegistryClient givenClient;
    private SchemaRegistryClient ownedClient;
    private ConfluentAvroSerializer<T> serializer;
    private ConfluentAvroDeserializer<T> deserializer;

    /** Unconfigured: {@link #configure} creates the registry client from {@code schema.registry.url}. */
    public ConfluentAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** Uses {@code client}, shared and not closed by {@link #close()}. */
    public ConfluentAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.type = Objects.requireNonNull(type, "type");
        this.givenClient = client;
        this.serializer = new ConfluentAvroSerializer<>(type, client);
        this.deserializer = new ConfluentAvroDeserializer<>(type, client);
    }

    /**
     * A configured serde for {@code type}: its registry client comes from {@code configs}
     * ({@code mock://SCOPE} or http(s) URLs).
     *
     * @param isKey whether it serializes record keys (subject {@code <topic>-key}) or values
     *     ({@code <topic>-value})
     * @throws io.tlsmon.schemas.registry.SchemaRegistryConfigException naming a missing or bad key
     */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forClass(
            Class<T> type, Map<String, ?> configs, boolean isKey) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }

    /**
     * A configured serde for {@code type} that uses {@code client} (shared by all serdes given it,
     * with its caches); {@code configs} may then omit {@code schema.registry.url}.
     */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forClass(
            Class<T> type, SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type, Objects.requireNonNull(client, "client"));
        serde.configure(configs, isKey);
        return serde;
    }

    /** Confluent's TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    public static String subjectName(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, ?> settings = configs == null ? Map.of() : configs;
        SchemaRegistryClient client = givenClient;
        if (client == null) {
            if (ownedClient != null) {
                ownedClient.close();
            }
            ownedClient = SchemaRegistries.client(settings);
            client = ownedClient;
            // one client, hence one cache, for both directions
            serializer = new ConfluentAvroSerializer<>(type, client);
            deserializer = new ConfluentAvroDeserializer<>(type, client);
        }
        serializer.configure(settings, isKey);
        deserializer.configure(settings, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    /** The class this serde reads and writes. */
    public Class<T> type() {
        return type;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
        if (ownedClient != null) {
            ownedClient.close();
        }
    }
}
