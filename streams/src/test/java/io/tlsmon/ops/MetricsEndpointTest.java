package io.tlsmon.ops;

import com.sun.net.httpserver.HttpServer;
import io.tlsmon.topology.OutageMetrics;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsEndpointTest {

    @Test
    void everyFamilyHasHelpAndTypeBeforeItsSamplesAndKafkaMetricsKeepTheirTagsAsLabels() throws Exception {
        try (Metrics kafka = new Metrics()) {
            Sensor process = kafka.sensor("process");
            process.add(kafka.metricName("process-total", "stream-thread-metrics", "Records processed.", Map.of("thread-id", "t-1")), new CumulativeSum());
            process.add(kafka.metricName("commit-latency-max", "stream-thread-metrics", "", Map.of("thread-id", "t-1")), new Max());
            Sensor lag = kafka.sensor("lag");
            lag.add(kafka.metricName("records-lag-max", "consumer-fetch-manager-metrics", "The max lag.", Map.of("client-id", "c\"1")), new Max());
            Sensor io = kafka.sensor("io");
            io.add(kafka.metricName("io-wait-time-ns-avg", "consumer-metrics", "Average wait in ns.", Map.of()), new Avg());
            Sensor keys = kafka.sensor("keys");
            keys.add(kafka.metricName("estimate-num-keys", "stream-state-metrics", "Keys.", Map.of("task-id", "0_0", "rocksdb-state-id", "sessions")), new Max());
            keys.add(kafka.metricName("estimate-num-keys", "stream-state-metrics", "Keys.", Map.of("task-id", "0_1", "rocksdb-state-id", "sessions")), new CumulativeSum());
            Sensor empty = kafka.sensor("empty");
            empty.add(kafka.metricName("nothing-yet-avg", "stream-task-metrics", "Never recorded.", Map.of()), new Avg());
            process.record(5);
            process.record(7);
            lag.record(42);
            io.record(2_000_000_000.0);
            keys.record(3);

            MetricsEndpoint endpoint = new MetricsEndpoint(() -> KafkaStreams.State.RUNNING, kafka::metrics, new TlsmonMetrics(), OutageMetrics.get());
            String text = endpoint.render();
            assertWellFormed(text);
            assertThat(text).contains("kafka_stream_thread_process_total{thread_id=\"t-1\"} 12\n",
                    "# TYPE kafka_stream_thread_process_total counter",
                    "# HELP kafka_stream_thread_process_total Records processed.",
                    "kafka_stream_thread_commit_latency_max{thread_id=\"t-1\"} 7\n",
                    "tlsmon_consumer_records_lag_max 42\n",
                    "kafka_consumer_fetch_manager_records_lag_max{client_id=\"c\\\"1\"} 42\n",
                    "kafka_consumer_io_wait_time_seconds_avg 2\n",
                    "tlsmon_store_estimated_keys{store=\"sessions\"} 6\n",
                    "tlsmon_streams_state{state=\"RUNNING\"} 1\n", "tlsmon_streams_state{state=\"ERROR\"} 0\n");
            assertThat(text).doesNotContain("nothing_yet", "NaN");
            // the JVM's own, named much as Prometheus' Java client names them
            assertThat(text).contains("# TYPE jvm_memory_bytes_used gauge", "jvm_memory_bytes_used{area=\"heap\"} ",
                    "jvm_memory_bytes_used{area=\"nonheap\"} ", "# TYPE jvm_gc_collections_total counter", "jvm_threads_current ",
                    "process_start_time_seconds ");
            assertThat(text).contains("# HELP kafka_stream_thread_commit_latency_max Kafka metric stream-thread-metrics/commit-latency-max.");

            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/metrics", endpoint);
            server.start();
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
                assertThat(r.body()).contains("tlsmon_consumer_records_lag_max 42");
                HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).isEqualTo(405);
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void theLagHistogramIsCumulative() {
        TlsmonMetrics m = new TlsmonMetrics();
        m.alertLag().observe(0.2);
        m.alertLag().observe(4);
        m.alertLag().observe(1e9);
        Exposition out = new Exposition();
        m.writeTo(out);
        assertThat(out.text()).contains("tlsmon_alert_lag_seconds_bucket{le=\"0.5\"} 1\n", "tlsmon_alert_lag_seconds_bucket{le=\"5\"} 2\n",
                "tlsmon_alert_lag_seconds_bucket{le=\"604800\"} 2\n", "tlsmon_alert_lag_seconds_bucket{le=\"+Inf\"} 3\n",
                "tlsmon_alert_lag_seconds_count 3\n");
    }

    /** HELP then TYPE once per family, before its samples; every sample of a declared family. */
    static void assertWellFormed(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                current = line.split(" ")[2];
                assertThat(types).as("family declared once: " + current).doesNotContainKey(current);
                assertThat(line.length()).isGreaterThan(("# HELP " + current + " ").length());
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                assertThat(p[2]).isEqualTo(current);
                types.put(p[2], p[3]);
            } else {
                String name = line.split("[{ ]")[0];
                String family = "histogram".equals(types.get(current)) ? name.replaceAll("_(bucket|sum|count)$", "") : name;
                assertThat(family).as(line).isEqualTo(current);
                assertThat(name).matches("[a-zA-Z_][a-zA-Z0-9_]*");
            }
        }
        Set<String> counters = types.entrySet().stream().filter(e -> e.getValue().equals("counter")).map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(counters).allMatch(n -> n.endsWith("_total"));
        assertThat(Arrays.asList(text.split("\n"))).isNotEmpty();
    }
}
