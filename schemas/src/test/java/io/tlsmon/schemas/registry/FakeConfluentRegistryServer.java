package io.tlsmon.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-JVM HTTP registry on 127.0.0.1 that follows Confluent's documented API for the endpoints we
 * use: POST /subjects/{subject}/versions, GET /schemas/ids/{id}, GET /subjects/{subject}/versions/{latest|n},
 * POST /compatibility/subjects/{subject}/versions/latest; with Confluent's statuses and error bodies
 * ({"error_code": 40401, "message": ...}), BACKWARD compatibility against the latest version, global
 * ids deduplicated by schema text. It counts requests per endpoint and can demand basic or bearer
 * auth, stall, or answer canned errors.
 */
public final class FakeConfluentRegistryServer implements AutoCloseable {
    public static final String REGISTER = "POST /subjects/{subject}/versions";
    public static final String BY_ID = "GET /schemas/ids/{id}";
    public static final String VERSION = "GET /subjects/{subject}/versions/{version}";
    public static final String COMPATIBILITY = "POST /compatibility/subjects/{subject}/versions/latest";

    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final int port;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String contextPath;

    // the registry
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, String> schemaTextsById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
    private int nextId = 1;

    // observation and misbehaviour
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> requestsByEndpoint = new ConcurrentHashMap<>();
    private final List<String> subjectsSeen = new ArrayList<>();
    private final Deque<Object[]> cannedAnswers = new ArrayDeque<>();
    private volatile String requiredAuthorization;
    private volatile String lastAuthorization;
    private volatile String lastContentType;
    private volatile String lastAccept;
    private volatile String lastBody;
    private volatile long stallMillis;
    private final CountDownLatch closing = new CountDownLatch(1);

    private FakeConfluentRegistryServer(String contextPath) throws IOException {
        this.contextPath = contextPath;
        this.server = serve(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer serve(int onPort) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
        s.createContext(contextPath.isEmpty() ? "/" : contextPath, this::handle);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    public static FakeConfluentRegistryServer start() throws IOException {
        return new FakeConfluentRegistryServer("");
    }

    /** Serves the API under a path, as Apicurio serves it under /apis/ccompat/v7. */
    public static FakeConfluentRegistryServer startUnder(String contextPath) throws IOException {
        return new FakeConfluentRegistryServer(contextPath);
    }

    public String url() {
        return "http://127.0.0.1:" + port + contextPath;
    }

    public int port() {
        return port;
    }

    /**
     * Stops answering, as a registry that is down: connections to its port are refused, open ones are
     * closed. What it registered is kept for {@link #restart()}.
     */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Answers again on the same port after {@link #stop()}, with the schemas and ids it had. */
    public synchronized void restart() throws IOException {
        if (server != null) {
            return;
        }
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                server = serve(port);
                return;
            } catch (java.net.BindException e) {
                last = e; // the port is freed a moment after stop()
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last != null ? last : new IOException("interrupted while restarting on port " + port);
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    // ---- set-up --------------------------------------------------------------------------

    public void requireBasicAuth(String user, String password) {
        requiredAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public void requireBearer(String token) {
        requiredAuthorization = "Bearer " + token;
    }

    /** Ids handed out from now on start here (Confluent's ids are arbitrary ints). */
    public synchronized void nextIdFrom(int id) {
        nextId = id;
    }

    /** The next request is answered with this status and body, whatever it is. */
    public synchronized void answerNext(int status, String body) {
        cannedAnswers.add(new Object[] {status, body});
    }

    /** Every request waits this long before being handled (to exercise client timeouts). */
    public void stallFor(long millis) {
        stallMillis = millis;
    }

    // ---- observation ---------------------------------------------------------------------

    public int requestCount() {
        return requests.get();
    }

    public int requestCount(String endpoint) {
        AtomicInteger count = requestsByEndpoint.get(endpoint);
        return count == null ? 0 : count.get();
    }

    public String lastAuthorization() {
        return lastAuthorization;
    }

    public String lastContentType() {
        return lastContentType;
    }

    public String lastAccept() {
        return lastAccept;
    }

    public String lastBody() {
        return lastBody;
    }

    public synchronized List<String> subjectsSeen() {
        return List.copyOf(subjectsSeen);
    }

    @Override
    public void close() {
        closing.countDown();
        stop();
        executor.shutdownNow();
    }

    // ---- HTTP ----------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            lastContentType = exchange.getRequestHeaders().getFirst("Content-Type");
            lastAccept = exchange.getRequestHeaders().getFirst("Accept");
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            lastBody = body;
            if (stallMillis > 0) {
                try {
                    closing.await(stallMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Object[] canned;
            synchronized (this) {
                canned = cannedAnswers.poll();
            }
            if (canned != null) {
                respond(exchange, (Integer) canned[0], (String) canned[1]);
                return;
            }
            if (requiredAuthorization != null && !requiredAuthorization.equals(lastAuthorization)) {
                respond(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            String path = exchange.getRequestURI().getRawPath().substring(contextPath.length());
            String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
            Answer answer = route(exchange.getRequestMethod(), segments, body);
            respond(exchange, answer.status, answer.body);
        }
    }

    private record Answer(int status, String body) {
    }

    private Answer route(String method, String[] s, String body) {
        if (s.length == 3 && s[0].equals("subjects") && s[2].equals("versions") && method.equals("POST")) {
            count(REGISTER);
            return register(decode(s[1]), body);
        }
        if (s.length == 3 && s[0].equals("schemas") && s[1].equals("ids") && method.equals("GET")) {
            count(BY_ID);
            return schemaById(s[2]);
        }
        if (s.length == 4 && s[0].equals("subjects") && s[2].equals("versions") && method.equals("GET")) {
            count(VERSION);
            return version(decode(s[1]), s[3]);
        }
        if (s.length == 5 && s[0].equals("compatibility") && s[1].equals("subjects") && s[3].equals("versions")
                && s[4].equals("latest") && method.equals("POST")) {
            count(COMPATIBILITY);
            return compatibility(decode(s[2]), body);
        }
        return new Answer(404, error(404, "HTTP 404 Not Found"));
    }

    private synchronized Answer register(String subject, String body) {
        subjectsSeen.add(subject);
        Object parsed = parseSchemaRequest(body);
        if (parsed instanceof Answer failure) {
            return failure;
        }
        Schema schema = (Schema) parsed;
        String text = schema.toString();
        Integer known = idsBySchemaText.get(text);
        List<Integer> versions = versionsBySubject.get(subject);
        if (known != null && versions != null && versions.contains(known)) {
            return new Answer(200, "{\"id\":" + known + "}");
        }
        if (versions != null && !versions.isEmpty() && !backwardCompatible(schema, latestOf(versions))) {
            return new Answer(409, error(409, "Schema being registered is incompatible with an earlier schema"
                    + " for subject \"" + subject + "\""));
        }
        int id = known != null ? known : nextId++;
        idsBySchemaText.put(text, id);
        schemaTextsById.put(id, text);
        versionsBySubject.computeIfAbsent(subject, unused -> new ArrayList<>()).add(id);
        return new Answer(200, "{\"id\":" + id + "}");
    }

    private synchronized Answer schemaById(String idText) {
        Integer id = parseInt(idText);
        String text = id == null ? null : schemaTextsById.get(id);
        if (text == null) {
            return new Answer(404, error(40403, "Schema " + idText + " not found"));
        }
        ObjectNode reply = JSON.createObjectNode().put("schema", text);
        return new Answer(200, reply.toString());
    }

    private synchronized Answer version(String subject, String versionText) {
        subjectsSeen.add(subject);
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return new Answer(404, error(40401, "Subject '" + subject + "' not found."));
        }
        int version;
        if (versionText.equals("latest") || versionText.equals("-1")) {
            version = versions.size();
        } else {
            Integer parsed = parseInt(versionText);
            if (parsed == null || parsed < 1) {
                return new Answer(422, error(42202, "The specified version '" + versionText + "' is not a valid"
                        + " version id. Allowed values are between [1, 2^31-1] and the string \"latest\""));
            }
            version = parsed;
        }
        if (version > versions.size()) {
            return new Answer(404, error(40402, "Version " + version + " not found."));
        }
        int id = versions.get(version - 1);
        ObjectNode reply = JSON.createObjectNode()
                .put("subject", subject)
                .put("version", version)
                .put("id", id)
                .put("schema", schemaTextsById.get(id));
        return new Answer(200, reply.toString());
    }

    private synchronized Answer compatibility(String subject, String body) {
        subjectsSeen.add(subject);
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return new Answer(404, error(40401, "Subject '" + subject + "' not found."));
        }
        Object parsed = parseSchemaRequest(body);
        if (parsed instanceof Answer failure) {
            return failure;
        }
        boolean compatible = backwardCompatible((Schema) parsed, latestOf(versions));
        return new Answer(200, "{\"is_compatible\":" + compatible + "}");
    }

    /** The Schema of a {"schema": ...} request body, or the error Answer. */
    private static Object parseSchemaRequest(String body) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            return new Answer(400, error(400, "Unrecognized request body: " + e.getMessage()));
        }
        JsonNode type = request == null ? null : request.get("schemaType");
        if (type != null && !type.asText().equals("AVRO")) {
            return new Answer(422, error(42201, "Invalid schema type " + type.asText()));
        }
        JsonNode text = request == null ? null : request.get("schema");
        if (text == null || !text.isTextual() || text.asText().isEmpty()) {
            return new Answer(422, error(42201, "Empty schema"));
        }
        try {
            return new Schema.Parser().setValidateDefaults(true).parse(text.asText());
        } catch (RuntimeException e) {
            return new Answer(422, error(42201, "Invalid schema " + e.getMessage()));
        }
    }

    private Schema latestOf(List<Integer> versions) {
        return new Schema.Parser().parse(schemaTextsById.get(versions.get(versions.size() - 1)));
    }

    private static boolean backwardCompatible(Schema candidate, Schema latest) {
        return SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }

    private void count(String endpoint) {
        requestsByEndpoint.computeIfAbsent(endpoint, unused -> new AtomicInteger()).incrementAndGet();
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message).toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
