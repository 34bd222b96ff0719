package io.tlsmon.topology;

import io.tlsmon.schemas.registry.SchemaRegistryException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error handlers tell a registry outage from a bad record: the first fails the task (the record is
 * read again after the restart) and is counted as held back, the second becomes a dead letter.
 */
class DeadLetterHandlersRegistryTest {
    private static final Map<String, Object> CONFIGS = Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "tlsmon-test",
            TlsmonConfig.TOPIC_PREFIX_CONFIG, "t.", TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://handlers-test");

    private static final byte[] VALUE = "some bytes".getBytes(StandardCharsets.UTF_8);

    private static final ErrorHandlerContext CTX = new ErrorHandlerContext() {
        @Override public String topic() { return "t.raw-lines"; }
        @Override public int partition() { return 0; }
        @Override public long offset() { return 42; }
        @Override public Headers headers() { return new RecordHeaders(); }
        @Override public String processorNodeId() { return "raw-lines-source"; }
        @Override public TaskId taskId() { return new TaskId(0, 0); }
        @Override public long timestamp() { return 0; }
        @Override public byte[] sourceRawKey() { return null; }
        @Override public byte[] sourceRawValue() { return VALUE; }
    };

    private static SerializationException reading(SchemaRegistryException cause) {
        return new SerializationException("Cannot fetch schema id 7 for a record of topic t.raw-lines: " + cause.getMessage(), cause);
    }

    private static DeserializationExceptionHandler.Response deserialize(Exception e) {
        DeadLetterHandlers.Deserialization h = new DeadLetterHandlers.Deserialization();
        h.configure(CONFIGS);
        return h.handleError(CTX, new ConsumerRecord<>("t.raw-lines", 0, 42, null, VALUE), e);
    }

    @Test
    void aRegistryThatCannotBeReachedOrFailsIsNoDeadLetter() {
        for (SchemaRegistryException outage : new SchemaRegistryException[] {
                SchemaRegistryException.unreachable("No schema registry reachable (connection refused)", null),
                new SchemaRegistryException(503, -1, "Service Unavailable"),
                new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, "store error"),
                new SchemaRegistryException(401, 401, "Unauthorized")}) {
            long letters = DeadLetterHandlers.COUNT.get();
            long heldBack = OutageMetrics.get().recordsHeldBack();
            DeserializationExceptionHandler.Response r = deserialize(reading(outage));
            assertThat(r.result()).as("%s", outage.getMessage()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
            assertThat(r.deadLetterQueueRecords()).isEmpty();
            assertThat(DeadLetterHandlers.COUNT.get()).isEqualTo(letters);
            assertThat(OutageMetrics.get().recordsHeldBack()).isEqualTo(heldBack + 1);
        }
    }

    @Test
    void aBadRecordIsADeadLetter() {
        for (Exception bad : new Exception[] {
                new SerializationException("Record of topic t.raw-lines starts with byte 0x74, not Confluent's magic byte 0x00"),
                reading(new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found")),
                reading(new SchemaRegistryException(200, -1, "The registry's schema id 7 is a PROTOBUF schema, not Avro"))}) {
            long letters = DeadLetterHandlers.COUNT.get();
            DeserializationExceptionHandler.Response r = deserialize(bad);
            assertThat(r.result()).as("%s", bad.getMessage()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
            assertThat(r.deadLetterQueueRecords()).hasSize(1);
            assertThat(r.deadLetterQueueRecords().get(0).topic()).isEqualTo("t.dead-letters");
            assertThat(DeadLetterHandlers.COUNT.get()).isEqualTo(letters + 1);
        }
    }

    @Test
    void writingAnOutputRecordWhileTheRegistryFailsIsNoDeadLetterWhateverItAnswers() {
        DeadLetterHandlers.Production h = new DeadLetterHandlers.Production();
        h.configure(CONFIGS);
        for (SchemaRegistryException failure : new SchemaRegistryException[] {
                SchemaRegistryException.unreachable("No schema registry reachable", null),
                new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA, "incompatible")}) {
            long letters = DeadLetterHandlers.COUNT.get();
            ProductionExceptionHandler.Response r = h.handleSerializationError(CTX, new ProducerRecord<>("t.attempts", "k", "v"),
                    new SerializationException("Cannot register the schema", failure),
                    ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
            assertThat(r.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
            assertThat(DeadLetterHandlers.COUNT.get()).isEqualTo(letters);
        }
    }
}
