package io.tlsmon.ops;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Kafka Streams' own metrics (its threads, tasks, stores and its clients'), as Prometheus families
 * named {@code kafka_<group>_<name>} with their tags as labels and their description as help.
 * Cumulative {@code *-total} metrics are counters, the rest gauges; values that are not numbers
 * (app-info strings) and NaN or infinite values (a max or average with nothing recorded yet) are
 * left out. A unit abbreviation in a name is spelled out in base units where Prometheus' naming
 * rules ask for it ({@code -ns-} and {@code -ms-} are converted to seconds), and a gauge whose name
 * ends as a histogram's series do ({@code _count}, {@code _sum}, {@code _bucket}) gets {@code _value} after it.
 *
 * <p>Two of them are also given as tlsmon's own summary families: the consumer lag (the largest
 * {@code records-lag-max} of the instance's consumers) and the state store sizes (RocksDB's
 * {@code estimate-num-keys}, summed over the tasks, per store).
 */
final class StreamsMetricsBridge {
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;

    StreamsMetricsBridge(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    private record Family(String name, Exposition.Type type, String help, double scale, List<Sample> samples) {
    }

    private record Sample(List<String> labels, double value) {
    }

    void writeTo(Exposition out) {
        Map<String, Family> families = new TreeMap<>();
        double lagMax = Double.NaN;
        Map<String, Double> storeKeys = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName n = e.getKey();
            if (!(e.getValue().metricValue() instanceof Number number)) {
                continue;
            }
            double v = number.doubleValue();
            if (!Double.isFinite(v)) {
                continue;
            }
            if (n.name().equals("records-lag-max") && n.group().equals("consumer-fetch-manager-metrics")) {
                lagMax = Double.isNaN(lagMax) ? v : Math.max(lagMax, v);
            }
            if (n.name().equals("estimate-num-keys") && n.group().equals("stream-state-metrics")) {
                String store = n.tags().getOrDefault("rocksdb-state-id", "");
                storeKeys.merge(store, v, Double::sum);
            }
            Family f = families.computeIfAbsent(familyName(n), k -> newFamily(k, n));
            List<String> labels = new ArrayList<>();
            new TreeMap<>(n.tags()).forEach((tag, value) -> {
                labels.add(Exposition.name(tag));
                labels.add(value);
            });
            f.samples().add(new Sample(labels, v * f.scale()));
        }
        if (!Double.isNaN(lagMax)) {
            out.family("tlsmon_consumer_records_lag_max", Exposition.Type.GAUGE,
                    "The largest lag in records of this instance's consumers over their partitions (Kafka's records-lag-max).")
                    .sample("tlsmon_consumer_records_lag_max", List.of(), lagMax);
        }
        if (!storeKeys.isEmpty()) {
            out.family("tlsmon_store_estimated_keys", Exposition.Type.GAUGE,
                    "Estimated number of keys in each RocksDB state store of this instance, summed over its tasks (RocksDB's estimate-num-keys).");
            storeKeys.forEach((store, v) -> out.sample("tlsmon_store_estimated_keys", List.of("store", store), v));
        }
        for (Family f : families.values()) {
            out.family(f.name(), f.type(), f.help());
            java.util.Set<List<String>> seen = new java.util.HashSet<>();
            for (Sample s : f.samples()) {
                if (seen.add(s.labels())) {
                    out.sample(f.name(), s.labels(), s.value());
                }
            }
        }
    }

    static String familyName(MetricName n) {
        String raw = n.name().replace("-ns-", "-seconds-").replace("-ms-", "-seconds-");
        if (raw.endsWith("-ns") || raw.endsWith("-ms")) {
            raw = raw.substring(0, raw.length() - 3) + "-seconds";
        }
        String name = Exposition.name("kafka_" + n.group().replace("-metrics", "") + "_" + raw);
        // Prometheus keeps these suffixes for the series of histograms and summaries
        return name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket") ? name + "_value" : name;
    }

    private static Family newFamily(String name, MetricName n) {
        double scale = n.name().contains("-ns-") || n.name().endsWith("-ns") ? 1e-9
                : n.name().contains("-ms-") || n.name().endsWith("-ms") ? 1e-3 : 1;
        Exposition.Type type = n.name().endsWith("-total") ? Exposition.Type.COUNTER : Exposition.Type.GAUGE;
        String help = n.description() == null || n.description().isBlank()
                ? "Kafka metric " + n.group() + "/" + n.name() + "." : n.description();
        return new Family(name, type, help, scale, new ArrayList<>());
    }
}
