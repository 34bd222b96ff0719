package io.tlsmon.http;

import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpApiTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    private final HttpClient client = HttpClient.newHttpClient();

    private static HttpSettings settings(Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(Map.of(TlsmonConfig.HTTP_PORT_CONFIG, 0));
        m.putAll(extra);
        return HttpSettings.of(new TlsmonConfig(m));
    }

    private static HttpApi served(HttpSettings s) {
        HttpApi api = HttpApi.start(s);
        ApiRoutes.mount(api, new EngineStateView().inbound("192.0.2.1", 1_741_000_000_000L, io.tlsmon.avro.Outcome.OK, "TLSv1.2"));
        return api;
    }

    private HttpResponse<String> get(HttpApi api, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenIsRequiredWhenSetAndNeverShown() throws Exception {
        try (HttpApi api = served(settings(Map.of(TlsmonConfig.HTTP_TOKEN_CONFIG, TOKEN)))) {
            api.mount("/internal/stores/", exchange -> HttpApi.send(exchange, ApiResponse.json("{}")));
            HttpResponse<String> none = get(api, "/api/summary");
            assertEquals(401, none.statusCode());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, get(api, "/api/summary", "Authorization", "Bearer wrong-token-0123456789").statusCode());
            assertEquals(401, get(api, "/internal/stores/sender-states").statusCode(), "every mounted path: the instance-to-instance one too");
            assertEquals(200, get(api, "/internal/stores/sender-states", "Authorization", "Bearer " + TOKEN).statusCode());
            HttpResponse<String> ok = get(api, "/api/summary", "Authorization", "Bearer " + TOKEN);
            assertEquals(200, ok.statusCode());
            assertFalse(ok.body().contains(TOKEN) || none.body().contains(TOKEN));
        }
    }

    @Test
    void healthProbesAnswerWithoutTheTokenAndNothingElseDoes() throws Exception {
        try (HttpApi api = served(settings(Map.of(TlsmonConfig.HTTP_TOKEN_CONFIG, TOKEN)))) {
            api.mountOpen("/health/ready", exchange -> HttpApi.send(exchange, ApiResponse.json("{\"status\":\"UP\"}")));
            api.mount("/metrics", exchange -> HttpApi.send(exchange, ApiResponse.json("{}")));
            assertEquals(200, get(api, "/health/ready").statusCode(), "an orchestrator's probe carries no token");
            assertEquals(401, get(api, "/metrics").statusCode());
            assertEquals(200, get(api, "/metrics", "Authorization", "Bearer " + TOKEN).statusCode());
            // still GET only
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/health/ready"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void withoutATokenLoopbackAnswersAndOnlyGetIsAllowed() throws Exception {
        try (HttpApi api = served(settings(Map.of()))) {
            assertEquals(200, get(api, "/api/summary").statusCode());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/summary"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals(404, get(api, "/api/nothing").statusCode());
            assertEquals(404, get(api, "/api/summary/x").statusCode());
            HttpResponse<String> bad = get(api, "/api/senders?limit=-1");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("\"parameter\":\"limit\""), bad.body());
            assertTrue(bad.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        }
    }

    @Test
    void corsIsClosedUnlessAnOriginIsConfigured() throws Exception {
        try (HttpApi api = served(settings(Map.of()))) {
            HttpResponse<String> r = get(api, "/api/summary", "Origin", "https://elsewhere.example");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
        try (HttpApi api = served(settings(Map.of(TlsmonConfig.HTTP_CORS_ORIGIN_CONFIG, "https://ops.example")))) {
            assertEquals("https://ops.example", get(api, "/api/summary", "Origin", "https://ops.example")
                    .headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(get(api, "/api/summary", "Origin", "https://elsewhere.example")
                    .headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
    }

    @Test
    void startUpRefusesAnApiReachableFromOtherHostsWithoutAToken() {
        ConfigException e = assertThrows(ConfigException.class, () -> settings(Map.of(TlsmonConfig.HTTP_BIND_CONFIG, "0.0.0.0",
                TlsmonConfig.HTTP_ADVERTISED_HOST_CONFIG, "node1")));
        assertTrue(e.getMessage().contains(TlsmonConfig.HTTP_TOKEN_CONFIG), e.getMessage());
        // with a token it starts; a wildcard needs the advertised host
        assertTrue(settings(Map.of(TlsmonConfig.HTTP_BIND_CONFIG, "0.0.0.0", TlsmonConfig.HTTP_ADVERTISED_HOST_CONFIG, "node1",
                TlsmonConfig.HTTP_TOKEN_CONFIG, TOKEN)).token().isPresent());
        ConfigException noHost = assertThrows(ConfigException.class, () -> settings(Map.of(TlsmonConfig.HTTP_BIND_CONFIG, "0.0.0.0",
                TlsmonConfig.HTTP_TOKEN_CONFIG, TOKEN)));
        assertTrue(noHost.getMessage().contains(TlsmonConfig.HTTP_ADVERTISED_HOST_CONFIG), noHost.getMessage());
        // no API at all needs nothing
        assertFalse(settings(Map.of(TlsmonConfig.HTTP_PORT_CONFIG, -1, TlsmonConfig.HTTP_BIND_CONFIG, "0.0.0.0",
                TlsmonConfig.HTTP_ADVERTISED_HOST_CONFIG, "node1")).enabled());
    }

    @Test
    void theTokenComesFromAFileAndIsNeverPrinted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        HttpSettings s = settings(Map.of(TlsmonConfig.HTTP_TOKEN_FILE_CONFIG, file.toString()));
        assertTrue(s.token().orElseThrow().admits("Bearer " + TOKEN));
        assertFalse(s.toString().contains(TOKEN), s::toString);
        assertFalse(TlsmonConfig.describe(Map.of(TlsmonConfig.HTTP_TOKEN_CONFIG, TOKEN)).contains(TOKEN));
        ConfigException shortOne = assertThrows(ConfigException.class, () -> settings(Map.of(TlsmonConfig.HTTP_TOKEN_CONFIG, "short")));
        assertTrue(shortOne.getMessage().contains(TlsmonConfig.HTTP_TOKEN_CONFIG) && !shortOne.getMessage().contains("short\""));
        assertThrows(ConfigException.class, () -> settings(Map.of(TlsmonConfig.HTTP_TOKEN_FILE_CONFIG, dir.resolve("missing").toString())));
    }
}
