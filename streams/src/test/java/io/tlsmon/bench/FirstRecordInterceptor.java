package io.tlsmon.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consumer interceptor for a Streams app's main consumer ({@code main.consumer.interceptor.classes}):
 * notes, per group (= application id), the {@link System#nanoTime} at which a poll first returned
 * records. That is where a benchmark run's clock starts; group join and store opening come before it.
 */
public final class FirstRecordInterceptor implements ConsumerInterceptor<byte[], byte[]> {
    private static final Map<String, AtomicLong> FIRST = new ConcurrentHashMap<>();
    private AtomicLong first;

    /** When a poll of {@code groupId}'s main consumer first returned records, or -1. */
    static long firstRecordNanos(String groupId) {
        AtomicLong t = FIRST.get(groupId);
        return t == null ? -1 : t.get();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object group = configs.get(ConsumerConfig.GROUP_ID_CONFIG);
        first = FIRST.computeIfAbsent(String.valueOf(group), g -> new AtomicLong(-1));
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        if (!records.isEmpty() && first.get() < 0) {
            first.compareAndSet(-1, System.nanoTime());
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // the end of a run is read from the group's committed offsets by Drain, not from here
    }

    @Override
    public void close() {
        // nothing held
    }
}
