package io.tlsmon.ingest.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tlsmon.avro.RawLine;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Every line written against what the topic holds: which are missing, which are there more than once. */
public record LineCounts(int written, int shipped, List<String> missing, List<String> duplicated, List<String> unknown) {

    public static LineCounts of(Collection<String> written, List<ConsumerRecord<String, RawLine>> records) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ConsumerRecord<String, RawLine> r : records) {
            counts.merge(r.value().getLine(), 1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        for (String line : written) {
            if (!counts.containsKey(line)) {
                missing.add(line);
            }
        }
        List<String> duplicated = new ArrayList<>();
        counts.forEach((line, n) -> {
            if (n > 1) {
                duplicated.add(line + " x" + n);
            }
        });
        List<String> unknown = new ArrayList<>(counts.keySet());
        unknown.removeAll(new java.util.HashSet<>(written));
        return new LineCounts(written.size(), records.size(), missing, duplicated, unknown);
    }

    /** Each line written is in the topic once, and nothing else is. */
    public boolean exactlyOnce() {
        return missing.isEmpty() && duplicated.isEmpty() && unknown.isEmpty() && shipped == written;
    }

    @Override
    public String toString() {
        return "written=" + written + " shipped=" + shipped + " missing=" + missing.size() + " duplicated=" + duplicated.size()
            + " unknown=" + unknown.size() + (missing.isEmpty() ? "" : " first missing " + missing.subList(0, Math.min(5, missing.size())))
            + (duplicated.isEmpty() ? "" : " first duplicated " + duplicated.subList(0, Math.min(5, duplicated.size())));
    }
}
