package io.tlsmon.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Confluent Schema Registry REST API (also served by Apicurio's ccompat API,
 * Karapace and Redpanda), for Avro schemas.
 *
 * <p>Base URLs are tried in turn: one that cannot be reached (I/O error or timeout) is skipped,
 * and the last one that answered is tried first next time. An answer with an error status is not
 * retried elsewhere: it is the registry's verdict. Schema ids per (subject, schema) and schemas per
 * id are cached for the life of the client, since the registry never changes them.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            MEDIA_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int MAX_BODY_IN_MESSAGE = 300;

    private static final Logger log = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final AtomicInteger preferredUrl = new AtomicInteger();

    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    private RestSchemaRegistryClient(SchemaRegistryConfig config) {
        if (config.restUrls().isEmpty()) {
            throw new SchemaRegistryConfigException(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG,
                    "a REST client needs http(s) URLs, not " + SchemaRegistryConfig.MOCK_SCHEME);
        }
        this.baseUrls = config.restUrls();
        this.authorization = config.authorizationHeader();
        this.requestTimeout = config.requestTimeout();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A client for the REST URLs of {@code config}. */
    public static RestSchemaRegistryClient create(SchemaRegistryConfig config) {
        return new RestSchemaRegistryClient(Objects.requireNonNull(config, "config"));
    }

    /** A client for the REST URLs of these settings (keys of {@link SchemaRegistryConfig}). */
    public static RestSchemaRegistryClient create(Map<String, ?> configs) {
        return create(SchemaRegistryConfig.from(configs));
    }

    /** The base URLs, without credentials. */
    public List<URI> baseUrls() {
        return baseUrls;
    }

    @Override
    public int register(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = requiredInt(reply, "id", "registering a schema under subject " + subject);
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parseSchema(reply, "schema id " + id);
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        requireSubject(subject);
        JsonNode reply = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        String what = "the latest version of subject " + subject;
        int id = requiredInt(reply, "id", what);
        int version = requiredInt(reply, "version", what);
        Schema schema = schemasById.computeIfAbsent(id, unused -> parseSchema(reply, what));
        idsBySubjectSchema.putIfAbsent(new SubjectSchema(subject, schema), id);
        return new RegisteredSchema(subject, id, version, schema);
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        JsonNode reply;
        try {
            reply = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema));
        } catch (SchemaRegistryException e) {
            if (e.isSubjectNotFound()) {
                return true; // nothing registered yet: registering would succeed
            }
            throw e;
        }
        JsonNode verdict = reply.get("is_compatible");
        if (verdict == null || !verdict.isBoolean()) {
            throw new SchemaRegistryException(200, SchemaRegistryException.NO_ERROR_CODE,
                    "The registry's compatibility answer for subject " + subject + " has no boolean is_compatible");
        }
        return verdict.booleanValue();
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient" + baseUrls;
    }

    // ---- HTTP ----------------------------------------------------------------------------

    private JsonNode send(String method, String path, String body) {
        int count = baseUrls.size();
        int first = preferredUrl.get();
        StringBuilder failures = new StringBuilder();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < count; attempt++) {
            int index = (first + attempt) % count;
            URI base = baseUrls.get(index);
            HttpResponse<String> response;
            try {
                response = http.send(request(base, method, path, body),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = e;
                String reason = describe(e);
                failures.append(failures.length() == 0 ? "" : "; ").append(base).append(": ").append(reason);
                if (attempt + 1 < count) {
                    log.warn("Schema registry {} unreachable ({}); trying {}", base, reason,
                            baseUrls.get((index + 1) % count));
                }
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SchemaRegistryException.unreachable(
                        "Interrupted during " + method + " " + path + " at " + base, e);
            }
            preferredUrl.set(index);
            return read(response, method, path, base);
        }
        throw SchemaRegistryException.unreachable(
                "No schema registry reachable for " + method + " " + path + " (" + failures + ")", lastFailure);
    }

    private HttpRequest request(URI base, String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", MEDIA_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static JsonNode read(HttpResponse<String> response, String method, String path, URI base) {
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        JsonNode json = null;
        try {
            json = text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // an error page of a proxy, say; reported below with the start of the body
        }
        String where = method + " " + path + " at " + base;
        if (status >= 200 && status < 300) {
            if (json == null || !json.isObject()) {
                throw new SchemaRegistryException(status, SchemaRegistryException.NO_ERROR_CODE,
                        where + " answered HTTP " + status + " without a JSON object: " + abbreviate(text));
            }
            return json;
        }
        int errorCode = SchemaRegistryException.NO_ERROR_CODE;
        String message = abbreviate(text);
        if (json != null && json.isObject()) {
            JsonNode code = json.get("error_code");
            if (code != null && code.canConvertToInt()) {
                errorCode = code.intValue();
            }
            JsonNode messageNode = json.get("message");
            if (messageNode != null && !messageNode.isNull()) {
                message = messageNode.asText();
            }
        }
        throw new SchemaRegistryException(status, errorCode,
                where + " failed: " + (message.isEmpty() ? "(no message)" : message)
                        + " (HTTP " + status + ", error_code " + errorCode + ")");
    }

    // ---- JSON ----------------------------------------------------------------------------

    private static String schemaBody(Schema schema) {
        // schemaType is omitted: Avro is the registry's default type.
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON string", e);
        }
    }

    private static Schema parseSchema(JsonNode reply, String what) {
        JsonNode type = reply.get("schemaType");
        if (type != null && !type.isNull() && !type.asText().equalsIgnoreCase("AVRO")) {
            throw new SchemaRegistryException(200, SchemaRegistryException.NO_ERROR_CODE,
                    "The registry's " + what + " is a " + type.asText() + " schema, not Avro");
        }
        JsonNode text = reply.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException(200, SchemaRegistryException.NO_ERROR_CODE,
                    "The registry's answer for " + what + " has no schema");
        }
        try {
            // A writer schema's defaults are never used to read, so a bad one must not block reading.
            return new Schema.Parser().setValidateDefaults(false).parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(200, SchemaRegistryException.NO_ERROR_CODE,
                    "The registry's " + what + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    private static int requiredInt(JsonNode reply, String field, String what) {
        JsonNode value = reply.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(200, SchemaRegistryException.NO_ERROR_CODE,
                    "The registry's answer for " + what + " has no numeric " + field);
        }
        return value.intValue();
    }

    // ---- small helpers -------------------------------------------------------------------

    /** Percent-encodes a subject as one path segment (a space is %20, a slash %2F). */
    static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("subject must not be empty");
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}
