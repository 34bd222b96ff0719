package io.tlsmon.topology;

import io.tlsmon.avro.RawLine;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is the log line's own time: a raw line carries it when its shipper could read it;
 * otherwise, and for every other record, the record's timestamp (which our shippers set from the
 * line too). Never wall-clock time, so a replay gives the windows and alerts a live run gave.
 */
public final class LineTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof RawLine line && line.getTime() != null) {
            return line.getTime().toEpochMilli();
        }
        long ts = record.timestamp();
        return ts >= 0 ? ts : partitionTime;
    }
}
