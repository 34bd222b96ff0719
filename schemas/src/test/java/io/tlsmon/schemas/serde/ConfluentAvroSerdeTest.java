package io.tlsmon.schemas.serde;

import static io.tlsmon.schemas.registry.FakeConfluentRegistryServer.BY_ID;
import static io.tlsmon.schemas.registry.FakeConfluentRegistryServer.REGISTER;
import static io.tlsmon.schemas.registry.FakeConfluentRegistryServer.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.RawLine;
import io.tlsmon.schemas.registry.FakeConfluentRegistryServer;
import io.tlsmon.schemas.registry.MockSchemaRegistryClient;
import io.tlsmon.schemas.registry.RestSchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistryClient;
import io.tlsmon.schemas.registry.SchemaRegistryConfig;
import io.tlsmon.schemas.registry.SchemaRegistryConfigException;
import io.tlsmon.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfluentAvroSerdeTest {
    private static final String URL = SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG;
    private static final String TOPIC = "tlsmon.raw";
    private static final String SUBJECT = "tlsmon.raw-value";

    /** An older RawLine: before offset, lineNumber, time and header were added (all with defaults). */
    private static final Schema RAW_LINE_V0 = new Schema.Parser().parse("""
            {"type": "record", "name": "RawLine", "namespace": "io.tlsmon.avro", "fields": [
              {"name": "sourceHost", "type": "string"},
              {"name": "logKind", "type": ["null", "string"], "default": null},
              {"name": "stream", "type": "string"},
              {"name": "line", "type": "string"}
            ]}""");

    private FakeConfluentRegistryServer server;
    private final String scope = "serde-test-" + UUID.randomUUID();

    @BeforeEach
    void startRegistry() throws IOException {
        server = FakeConfluentRegistryServer.start();
    }

    @AfterEach
    void stopRegistry() {
        server.close();
        MockSchemaRegistryClient.dropScope(scope);
    }

    static Stream<SpecificRecord> everyRecordType() {
        return SampleRecords.all().stream();
    }

    @ParameterizedTest
    @MethodSource("everyRecordType")
    void everyRecordTypeRoundTripsThroughTheRestRegistry(SpecificRecord record) {
        assertThat(roundTrip(record, Map.of(URL, server.url()))).isEqualTo(record);
        assertThat(server.requestCount(REGISTER)).isEqualTo(1);
        assertThat(server.requestCount(BY_ID)).as("the reading serde has its own client").isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("everyRecordType")
    void everyRecordTypeRoundTripsThroughTheMockRegistry(SpecificRecord record) {
        assertThat(roundTrip(record, Map.of(URL, "mock://" + scope))).isEqualTo(record);
        assertThat(MockSchemaRegistryClient.forScope(scope).latest(TOPIC + "-value").schema())
                .isEqualTo(record.getSchema());
    }

    @Test
    void wireFormatIsMagicByteThenBigEndianIdThenAvroBinary() throws IOException {
        server.nextIdFrom(0x01020304);
        RawLine record = SampleRecords.rawLine(7);

        byte[] bytes;
        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, server.url()), false)) {
            bytes = serde.serializer().serialize(TOPIC, record);
        }

        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(record));
    }

    @Test
    void aThousandRecordsNeedOneRegistrationAndOneSchemaFetch() {
        Map<String, Object> configs = Map.of(URL, server.url());
        List<byte[]> written = new ArrayList<>();
        try (ConfluentAvroSerde<RawLine> writer = ConfluentAvroSerde.forClass(RawLine.class, configs, false)) {
            for (int i = 1; i <= 1000; i++) {
                written.add(writer.serializer().serialize(TOPIC, SampleRecords.rawLine(i)));
            }
        }
        assertThat(server.requestCount(REGISTER)).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(1);

        try (ConfluentAvroSerde<RawLine> reader = ConfluentAvroSerde.forClass(RawLine.class, configs, false)) {
            for (int i = 1; i <= 1000; i++) {
                assertThat(reader.deserializer().deserialize(TOPIC, written.get(i - 1)).getLineNumber()).isEqualTo(i);
            }
        }
        assertThat(server.requestCount(BY_ID)).isEqualTo(1);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void oneSerdeReadsWhatItWroteWithoutAskingTheRegistryAgain() {
        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, server.url()), false)) {
            byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.rawLine(3));

            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(SampleRecords.rawLine(3));
        }
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void dataWrittenWithAnOlderSchemaVersionReadsWithDefaultsForTheNewFields() throws IOException {
        RestSchemaRegistryClient client = RestSchemaRegistryClient.create(Map.of(URL, server.url()));
        int oldId = client.register(SUBJECT, RAW_LINE_V0);
        GenericRecord old = new GenericData.Record(RAW_LINE_V0);
        old.put("sourceHost", "mx9.example.test");
        old.put("logKind", "exim");
        old.put("stream", "/var/log/exim4/mainlog");
        old.put("line", "TLS error on connection from [198.51.100.7]");
        byte[] oldBytes = frame(oldId, RAW_LINE_V0, old);

        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, server.url()), false)) {
            RawLine read = serde.deserializer().deserialize(TOPIC, oldBytes);

            assertThat(read.getSourceHost()).isEqualTo("mx9.example.test");
            assertThat(read.getLogKind()).isEqualTo("exim");
            assertThat(read.getLine()).isEqualTo("TLS error on connection from [198.51.100.7]");
            assertThat(read.getOffset()).isNull();
            assertThat(read.getTime()).isNull();
            assertThat(read.getHeader()).isNull();

            // and the current schema registers as the subject's next version, being backward compatible
            byte[] newBytes = serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1));
            assertThat(client.latest(SUBJECT).version()).isEqualTo(2);
            assertThat(WireFormat.readSchemaId(newBytes)).isEqualTo(client.latest(SUBJECT).id()).isNotEqualTo(oldId);
        }
    }

    @Test
    void dataWrittenWithANewerSchemaVersionReadsWithoutTheFieldsThisVersionLacks() throws IOException {
        Schema newer = withExtraField(RawLine.getClassSchema(), "shipper", "\"string\"", "\"filebeat\"");
        SchemaRegistryClient client = MockSchemaRegistryClient.forScope(scope);
        int newerId = client.register(SUBJECT, newer);
        GenericRecord record = new GenericData.Record(newer);
        RawLine expected = SampleRecords.rawLine(5);
        for (Schema.Field field : RawLine.getClassSchema().getFields()) {
            Object value = expected.get(field.pos());
            record.put(field.name(), value instanceof java.time.Instant t ? t.toEpochMilli() : value);
        }
        record.put("shipper", "vector");

        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, "mock://" + scope), false)) {
            assertThat(serde.deserializer().deserialize(TOPIC, frame(newerId, newer, record))).isEqualTo(expected);
        }
    }

    @Test
    void anOutcomeSymbolUnknownToTheReaderReadsAsTheEnumDefault() throws IOException {
        // taxonomy contract: readers that do not know a new Outcome symbol read OTHER_TLS_ERROR
        String current = NegotiationAttempt.getClassSchema().toString();
        Schema newer = new Schema.Parser().parse(current.replace("\"OTHER_TLS_ERROR\"]", "\"OTHER_TLS_ERROR\",\"BRAND_NEW_FAILURE\"]"));
        assertThat(newer.getField("outcome").schema().getEnumSymbols()).contains("BRAND_NEW_FAILURE");
        SchemaRegistryClient client = MockSchemaRegistryClient.forScope(scope);
        int newerId = client.register("tlsmon.attempts-value", newer);
        NegotiationAttempt attempt = SampleRecords.negotiationAttempt();
        GenericRecord generic = toGeneric(attempt);
        GenericRecord written = new GenericData.Record(newer);
        for (Schema.Field field : NegotiationAttempt.getClassSchema().getFields()) {
            written.put(field.name(), generic.get(field.name()));
        }
        Schema outcome = newer.getField("outcome").schema();
        written.put("outcome", new GenericData.EnumSymbol(outcome, "BRAND_NEW_FAILURE"));

        try (ConfluentAvroSerde<NegotiationAttempt> serde = ConfluentAvroSerde.forClass(
                NegotiationAttempt.class, Map.of(URL, "mock://" + scope), false)) {
            NegotiationAttempt read = serde.deserializer().deserialize("tlsmon.attempts", frame(newerId, newer, written));

            assertThat(read.getOutcome()).isEqualTo(Outcome.OTHER_TLS_ERROR);
            assertThat(read.getSessionId()).isEqualTo(attempt.getSessionId());
        }
    }

    @Test
    void oneSerdeServesManyThreadsAtOnce() throws Exception {
        int threads = 4;
        int perThread = 500;
        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, server.url()), false)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t * perThread;
                    results.add(pool.submit(() -> {
                        int matched = 0;
                        for (int i = 1; i <= perThread; i++) {
                            RawLine record = SampleRecords.rawLine(offset + i);
                            byte[] bytes = serde.serializer().serialize(TOPIC, record);
                            if (serde.deserializer().deserialize(TOPIC, bytes).equals(record)) {
                                matched++;
                            }
                        }
                        return matched;
                    }));
                }
                for (Future<Integer> result : results) {
                    assertThat(result.get()).isEqualTo(perThread);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(server.requestCount(REGISTER)).isBetween(1, threads);
    }

    /** The generic form of a specific record: Instants as epoch millis, enums as symbols. */
    private static GenericRecord toGeneric(NegotiationAttempt attempt) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<NegotiationAttempt>(NegotiationAttempt.getClassSchema(),
                SpecificData.getForClass(NegotiationAttempt.class)).write(attempt, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(NegotiationAttempt.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    @Test
    void nullIsATombstoneBothWays() {
        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, server.url()), false)) {
            assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
            assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
        }
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void aWrongMagicByteIsRefusedClearly() {
        try (ConfluentAvroSerde<RawLine> serde = mockSerde(false)) {
            assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {1, 0, 0, 0, 1, 2, 3}))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("0x01")
                    .hasMessageContaining("magic byte")
                    .hasMessageContaining(TOPIC);
            assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, "{\"json\": true}".getBytes()))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("0x7b");
        }
    }

    @Test
    void aBufferShorterThanTheHeaderIsRefusedClearly() {
        try (ConfluentAvroSerde<RawLine> serde = mockSerde(false)) {
            assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("3 bytes long, too short");
            assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[0]))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("0 bytes long, too short");
        }
    }

    @Test
    void anUnknownSchemaIdIsRefusedClearly() {
        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, server.url()), false)) {
            SerializationException e = catchThrowableOfType(SerializationException.class,
                    () -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 0, 0x30, 0x39, 2, 'x'}));

            assertThat(e.getMessage()).contains("schema id 12345", "does not know", "40403");
            assertThat(e.getCause()).isInstanceOf(SchemaRegistryException.class);
        }
    }

    @Test
    void truncatedAvroDataIsRefusedClearly() {
        try (ConfluentAvroSerde<RawLine> serde = mockSerde(false)) {
            byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1));
            byte[] cut = Arrays.copyOf(bytes, 12);

            assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, cut))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Cannot read the Avro data")
                    .hasMessageContaining("schema id 1");
        }
    }

    @Test
    void aRecordOfAnotherTypeIsRefusedClearly() {
        byte[] alertBytes;
        try (ConfluentAvroSerde<Alert> alerts = ConfluentAvroSerde.forClass(Alert.class, Map.of(URL, "mock://" + scope), false)) {
            alertBytes = alerts.serializer().serialize("tlsmon.alerts", SampleRecords.alert());
        }
        try (ConfluentAvroSerde<RawLine> serde = mockSerde(false)) {
            assertThatThrownBy(() -> serde.deserializer().deserialize("tlsmon.alerts", alertBytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("io.tlsmon.avro.Alert")
                    .hasMessageContaining("cannot be read as io.tlsmon.avro.RawLine");
        }
    }

    @Test
    void keySerdesUseTheKeySubject() {
        try (ConfluentAvroSerde<RawLine> serde = mockSerde(true)) {
            serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1));
        }
        MockSchemaRegistryClient registry = MockSchemaRegistryClient.forScope(scope);
        assertThat(registry.latest(TOPIC + "-key").id()).isEqualTo(1);
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> registry.latest(SUBJECT))).isNotNull();
        assertThat(ConfluentAvroSerde.subjectName("t", true)).isEqualTo("t-key");
        assertThat(ConfluentAvroSerde.subjectName("t", false)).isEqualTo("t-value");
    }

    @Test
    void aRefusedRegistrationBecomesASerializationException() {
        Schema clashing = new Schema.Parser().parse("""
                {"type": "record", "name": "RawLine", "namespace": "io.tlsmon.avro", "fields": [
                  {"name": "line", "type": "int"}
                ]}""");
        RestSchemaRegistryClient.create(Map.of(URL, server.url())).register(SUBJECT, clashing);

        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, server.url()), false)) {
            SerializationException e = catchThrowableOfType(SerializationException.class,
                    () -> serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1)));

            assertThat(e.getMessage()).contains("Cannot register", SUBJECT, "incompatible", "409");
            assertThat(((SchemaRegistryException) e.getCause()).errorCode()).isEqualTo(409);
        }
    }

    @Test
    void withoutAutoRegisterTheLatestIdOfTheSubjectIsUsed() {
        int id = RestSchemaRegistryClient.create(Map.of(URL, server.url())).register(SUBJECT, RawLine.getClassSchema());
        Map<String, Object> configs = Map.of(URL, server.url(), SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false");

        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, configs, false)) {
            for (int i = 0; i < 10; i++) {
                assertThat(WireFormat.readSchemaId(serde.serializer().serialize(TOPIC, SampleRecords.rawLine(i)))).isEqualTo(id);
            }
        }
        assertThat(server.requestCount(REGISTER)).isEqualTo(1);
        assertThat(server.requestCount(VERSION)).isEqualTo(1);
    }

    @Test
    void withoutAutoRegisterAMissingSubjectIsASerializationException() {
        Map<String, Object> configs = Map.of(URL, server.url(), SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);

        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, configs, false)) {
            assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("auto.register.schemas is false")
                    .hasMessageContaining("40401");
        }
        assertThat(server.requestCount(REGISTER)).isZero();
    }

    @Test
    void withoutAutoRegisterADifferentLatestVersionIsRefusedUnlessUseLatestVersion() throws IOException {
        Schema newer = withExtraField(RawLine.getClassSchema(), "shipper", "\"string\"", "\"filebeat\"");
        int newerId = RestSchemaRegistryClient.create(Map.of(URL, server.url())).register(SUBJECT, newer);
        Map<String, Object> noLatest = Map.of(URL, server.url(), SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);
        Map<String, Object> useLatest = Map.of(URL, server.url(), SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                SchemaRegistryConfig.USE_LATEST_VERSION_CONFIG, true);

        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, noLatest, false)) {
            assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("differs from the schema of io.tlsmon.avro.RawLine")
                    .hasMessageContaining("use.latest.version");
        }
        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, useLatest, false)) {
            byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1));

            assertThat(WireFormat.readSchemaId(bytes)).isEqualTo(newerId);
            GenericRecord asWritten = new GenericDatumReader<GenericRecord>(newer)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
            assertThat(asWritten.get("shipper").toString()).isEqualTo("filebeat");
            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(SampleRecords.rawLine(1));
        }
        assertThat(server.requestCount(REGISTER)).isEqualTo(1);
    }

    @Test
    void aGivenClientIsUsedAndNoUrlIsNeeded() {
        SchemaRegistryClient client = MockSchemaRegistryClient.forScope(scope);

        try (ConfluentAvroSerde<RawLine> serde = ConfluentAvroSerde.forClass(RawLine.class, client, Map.of(), false)) {
            serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1));
        }

        assertThat(client.latest(SUBJECT).schema()).isEqualTo(RawLine.getClassSchema());
    }

    @Test
    void mockSerdesOfOneScopeShareTheRegistry() {
        byte[] bytes;
        try (ConfluentAvroSerde<RawLine> writer = mockSerde(false)) {
            bytes = writer.serializer().serialize(TOPIC, SampleRecords.rawLine(2));
        }
        try (ConfluentAvroSerde<RawLine> reader = mockSerde(false)) {
            assertThat(reader.deserializer().deserialize(TOPIC, bytes)).isEqualTo(SampleRecords.rawLine(2));
        }
        String stranger = scope + "-stranger";
        try (ConfluentAvroSerde<RawLine> reader = ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, "mock://" + stranger), false)) {
            assertThatThrownBy(() -> reader.deserializer().deserialize(TOPIC, bytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("does not know");
        } finally {
            MockSchemaRegistryClient.dropScope(stranger);
        }
    }

    @Test
    void aMissingUrlIsAConfigErrorNamingTheKey() {
        SchemaRegistryConfigException e = catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> ConfluentAvroSerde.forClass(RawLine.class, new HashMap<String, Object>(), false));

        assertThat(e.key()).isEqualTo(URL);
    }

    @Test
    void anUnconfiguredSerdeSaysHowToConfigureIt() {
        try (ConfluentAvroSerde<RawLine> serde = new ConfluentAvroSerde<>(RawLine.class)) {
            assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, SampleRecords.rawLine(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("forClass");
            assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 0, 0, 1}))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void configureOfAnUnconfiguredSerdeMakesItWork() {
        try (ConfluentAvroSerde<RawLine> serde = new ConfluentAvroSerde<>(RawLine.class)) {
            serde.configure(Map.of(URL, "mock://" + scope), false);

            byte[] bytes = serde.serializer().serialize(TOPIC, SampleRecords.rawLine(4));
            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(SampleRecords.rawLine(4));
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    private ConfluentAvroSerde<RawLine> mockSerde(boolean isKey) {
        return ConfluentAvroSerde.forClass(RawLine.class, Map.of(URL, "mock://" + scope), isKey);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T roundTrip(T record, Map<String, ?> configs) {
        Class<T> type = (Class<T>) record.getClass();
        try (ConfluentAvroSerde<T> writer = ConfluentAvroSerde.forClass(type, configs, false);
             ConfluentAvroSerde<T> reader = ConfluentAvroSerde.forClass(type, configs, false)) {
            byte[] bytes = writer.serializer().serialize(TOPIC, record);
            return reader.deserializer().deserialize(TOPIC, bytes);
        }
    }

    private static byte[] plainAvro(RawLine record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<RawLine>(RawLine.getClassSchema(), SpecificData.getForClass(RawLine.class))
                .write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Confluent framing written by hand, as another producer would. */
    private static byte[] frame(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(new byte[] {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema withExtraField(Schema schema, String name, String type, String defaultJson) {
        String json = schema.toString();
        String extra = ",{\"name\":\"" + name + "\",\"type\":" + type + ",\"default\":" + defaultJson + "}]";
        int end = json.lastIndexOf(']');
        return new Schema.Parser().parse(json.substring(0, end) + extra + json.substring(end + 1));
    }
}
