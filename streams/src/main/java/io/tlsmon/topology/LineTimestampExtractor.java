package io.tlsmon.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Kafka-side timestamps are arrival times: the broker's append time on tlsmon's topics (they use
 * LogAppendTime), the producer's time elsewhere. Event time is never taken from here: the engine
 * reads each line's own time from the line and keeps a clock per stream, so a replay gives the
 * sessions and alerts a live run gave. Keeping the line's time out of Kafka's timestamps also keeps a
 * server clock hours ahead from making the broker refuse changelog and repartition writes
 * ({@code log.message.timestamp.after.max.ms}).
 */
public final class LineTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long ts = record.timestamp();
        return ts >= 0 ? ts : Math.max(partitionTime, 0);
    }
}
