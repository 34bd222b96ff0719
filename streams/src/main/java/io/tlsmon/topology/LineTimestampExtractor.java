package io.tlsmon.topology;

import io.tlsmon.avro.RawLine;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the log line's own time, never the wall clock, so a replay gives the windows and
 * alerts a live run gave. A raw line carries its time when its shipper could read it; a raw line
 * without one (an Exchange {@code #} header line) takes the partition's current stream time: its
 * record timestamp is the broker's append time (tlsmon's topics use LogAppendTime), which would
 * push stream time to today and stop every punctuation of a replayed archive. Records that are not
 * raw lines (the repartitioned attempts) carry their event time as record timestamp.
 */
public final class LineTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof RawLine line) {
            return line.getTime() != null ? line.getTime().toEpochMilli() : Math.max(partitionTime, 0);
        }
        long ts = record.timestamp();
        return ts >= 0 ? ts : Math.max(partitionTime, 0);
    }
}
