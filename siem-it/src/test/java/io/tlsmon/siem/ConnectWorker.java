package io.tlsmon.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Kafka Connect worker in this JVM, started the way {@code connect-standalone.sh} starts one
 * ({@link ConnectStandalone#startConnect}), its REST API on a free loopback port. Connectors are
 * created and watched through that REST API, as an operator does. tlsmon's connector is loaded from
 * its packaged plugin folder ({@code connect/target/plugin/tlsmon-connect}, failsafe's
 * {@code tlsmon.connect.plugin.path}) on the worker's {@code plugin.path}, in its own class loader as
 * in a deployment; plugins are found by their {@code META-INF/services} entries
 * ({@code plugin.discovery=service_load}, which spares the worker a reflective scan of every jar).
 */
final class ConnectWorker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connect<StandaloneHerder> connect;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectWorker(Connect<StandaloneHerder> connect, String url) {
        this.connect = connect;
        this.url = url;
    }

    static ConnectWorker start(String bootstrapServers, Path dir) {
        int port = freePort();
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        // source offsets only (a sink's offsets are its consumer group's); standalone needs the file anyway
        props.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
        // how often sink tasks commit their consumer offsets: 60 s by default, too slow for a test to wait on
        props.put("offset.flush.interval.ms", "500");
        props.put("listeners", "http://127.0.0.1:" + port);
        props.put("plugin.discovery", "service_load");
        props.put("plugin.path", pluginPath());
        // a worker that cannot start calls Exit.exit: fail the test instead of ending the JVM under failsafe
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("the Connect worker exited with " + code + ": " + message);
        });
        Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(props);
        return new ConnectWorker(connect, "http://127.0.0.1:" + port);
    }

    private static String pluginPath() {
        String dir = System.getProperty("tlsmon.connect.plugin.path");
        if (dir == null || !Files.isDirectory(Path.of(dir, "tlsmon-connect"))) {
            throw new IllegalStateException("no packaged connector at " + dir + "/tlsmon-connect: run the IT through mvn verify,"
                    + " which packages connect/ first");
        }
        return Path.of(dir).toAbsolutePath().normalize().toString();
    }

    /** {@code PUT /connectors/NAME/config}: creates or replaces; the worker's reply. */
    HttpResponse<String> putConnector(String name, Map<String, String> config) throws IOException, InterruptedException {
        return request("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config));
    }

    /** {@code GET /connectors/NAME/status}, or null while the worker does not know the connector yet. */
    JsonNode status(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = request("GET", "/connectors/" + name + "/status", null);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    /** The state of the connector's first task (RUNNING, FAILED, ...), or null while it has none. */
    String taskState(String name) throws IOException, InterruptedException {
        JsonNode s = status(name);
        return s == null || s.path("tasks").isEmpty() ? null : s.path("tasks").get(0).path("state").asText();
    }

    HttpResponse<String> request(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the worker as a SIGTERM does: tasks stopped, offsets committed, consumers out of their groups. */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
