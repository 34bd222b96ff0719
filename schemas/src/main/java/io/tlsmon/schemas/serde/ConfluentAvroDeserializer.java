package io.tlsmon.schemas.serde;

import io.tlsmon.schemas.AvroClassTrust;
import io.tlsmon.schemas.registry.BackwardCompatibility;
import io.tlsmon.schemas.registry.SchemaRegistries;
import io.tlsmon.schemas.registry.SchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistryConfig;
import io.tlsmon.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent's wire format into specific records of {@code T}: the writer schema is fetched by
 * the id in the record (once per id) and resolved to {@code T}'s schema, so data written with an
 * older or newer compatible version reads fine. Anything that is not such data fails with a
 * {@link SerializationException} that says what is wrong.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Class<T> type;
    private final SpecificData data;
    private final Schema readerSchema;
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private volatile boolean configured;

    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    /** Unconfigured: {@link #configure} creates the registry client from {@code schema.registry.url}. */
    public ConfluentAvroDeserializer(Class<T> type) {
        this(type, null);
    }

    /** Uses {@code client} (not closed by {@link #close()}). */
    public ConfluentAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this.type = Objects.requireNonNull(type, "type");
        AvroClassTrust.trust(type);
        this.data = SpecificData.getForClass(type);
        this.readerSchema = data.getSchema(type);
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client == null) {
            this.client = SchemaRegistries.client(SchemaRegistryConfig.from(configs));
            this.ownsClient = true;
        }
        this.configured = true;
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null; // a tombstone stays a tombstone
        }
        if (!configured) {
            throw new IllegalStateException("ConfluentAvroDeserializer<" + type.getSimpleName()
                    + "> is not configured: call configure(...) or use ConfluentAvroSerde.forClass(...)");
        }
        if (bytes.length < WireFormat.HEADER_SIZE) {
            throw new SerializationException("Record of topic " + topic + " is " + bytes.length
                    + " bytes long, too short for Confluent's wire format (magic byte 0 and a 4-byte schema id"
                    + " before the Avro data)");
        }
        if (bytes[0] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Record of topic %s starts with byte 0x%02x, not Confluent's magic byte 0x00: it was not"
                            + " written by a Schema Registry Avro serializer", topic, bytes[0] & 0xff));
        }
        int id = WireFormat.readSchemaId(bytes);
        DatumReader<T> reader = reader(topic, id);
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read the Avro data of a record of topic " + topic
                    + " (schema id " + id + ", " + bytes.length + " bytes) as " + type.getName() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    private DatumReader<T> reader(String topic, int id) {
        DatumReader<T> reader = readersByWriterId.get(id);
        if (reader != null) {
            return reader;
        }
        Schema writerSchema;
        try {
            writerSchema = client.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isSchemaNotFound()) {
                throw new SerializationException("Record of topic " + topic + " names schema id " + id
                        + ", which the schema registry does not know (error_code 40403): " + e.getMessage(), e);
            }
            throw new SerializationException("Cannot fetch schema id " + id + " for a record of topic " + topic
                    + " from the schema registry: " + e.getMessage(), e);
        }
        Optional<String> problems = BackwardCompatibility.problems(readerSchema, writerSchema);
        if (problems.isPresent()) {
            throw new SerializationException("Record of topic " + topic + " was written with schema id " + id
                    + " (" + writerSchema.getFullName() + "), which cannot be read as " + type.getName() + ": "
                    + problems.get());
        }
        DatumReader<T> created = new SpecificDatumReader<>(writerSchema, readerSchema, data);
        DatumReader<T> previous = readersByWriterId.putIfAbsent(id, created);
        return previous != null ? previous : created;
    }
}
