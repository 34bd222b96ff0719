package io.tlsmon.ingest.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.tlsmon.avro.RawLine;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic (read_committed) in partition order, for assertions. */
public final class TopicReader {
    private TopicReader() {
    }

    /**
     * Reads until at least {@code expected} records arrived (or {@code timeout}), then a little longer
     * so that duplicates beyond the expected count would show.
     */
    public static List<ConsumerRecord<String, RawLine>> readAll(String bootstrap, String topic, int expected, Duration timeout) {
        return readAll(bootstrap, topic, expected, timeout, AvroRawLineSerde.deserializer());
    }

    /** As {@link #readAll(String, String, int, Duration)}, decoding values with {@code values} (a registry serde's, say). */
    public static List<ConsumerRecord<String, RawLine>> readAll(String bootstrap, String topic, int expected, Duration timeout,
                                                               org.apache.kafka.common.serialization.Deserializer<RawLine> values) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        List<ConsumerRecord<String, RawLine>> out = new ArrayList<>();
        try (KafkaConsumer<String, RawLine> c = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            long settleUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, settleUntil)) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
                if (out.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.currentTimeMillis() + 1000;
                }
            }
        }
        return out;
    }
}
