package io.tlsmon.topology;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.format.TlsRptDay;
import io.tlsmon.format.TlsRptDays;
import io.tlsmon.format.TlsRptReport;
import io.tlsmon.format.TlsRptSession;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the outbound attempts of each policy domain per UTC day in {@value StoreNames#TLSRPT_COUNTS}
 * and, once a day has closed in stream time (attempts {@code tlsmon.tlsrpt.grace.ms} past its end
 * have been taken), forwards one RFC 8460 report per domain of that day, keyed by the domain, and
 * drops its counts. Stream time is the attempts' own start time, kept in {@value StoreNames#TLSRPT_CLOCK}
 * with the first day not yet reported: both are restored with the counts after a restart, and under
 * exactly-once the report and the deletion of its counts are one transaction, so a day is reported once.
 */
final class TlsRptProcessor implements Processor<String, NegotiationAttempt, String, String> {
    /** The latest attempt start taken, epoch millis. */
    static final String CLOCK = "clock";
    /** The first UTC day (epoch day) whose reports have not been written: earlier days are done. */
    static final String REPORTED_BEFORE = "reported-before";

    private final TlsmonConfig config;
    private final TlsRptReport.Sender sender;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, Long> counts;
    private KeyValueStore<String, Long> clock;

    TlsRptProcessor(TlsmonConfig config) {
        this.config = config;
        this.sender = config.tlsRptSender();
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.counts = context.getStateStore(StoreNames.TLSRPT_COUNTS);
        this.clock = context.getStateStore(StoreNames.TLSRPT_CLOCK);
    }

    @Override
    public void process(Record<String, NegotiationAttempt> record) {
        TlsRptSession s = record.value() == null ? null : TlsRptSession.of(record.value());
        if (s == null) {
            return;
        }
        Long reportedBefore = clock.get(REPORTED_BEFORE);
        if (reportedBefore != null && s.day().toEpochDay() < reportedBefore) {
            TopologyCounters.TLSRPT_LATE.incrementAndGet();
            return;
        }
        String key = s.storeKey();
        Long n = counts.get(key);
        counts.put(key, n == null ? 1 : n + 1);

        long start = record.value().getStartTime().toEpochMilli();
        Long before = clock.get(CLOCK);
        long now = before == null ? start : Math.max(before, start);
        if (before == null || now > before) {
            clock.put(CLOCK, now);
        }
        LocalDate open = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(now - config.tlsRptGraceMs()), ZoneOffset.UTC);
        if (reportedBefore == null || open.toEpochDay() > reportedBefore) {
            reportDaysBefore(open, record.timestamp());
            clock.put(REPORTED_BEFORE, open.toEpochDay());
        }
    }

    /** Forwards the report of every domain of every day before {@code open} and deletes their counts. */
    private void reportDaysBefore(LocalDate open, long timestamp) {
        TlsRptDays days = new TlsRptDays();
        List<String> done = new ArrayList<>();
        // Keys start with their day, so the days before `open` are exactly the keys up to its first key.
        try (KeyValueIterator<String, Long> it = counts.range(null, TlsRptSession.firstKeyOf(open))) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                days.add(TlsRptSession.ofStoreKey(kv.key), kv.value);
                done.add(kv.key);
            }
        }
        for (TlsRptDay day : days.reports()) {
            context.forward(new Record<>(day.policyDomain(), TlsRptReport.json(day, sender), timestamp));
        }
        done.forEach(counts::delete);
    }
}
