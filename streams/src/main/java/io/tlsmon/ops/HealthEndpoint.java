package io.tlsmon.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.tlsmon.topology.OutageMetrics;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code /health/live} and {@code /health/ready} from the Kafka Streams client's state, with a JSON
 * body {@code {"status":"UP"|"DOWN","state":"RUNNING"}}:
 * <ul>
 *   <li>live: 200 unless the client is in {@code ERROR}, {@code PENDING_ERROR} or {@code NOT_RUNNING}
 *       (no thread will process again: restart the process), or a stream thread has stopped polling
 *       for good ({@link OutageMetrics#stuckThreads()}: nothing in the process can free it); a
 *       rebalance, a restore or a pause is alive.</li>
 *   <li>ready: 200 only in {@code RUNNING}, 503 otherwise (starting, rebalancing, shutting down).</li>
 * </ul>
 */
public final class HealthEndpoint implements HttpHandler {
    /** Which question the handler answers. */
    public enum Check { LIVE, READY }

    private final Check check;
    private final Supplier<KafkaStreams.State> state;
    private final LongSupplier stuckThreads;

    public HealthEndpoint(Check check, Supplier<KafkaStreams.State> state, LongSupplier stuckThreads) {
        this.check = check;
        this.state = state;
        this.stuckThreads = stuckThreads;
    }

    /** The two handlers, for {@code /health/live} and {@code /health/ready}. */
    public static HealthEndpoint live(KafkaStreams streams) {
        return new HealthEndpoint(Check.LIVE, streams::state, OutageMetrics.get()::stuckThreads);
    }

    public static HealthEndpoint ready(KafkaStreams streams) {
        return new HealthEndpoint(Check.READY, streams::state, OutageMetrics.get()::stuckThreads);
    }

    static boolean up(Check check, KafkaStreams.State s, long stuckThreads) {
        return switch (check) {
            case LIVE -> s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR && s != KafkaStreams.State.NOT_RUNNING
                    && stuckThreads == 0;
            case READY -> s == KafkaStreams.State.RUNNING;
        };
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            KafkaStreams.State s = state.get();
            boolean up = up(check, s, stuckThreads.getAsLong());
            byte[] body = ("{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"state\":\"" + s.name() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(up ? 200 : 503, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }
}
