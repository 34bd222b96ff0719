package io.tlsmon.schemas.serde;

import io.tlsmon.schemas.AvroClassTrust;
import io.tlsmon.schemas.registry.BackwardCompatibility;
import io.tlsmon.schemas.registry.RegisteredSchema;
import io.tlsmon.schemas.registry.SchemaRegistries;
import io.tlsmon.schemas.registry.SchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistryConfig;
import io.tlsmon.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes specific records in Confluent's wire format. The subject is Confluent's TopicNameStrategy
 * ({@code <topic>-key} or {@code <topic>-value}). The schema id is resolved once per topic and
 * schema, so after the first record no registry call is made.
 *
 * <p>Safe for concurrent use, as a producer's serializer must be.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final Class<T> type;
    private final SpecificData data;
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private boolean autoRegister = true;
    private boolean useLatestVersion;
    private volatile boolean configured;

    private final Map<TopicSchema, Plan> plans = new ConcurrentHashMap<>();

    private record TopicSchema(String topic, Schema schema) {
    }

    /** Unconfigured: {@link #configure} creates the registry client from {@code schema.registry.url}. */
    public ConfluentAvroSerializer(Class<T> type) {
        this(type, null);
    }

    /** Uses {@code client} (not closed by {@link #close()}); {@link #configure} still reads the serde keys. */
    public ConfluentAvroSerializer(Class<T> type, SchemaRegistryClient client) {
        this.type = Objects.requireNonNull(type, "type");
        AvroClassTrust.trust(type);
        this.data = SpecificData.getForClass(type);
        this.client = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (client == null) {
            SchemaRegistryConfig config = SchemaRegistryConfig.from(configs);
            this.client = SchemaRegistries.client(config);
            this.ownsClient = true;
        }
        this.autoRegister = SchemaRegistryConfig.autoRegisterSchemas(configs);
        this.useLatestVersion = SchemaRegistryConfig.useLatestVersion(configs);
        this.plans.clear();
        this.configured = true;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null; // a tombstone stays a tombstone
        }
        if (!configured) {
            throw new IllegalStateException("ConfluentAvroSerializer<" + type.getSimpleName()
                    + "> is not configured: call configure(...) or use ConfluentAvroSerde.forClass(...)");
        }
        Plan plan = plan(topic, record.getSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(new byte[WireFormat.HEADER_SIZE], 0, WireFormat.HEADER_SIZE);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            plan.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write a " + type.getSimpleName() + " to topic " + topic
                    + " as Avro with schema id " + plan.id() + ": " + e, e);
        }
        byte[] bytes = out.toByteArray();
        WireFormat.writeHeader(bytes, plan.id());
        return bytes;
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    private Plan plan(String topic, Schema schema) {
        TopicSchema key = new TopicSchema(topic, schema);
        Plan plan = plans.get(key);
        if (plan == null) {
            plan = newPlan(ConfluentAvroSerde.subjectName(topic, isKey), schema);
            plans.putIfAbsent(key, plan);
        }
        return plan;
    }

    private Plan newPlan(String subject, Schema schema) {
        if (autoRegister) {
            int id;
            try {
                id = client.register(subject, schema);
            } catch (SchemaRegistryException e) {
                throw new SerializationException("Cannot register the schema of " + schema.getFullName()
                        + " under subject " + subject + ": " + e.getMessage(), e);
            }
            return new DirectPlan(id, new SpecificDatumWriter<>(schema, data));
        }
        RegisteredSchema latest;
        try {
            latest = client.latest(subject);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("auto.register.schemas is false and the latest version of subject "
                    + subject + " cannot be read: " + e.getMessage(), e);
        }
        if (latest.schema().equals(schema)) {
            return new DirectPlan(latest.id(), new SpecificDatumWriter<>(schema, data));
        }
        String which = "version " + latest.version() + " (id " + latest.id() + ") of subject " + subject;
        if (!useLatestVersion) {
            throw new SerializationException("auto.register.schemas is false and the latest " + which
                    + " differs from the schema of " + schema.getFullName()
                    + "; register that schema, or set use.latest.version=true to write with the latest version");
        }
        Optional<String> problems = BackwardCompatibility.problems(latest.schema(), schema);
        if (problems.isPresent()) {
            throw new SerializationException("use.latest.version: " + which + " cannot represent records of "
                    + schema.getFullName() + ": " + problems.get());
        }
        return new TranscodingPlan(latest.id(), new SpecificDatumWriter<>(schema, data), schema, latest.schema());
    }

    /** How records of one schema are written to one topic. */
    private interface Plan {
        int id();

        void write(Object record, BinaryEncoder encoder) throws IOException;
    }

    private record DirectPlan(int id, DatumWriter<Object> writer) implements Plan {
        @Override
        public void write(Object record, BinaryEncoder encoder) throws IOException {
            writer.write(record, encoder);
        }
    }

    /**
     * use.latest.version with a latest version that is not the record's schema: write the record
     * with its own schema, resolve that into the latest schema, write the result. Rare and slower.
     */
    private record TranscodingPlan(int id, DatumWriter<Object> ownWriter, Schema own, Schema latest,
                                   GenericDatumReader<GenericRecord> resolver,
                                   GenericDatumWriter<GenericRecord> latestWriter) implements Plan {
        TranscodingPlan(int id, DatumWriter<Object> ownWriter, Schema own, Schema latest) {
            this(id, ownWriter, own, latest, new GenericDatumReader<>(own, latest, GenericData.get()),
                    new GenericDatumWriter<>(latest, GenericData.get()));
        }

        @Override
        public void write(Object record, BinaryEncoder encoder) throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
            BinaryEncoder ownEncoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
            ownWriter.write(record, ownEncoder);
            ownEncoder.flush();
            GenericRecord resolved = resolver.read(null,
                    DecoderFactory.get().binaryDecoder(buffer.toByteArray(), null));
            latestWriter.write(resolved, encoder);
        }
    }
}
