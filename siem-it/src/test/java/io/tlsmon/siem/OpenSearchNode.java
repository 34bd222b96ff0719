package io.tlsmon.siem;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real OpenSearch 2.19 node in this JVM, single-node, HTTP on a free loopback port: the search
 * backend SOCs index ECS records into, with its real mapping code (strict templates included).
 */
final class OpenSearchNode implements AutoCloseable {
    /** The public constructor loads no plugins; this one takes the HTTP transport and analysers from the classpath. */
    private static final class WithPlugins extends Node {
        WithPlugins(Settings settings) {
            super(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "tlsmon-it"),
                    List.of(Netty4Plugin.class, CommonAnalysisPlugin.class), true);
        }
    }

    private final Node node;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OpenSearchNode(Node node, int port) {
        this.node = node;
        this.port = port;
    }

    static OpenSearchNode start(Path home) throws Exception {
        int port = freePort();
        Settings settings = Settings.builder()
                .put("cluster.name", "tlsmon-it")
                .put("node.name", "tlsmon-it")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", port)
                .put("transport.port", freePort())
                .put("discovery.type", "single-node")
                .put("http.type", "netty4")
                .put("transport.type", "netty4")
                // a test box's disk may be fuller than the production watermarks allow
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        Node node = new WithPlugins(settings);
        node.start();
        OpenSearchNode n = new OpenSearchNode(node, port);
        n.awaitHealth();
        return n;
    }

    private void awaitHealth() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = request("GET", "/_cluster/health?wait_for_status=yellow&timeout=5s", null);
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("OpenSearch did not become healthy within 60 s");
            }
            Thread.sleep(200);
        }
    }

    HttpResponse<String> request(String method, String path, String body) throws IOException, InterruptedException {
        return request(method, path, body, "application/json");
    }

    HttpResponse<String> request(String method, String path, String body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.method(method, p).build(), HttpResponse.BodyHandlers.ofString());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        node.close();
    }
}
