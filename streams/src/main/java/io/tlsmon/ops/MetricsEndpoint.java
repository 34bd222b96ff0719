package io.tlsmon.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tlsmon.ingest.health.Outage;
import io.tlsmon.topology.DeadLetterHandlers;
import io.tlsmon.topology.OutageMetrics;
import io.tlsmon.topology.TopologyCounters;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: this instance in the Prometheus text format, every family with its HELP and
 * TYPE. tlsmon's own counts ({@link TlsmonMetrics}), what the instance lived through
 * ({@link OutageMetrics}, {@link TopologyCounters}), the client's state, and
 * Kafka Streams' own metrics ({@link StreamsMetricsBridge}).
 */
public final class MetricsEndpoint implements HttpHandler {
    private final Supplier<KafkaStreams.State> state;
    private final StreamsMetricsBridge streams;
    private final TlsmonMetrics counts;
    private final OutageMetrics outages;

    MetricsEndpoint(Supplier<KafkaStreams.State> state, Supplier<Map<MetricName, ? extends Metric>> streamsMetrics,
                    TlsmonMetrics counts, OutageMetrics outages) {
        this.state = state;
        this.streams = new StreamsMetricsBridge(streamsMetrics);
        this.counts = counts;
        this.outages = outages;
    }

    /** The endpoint of {@code streams}, with this JVM's counts. */
    public static MetricsEndpoint of(KafkaStreams streams) {
        return new MetricsEndpoint(streams::state, streams::metrics, TlsmonMetrics.get(), OutageMetrics.get());
    }

    /** The whole exposition, as served. */
    public String render() {
        Exposition out = new Exposition();
        counts.writeTo(out);
        counter(out, "tlsmon_parse_errors_total", "Lines that are not of their stream's format (dead letters of stage PARSE).",
                TopologyCounters.PARSE_ERRORS.get());
        counter(out, "tlsmon_alerts_suppressed_total", "RAISED alerts held back by the per-rule hourly cap.",
                TopologyCounters.ALERTS_SUPPRESSED.get());
        counter(out, "tlsmon_corrupt_stores_rebuilt_total", "State stores found corrupt when they opened, deleted and restored from their changelogs.",
                TopologyCounters.CORRUPT_STORES_REBUILT.get());
        counter(out, "tlsmon_tlsrpt_late_attempts_total", "Outbound attempts that came after their day's TLS-RPT report was written.",
                TopologyCounters.TLSRPT_LATE.get());
        counter(out, "tlsmon_internal_writes_refused_total", "Writes to changelog or repartition topics the broker refused (the task restarts).",
                DeadLetterHandlers.INTERNAL_WRITES_REFUSED.get());
        Outage full = outages.stateDirectory();
        counter(out, "tlsmon_state_directory_full_total", "Times the state directory filled up (episodes, not failed threads).", full.count());
        out.family("tlsmon_state_directory_full", Exposition.Type.GAUGE, "1 while the state directory is full and processing stops, else 0.")
                .sample("tlsmon_state_directory_full", List.of(), full.active() ? 1 : 0);
        out.family("tlsmon_state_directory_full_seconds_total", Exposition.Type.COUNTER, "Time the state directory was full, over all its episodes.")
                .sample("tlsmon_state_directory_full_seconds_total", List.of(), full.totalMs() / 1000.0);
        counter(out, "tlsmon_stream_threads_replaced_total", "Stream threads replaced after a failure.", outages.threadsReplaced());
        out.family("tlsmon_stream_threads_stuck", Exposition.Type.GAUGE,
                        "Stream threads that have not polled for longer than max.poll.interval.ms (/health/live is DOWN).")
                .sample("tlsmon_stream_threads_stuck", List.of(), outages.stuckThreads());
        counter(out, "tlsmon_records_held_back_total",
                "Records not dead-lettered because the schema registry, not the record, failed; each was read again.", outages.recordsHeldBack());
        outage(out, "broker", "the Kafka cluster", outages.broker());
        outage(out, "registry", "the schema registry", outages.registry());
        long age = outages.lastCommitAgeMs();
        if (age >= 0) {
            out.family("tlsmon_last_commit_age_seconds", Exposition.Type.GAUGE, "Time since the last commit of any stream thread.")
                    .sample("tlsmon_last_commit_age_seconds", List.of(), age / 1000.0);
        }
        out.family("tlsmon_streams_state", Exposition.Type.GAUGE, "The Kafka Streams client's state: 1 for the current one, 0 for the others.");
        KafkaStreams.State now = state.get();
        for (KafkaStreams.State s : KafkaStreams.State.values()) {
            out.sample("tlsmon_streams_state", List.of("state", s.name()), s == now ? 1 : 0);
        }
        JvmMetrics.writeTo(out);
        streams.writeTo(out);
        return out.text();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = render().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", Exposition.CONTENT_TYPE);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private static void counter(Exposition out, String name, String help, long value) {
        out.family(name, Exposition.Type.COUNTER, help).sample(name, List.of(), value);
    }

    private static void outage(Exposition out, String what, String whose, Outage o) {
        String p = "tlsmon_" + what + "_outage";
        out.family(p + "_active", Exposition.Type.GAUGE, "1 while " + whose + " is out of reach, else 0.")
                .sample(p + "_active", List.of(), o.active() ? 1 : 0);
        out.family(p + "s_total", Exposition.Type.COUNTER, "Outages of " + whose + " seen.").sample(p + "s_total", List.of(), o.count());
        out.family(p + "_seconds_total", Exposition.Type.COUNTER, "Time " + whose + " was out of reach, over all its outages.")
                .sample(p + "_seconds_total", List.of(), o.totalMs() / 1000.0);
    }
}
