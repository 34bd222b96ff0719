package io.tlsmon.siem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A receiver of Splunk's HTTP Event Collector protocol, as far as senders see it (no Splunk can run
 * here, so this stands in for one; the test that counts is that Splunk's own client, npm
 * {@code splunk-logging}, delivers to it): {@code POST /services/collector/event} and
 * {@code /services/collector/event/1.0} (and {@code /services/collector}), {@code Authorization:
 * Splunk <token>}, a body of one or more JSON event objects one after another, each with an
 * {@code event}; the whole batch is taken or refused. Replies as Splunk does: {@code 200
 * {"text":"Success","code":0}}, and for a refusal its status and code: no token 401/2, a wrong token
 * 403/4, no data 400/5, a body that is not JSON objects 400/6, an object without {@code event} 400/12,
 * a blank event 400/13.
 */
final class HecReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PATHS = List.of("/services/collector/event/1.0", "/services/collector/event", "/services/collector");

    private final HttpServer server;
    private final String token;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<Integer> replies = new CopyOnWriteArrayList<>();

    private HecReceiver(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        for (String path : PATHS) {
            server.createContext(path, this::handle);
        }
        server.start();
    }

    static HecReceiver start(String token) throws IOException {
        return new HecReceiver(token);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Every event object taken, in order. */
    List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** The HEC code of every reply sent. */
    List<Integer> replies() {
        return List.copyOf(replies);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!PATHS.contains(x.getRequestURI().getPath())) {
                reply(x, 404, "Not Found", 404);
                return;
            }
            if (!"POST".equals(x.getRequestMethod())) {
                reply(x, 405, "Method Not Allowed", 405);
                return;
            }
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (auth == null || auth.isBlank()) {
                reply(x, 401, "Token is required", 2);
                return;
            }
            if (!auth.equals("Splunk " + token)) {
                reply(x, 403, "Invalid token", 4);
                return;
            }
            byte[] body = x.getRequestBody().readAllBytes();
            List<JsonNode> batch = new ArrayList<>();
            try (JsonParser p = JSON.createParser(body)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t != JsonToken.START_OBJECT) {
                        reply(x, 400, "Invalid data format", 6);
                        return;
                    }
                    JsonNode event = JSON.readTree(p);
                    if (!event.has("event")) {
                        reply(x, 400, "Event field is required", 12);
                        return;
                    }
                    JsonNode e = event.get("event");
                    if (e.isNull() || (e.isTextual() && e.asText().isBlank()) || (e.isContainerNode() && e.isEmpty())) {
                        reply(x, 400, "Event field cannot be blank", 13);
                        return;
                    }
                    batch.add(event);
                }
            } catch (IOException e) {
                reply(x, 400, "Invalid data format", 6);
                return;
            }
            if (batch.isEmpty()) {
                reply(x, 400, "No data", 5);
                return;
            }
            events.addAll(batch);
            reply(x, 200, "Success", 0);
        }
    }

    private void reply(HttpExchange x, int status, String text, int code) throws IOException {
        replies.add(code);
        byte[] body = JSON.createObjectNode().put("text", text).put("code", code).toString().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
