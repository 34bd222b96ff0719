package io.tlsmon.ops;

import com.sun.net.httpserver.HttpHandler;
import org.apache.kafka.streams.KafkaStreams;

import java.util.function.BiConsumer;

/** The operations endpoints of one instance, for the HTTP server to mount. */
public final class OpsEndpoints {
    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private OpsEndpoints() {
    }

    /**
     * Mounts {@code /metrics} with {@code guarded} (behind the API's token, which Prometheus sends as
     * its scrape's bearer token), and {@code /health/live} and {@code /health/ready} of {@code streams}
     * with {@code open}: an orchestrator's probes carry no credentials, and the answers say no more
     * than the client's state.
     */
    public static void mount(BiConsumer<String, HttpHandler> guarded, BiConsumer<String, HttpHandler> open, KafkaStreams streams) {
        guarded.accept(METRICS, MetricsEndpoint.of(streams));
        open.accept(LIVE, HealthEndpoint.live(streams));
        open.accept(READY, HealthEndpoint.ready(streams));
    }
}
