package io.tlsmon.topology;

import io.tlsmon.avro.NegotiationAttempt;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the classified attempts of this task's partition per outcome and hour of their start
 * ({@link OutcomeHistory}), and keeps {@code tlsmon.history.retention.hours} of them, counted back
 * from the latest attempt start taken: the hours before are deleted as time passes them, and an
 * attempt that comes later than that is not counted. It forwards nothing.
 */
final class OutcomeHistoryProcessor implements Processor<String, NegotiationAttempt, Void, Void> {
    private final long retentionMs;
    private KeyValueStore<String, Long> counts;
    private int partition;
    /** Buckets before this one are gone; rebuilt from the first attempt after a restart. */
    private long keptFrom = Long.MIN_VALUE;

    OutcomeHistoryProcessor(TlsmonConfig config) {
        this.retentionMs = config.getLong(TlsmonConfig.HISTORY_RETENTION_HOURS_CONFIG) * OutcomeHistory.BUCKET_MS;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.counts = context.getStateStore(StoreNames.OUTCOME_HISTORY);
        this.partition = context.taskId().partition();
    }

    @Override
    public void process(Record<String, NegotiationAttempt> record) {
        NegotiationAttempt a = record.value();
        if (a == null) {
            return;
        }
        long bucket = OutcomeHistory.bucketOf(a.getStartTime().toEpochMilli());
        long from = bucket - retentionMs + OutcomeHistory.BUCKET_MS;
        if (from > keptFrom) {
            deleteBefore(from);
            keptFrom = from;
        }
        if (bucket < keptFrom) {
            return;
        }
        String key = OutcomeHistory.key(bucket, a.getOutcome(), partition);
        Long n = counts.get(key);
        counts.put(key, n == null ? 1 : n + 1);
    }

    private void deleteBefore(long bucketStart) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = counts.range(OutcomeHistory.firstKeyFrom(0), OutcomeHistory.firstKeyFrom(bucketStart))) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (kv.key.compareTo(OutcomeHistory.firstKeyFrom(bucketStart)) < 0) {
                    old.add(kv.key);
                }
            }
        }
        old.forEach(counts::delete);
    }
}
