package io.tlsmon.topology;

import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.DeadLetterStage;
import io.tlsmon.engine.DeadLetters;
import io.tlsmon.schemas.registry.SchemaRegistryException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kafka Streams error handlers that keep the pipeline running and lose nothing: a record that cannot
 * be read, processed or written becomes a {@link DeadLetter} with the reason, its source topic,
 * partition and offset, and its bytes, written by Streams itself (so within the same transaction
 * under exactly-once). Each is counted in {@link #COUNT}.
 *
 * <p>A record is dead-lettered only for what is wrong with it. When the schema registry is what
 * failed (unreachable, 5xx, refusing our credentials, our own schema refused: anything but "this
 * record names a schema id the registry does not have" or an unusable schema for that id), the record
 * is good and the next one would fail the same way: the handler fails the task instead, counted in
 * {@link OutageMetrics#recordsHeldBack()}. The stream thread stops, waits for the registry and is
 * replaced ({@link ThreadFailures}); its tasks restart from their last commit and read the record again.
 */
public final class DeadLetterHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandlers.class);

    /** Dead letters written by the handlers of this JVM (parse errors are counted by the topology). */
    public static final AtomicLong COUNT = new AtomicLong();
    /** Writes to a changelog or repartition topic the broker refused: each failed its task, none was skipped. */
    public static final AtomicLong INTERNAL_WRITES_REFUSED = new AtomicLong();

    private DeadLetterHandlers() {
    }

    /** Shared by the three handlers: the dead-letter topic and its serde, from the Streams config. */
    abstract static class Base {
        private String topic;
        private Serde<DeadLetter> serde;
        private String internalPrefix;

        public void configure(Map<String, ?> configs) {
            Map<String, Object> m = new HashMap<>(configs);
            internalPrefix = m.get(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG) + "-";
            String prefix = String.valueOf(m.getOrDefault(TlsmonConfig.TOPIC_PREFIX_CONFIG, "tlsmon."));
            m.putIfAbsent(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://tlsmon");
            Topics topics = Topics.of(prefix, m);
            this.topic = topics.deadLetters().name();
            this.serde = topics.deadLetters().valueSerde();
        }

        /** A changelog or repartition topic of this application: Kafka Streams names them so. */
        boolean isInternal(String topicName) {
            return topicName != null && topicName.startsWith(internalPrefix)
                    && (topicName.endsWith("-changelog") || topicName.endsWith("-repartition"));
        }

        /**
         * The registry failure behind {@code e} that is not the record's fault, or null. When writing, every
         * registry failure is (the schema is ours, the same for every record); when reading, all but an
         * unknown schema id or an unusable schema for it.
         */
        static SchemaRegistryException notTheRecords(Throwable e, boolean writing) {
            SchemaRegistryException r = SchemaRegistryException.in(e);
            return r == null || (!writing && r.isAboutTheData()) ? null : r;
        }

        /** Fails the task for a good record the registry kept from being read or written. */
        static <R> R holdBack(DeadLetterStage stage, ErrorHandlerContext ctx, SchemaRegistryException cause, R fail) {
            OutageMetrics.get().heldBack();
            LOG.warn("not a dead letter ({}) from {}-{}@{}: the schema registry failed ({}). The task stops and restarts from its "
                    + "last commit once the registry answers; the record is read again", stage, ctx.topic(), ctx.partition(),
                    ctx.offset(), cause.getMessage());
            return fail;
        }

        /** The dead letter, or null when writing it needs the registry and the registry failed. */
        List<ProducerRecord<byte[], byte[]>> letterOrNull(DeadLetterStage stage, ErrorHandlerContext ctx, byte[] key, byte[] value, Exception e) {
            try {
                return letter(stage, ctx, key, value, e);
            } catch (RuntimeException failed) {
                if (SchemaRegistryException.in(failed) == null) {
                    throw failed;
                }
                holdBack(stage, ctx, SchemaRegistryException.in(failed), null);
                return null;
            }
        }

        List<ProducerRecord<byte[], byte[]>> letter(DeadLetterStage stage, ErrorHandlerContext ctx, byte[] key, byte[] value, Exception e) {
            // serialized first: a dead letter the registry keeps from being written is not counted
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            DeadLetter d = DeadLetters.ofRecord(stage, reason, ctx.topic(), ctx.partition(), ctx.offset(), key, value, ctx.timestamp());
            byte[] bytes = serde.serializer().serialize(topic, d);
            COUNT.incrementAndGet();
            io.tlsmon.ops.TlsmonMetrics.get().deadLetter(stage.name());
            if (stage == DeadLetterStage.PROCESS) {
                // an exception inside our own processors is a bug: keep its stack for the report
                LOG.warn("dead letter ({}) from {}-{}@{}: {}", stage, ctx.topic(), ctx.partition(), ctx.offset(), reason, e);
            } else {
                LOG.warn("dead letter ({}) from {}-{}@{}: {}", stage, ctx.topic(), ctx.partition(), ctx.offset(), reason);
            }
            return List.of(new ProducerRecord<>(topic, null, key, bytes));
        }
    }

    /** A record of an input topic that cannot be deserialized. */
    public static final class Deserialization extends Base implements DeserializationExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception e) {
            SchemaRegistryException registry = notTheRecords(e, false);
            if (registry != null) {
                return holdBack(DeadLetterStage.DESERIALIZE, ctx, registry, Response.fail());
            }
            List<ProducerRecord<byte[], byte[]>> letter = letterOrNull(DeadLetterStage.DESERIALIZE, ctx, record.key(), record.value(), e);
            return letter == null ? Response.fail() : Response.resume(letter);
        }
    }

    /** An exception thrown inside a processor: the record goes to the dead letters and processing goes on. */
    public static final class Processing extends Base implements ProcessingExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext ctx, Record<?, ?> record, Exception e) {
            // a store's values are Avro too: reading or writing them may need the registry
            SchemaRegistryException registry = notTheRecords(e, false);
            if (registry != null) {
                return holdBack(DeadLetterStage.PROCESS, ctx, registry, Response.fail());
            }
            List<ProducerRecord<byte[], byte[]>> letter = letterOrNull(DeadLetterStage.PROCESS, ctx, ctx.sourceRawKey(), ctx.sourceRawValue(), e);
            return letter == null ? Response.fail() : Response.resume(letter);
        }
    }

    /**
     * A record that cannot be serialized or that the broker refused. Only a record of an output
     * topic becomes a dead letter, whole and with its reason. A refused write to a changelog or a
     * repartition topic is never skipped: skipped, the store and its changelog (or the two stages)
     * would no longer agree, and nothing would say so. The task fails instead and its thread is
     * replaced, which restarts it from its last commit (under exactly-once its transaction aborts).
     */
    public static final class Production extends Base implements ProductionExceptionHandler {
        @Override
        public Response handleError(ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> record, Exception e) {
            if (e instanceof org.apache.kafka.common.errors.RetriableException) {
                return Response.retry();
            }
            if (isInternal(record.topic())) {
                return refuseInternal(ctx, record.topic(), e);
            }
            List<ProducerRecord<byte[], byte[]>> letter = letterOrNull(DeadLetterStage.PRODUCE, ctx, record.key(), record.value(), e);
            return letter == null ? Response.fail() : Response.resume(letter);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Response handleSerializationError(ErrorHandlerContext ctx, ProducerRecord record, Exception e,
                                                 SerializationExceptionOrigin origin) {
            SchemaRegistryException registry = notTheRecords(e, true);
            if (registry != null) {
                return holdBack(DeadLetterStage.PRODUCE, ctx, registry, Response.fail());
            }
            if (isInternal(record.topic())) {
                return refuseInternal(ctx, record.topic(), e);
            }
            List<ProducerRecord<byte[], byte[]>> letter = letterOrNull(DeadLetterStage.PRODUCE, ctx, ctx.sourceRawKey(), ctx.sourceRawValue(), e);
            return letter == null ? Response.fail() : Response.resume(letter);
        }

        private static Response refuseInternal(ErrorHandlerContext ctx, String topic, Exception e) {
            INTERNAL_WRITES_REFUSED.incrementAndGet();
            LOG.error("the write to internal topic {} (input {}-{}@{}) failed: {}: {}. The task stops and restarts from its "
                    + "last commit; fix the cause (topic settings, broker limits) for it to get past this record.",
                    topic, ctx.topic(), ctx.partition(), ctx.offset(), e.getClass().getSimpleName(), e.getMessage());
            return Response.fail();
        }
    }
}
