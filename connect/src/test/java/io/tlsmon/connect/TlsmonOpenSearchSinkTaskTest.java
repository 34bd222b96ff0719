package io.tlsmon.connect;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the task does with each kind of reply. The replies come from a JDK HTTP server scripted with
 * OpenSearch's reply shapes: a stand-in, because a real node cannot be made to answer 429 or 503 on
 * cue (the real node's answers to real documents are {@code siem-it}'s {@code ConnectSinkIT}).
 */
class TlsmonOpenSearchSinkTaskTest {
    private HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<String> bodies = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final Context context = new Context();

    private record Reply(int status, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            Reply r = replies.isEmpty() ? new Reply(500, "no reply scripted") : replies.poll();
            byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private TlsmonOpenSearchSinkTask task(String url, int batchSize, Map<String, String> more) {
        TlsmonOpenSearchSinkTask t = new TlsmonOpenSearchSinkTask();
        t.initialize(context);
        Map<String, String> props = new java.util.HashMap<>(Map.of("opensearch.url", url, "index", "tlsmon-ecs-t",
                "batch.size", Integer.toString(batchSize), "retry.backoff.ms", "1234"));
        props.putAll(more);
        t.start(props);
        return t;
    }

    private TlsmonOpenSearchSinkTask task(int batchSize) {
        return task("http://127.0.0.1:" + server.getAddress().getPort(), batchSize, Map.of());
    }

    private static SinkRecord record(long offset, String id) {
        return new SinkRecord("tlsmon.output-ecs", 0, null, null, null, "{\"event\":{\"id\":\"" + id + "\"}}", offset);
    }

    private static String items(int... statuses) {
        StringBuilder b = new StringBuilder("{\"errors\":false,\"items\":[");
        for (int i = 0; i < statuses.length; i++) {
            int s = statuses[i];
            b.append(i == 0 ? "" : ",").append("{\"index\":{\"status\":").append(s);
            if (s >= 300) {
                b.append(",\"error\":{\"type\":\"").append(s == 400 ? "strict_dynamic_mapping_exception" : "es_rejected_execution_exception")
                        .append("\",\"reason\":\"r").append(s).append("\"}");
            }
            b.append("}}");
        }
        return b.append("]}").toString();
    }

    @Test
    void recordsAreSentInBatchesWithTheEventIdAsDocumentId() {
        replies.add(new Reply(200, items(201, 201)));
        replies.add(new Reply(200, items(200)));
        task(2).put(List.of(record(0, "a"), record(1, "b"), record(2, "c")));
        assertThat(bodies).containsExactly(
                "{\"index\":{\"_index\":\"tlsmon-ecs-t\",\"_id\":\"a\"}}\n{\"event\":{\"id\":\"a\"}}\n"
                        + "{\"index\":{\"_index\":\"tlsmon-ecs-t\",\"_id\":\"b\"}}\n{\"event\":{\"id\":\"b\"}}\n",
                "{\"index\":{\"_index\":\"tlsmon-ecs-t\",\"_id\":\"c\"}}\n{\"event\":{\"id\":\"c\"}}\n");
        assertThat(authorizations).containsOnlyNulls();
    }

    @Test
    void basicAuthenticationIsSent() {
        replies.add(new Reply(200, items(201)));
        task("http://127.0.0.1:" + server.getAddress().getPort(), 10, Map.of("username", "u", "password", "p")).put(List.of(record(0, "a")));
        assertThat(authorizations).containsExactly("Basic dTpw");
    }

    @Test
    void aThrottledOrUnavailableClusterIsRetried() {
        TlsmonOpenSearchSinkTask t = task(10);
        replies.add(new Reply(429, "{\"error\":\"too many requests\"}"));
        assertThatThrownBy(() -> t.put(List.of(record(0, "a")))).isInstanceOf(RetriableException.class).hasMessageContaining("429");
        assertThat(context.timeout).isEqualTo(1234);
        replies.add(new Reply(503, "{}"));
        assertThatThrownBy(() -> t.put(List.of(record(0, "a")))).isInstanceOf(RetriableException.class).hasMessageContaining("503");
        // one item the cluster could not take now: the whole put again (the indexed one overwrites itself)
        replies.add(new Reply(200, items(201, 429)));
        assertThatThrownBy(() -> t.put(List.of(record(0, "a"), record(1, "b")))).isInstanceOf(RetriableException.class)
                .hasMessageContaining("r429");
    }

    @Test
    void noConnectionIsRetried() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        TlsmonOpenSearchSinkTask t = task("http://127.0.0.1:" + closed, 10, Map.of());
        assertThatThrownBy(() -> t.put(List.of(record(0, "a")))).isInstanceOf(RetriableException.class).hasMessageContaining("no reply");
    }

    @Test
    void aWrongSetupFailsTheTask() {
        TlsmonOpenSearchSinkTask t = task(10);
        replies.add(new Reply(401, "{\"error\":\"unauthorized\"}"));
        assertThatThrownBy(() -> t.put(List.of(record(0, "a")))).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class).hasMessageContaining("401").hasMessageContaining("username");
        replies.add(new Reply(200, items(403)));
        assertThatThrownBy(() -> t.put(List.of(record(0, "a")))).isNotInstanceOf(RetriableException.class).hasMessageContaining("403");
        replies.add(new Reply(200, "{\"items\":[]}"));
        assertThatThrownBy(() -> t.put(List.of(record(0, "a")))).isNotInstanceOf(RetriableException.class).hasMessageContaining("0 items");
    }

    @Test
    void aRefusedDocumentFailsTheTaskWithoutAReporter() {
        TlsmonOpenSearchSinkTask t = task(10);
        replies.add(new Reply(200, items(201, 400)));
        assertThatThrownBy(() -> t.put(List.of(record(0, "a"), record(7, "b")))).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class).hasMessageContaining("tlsmon.output-ecs-0@7").hasMessageContaining("r400");
        assertThatThrownBy(() -> t.put(List.of(record(8, "x"), new SinkRecord("tlsmon.output-ecs", 0, null, null, null, "CEF:0|x", 9))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("tlsmon.output-ecs-0@9").hasMessageContaining("not JSON");
    }

    @Test
    void refusedDocumentsAndNonDocumentsGoToTheReporter() {
        context.reporter = (r, e) -> {
            context.reported.add(r.kafkaOffset() + " " + e.getMessage());
            return CompletableFuture.completedFuture(null);
        };
        TlsmonOpenSearchSinkTask t = task(10);
        replies.add(new Reply(200, items(201, 400)));
        t.put(List.of(record(0, "a"), record(1, "b"), new SinkRecord("tlsmon.output-ecs", 0, null, null, null, null, 2)));
        assertThat(context.reported).hasSize(2).anySatisfy(s -> assertThat(s).startsWith("1 ").contains("strict_dynamic_mapping_exception"))
                .anySatisfy(s -> assertThat(s).startsWith("2 ").contains("no value"));
        // only the documents went to the cluster
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0).lines()).hasSize(4);
    }

    @Test
    void aReporterThatFailsFailsThePut() {
        context.reporter = (r, e) -> CompletableFuture.failedFuture(new IllegalStateException("dead letter queue unavailable"));
        TlsmonOpenSearchSinkTask t = task(10);
        replies.add(new Reply(200, items(400)));
        assertThatThrownBy(() -> t.put(List.of(record(0, "a")))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("errant record reporter");
    }

    /** The parts of a worker's task context the task uses. */
    private static final class Context implements SinkTaskContext {
        ErrantRecordReporter reporter;
        final List<String> reported = new ArrayList<>();
        long timeout = -1;

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return reporter;
        }

        @Override
        public void timeout(long timeoutMs) {
            timeout = timeoutMs;
        }

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of();
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
