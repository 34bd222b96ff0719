package io.tlsmon.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of one instance (the JDK's): the query API, and whatever else is mounted on it
 * (metrics, health). Every path mounted goes through the same guard: the bearer token when one is
 * set, GET (and HEAD) only, CORS headers only for the configured origin, and no caching of answers
 * that hold state. Only the health probes ({@link #mountOpen}) are served without the token.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final HttpServer server;
    private final HttpSettings settings;
    private final ExecutorService executor;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private HttpApi(HttpServer server, HttpSettings settings, ExecutorService executor) {
        this.server = server;
        this.settings = settings;
        this.executor = executor;
    }

    /** Binds (so that the port is known before Kafka Streams starts) and starts serving. */
    public static HttpApi start(HttpSettings settings) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 64);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "tlsmon-http");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            HttpApi api = new HttpApi(server, settings, executor);
            LOG.info("HTTP API on http://{}:{}/api/ ({})", settings.bind(), api.port(),
                    settings.token().isPresent() ? "bearer token required" : "no token: loopback only");
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.bind() + ":" + settings.port() + " (tlsmon.http.bind, tlsmon.http.port): "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What the other instances call this one at: Kafka Streams' {@code application.server}. */
    public HostInfo advertised() {
        return new HostInfo(settings.advertisedHost(), port());
    }

    HttpSettings settings() {
        return settings;
    }

    /** Serves {@code path} and everything below it with {@code handler}, behind the guard. */
    public void mount(String path, HttpHandler handler) {
        mount(path, handler, true);
    }

    /**
     * Serves {@code path} with {@code handler} behind the guard but without the token: for health
     * probes, which an orchestrator sends without credentials and whose answers hold no state.
     */
    public void mountOpen(String path, HttpHandler handler) {
        mount(path, handler, false);
    }

    private void mount(String path, HttpHandler handler, boolean tokenRequired) {
        server.createContext(path, exchange -> {
            try (exchange) {
                if (admitted(exchange, tokenRequired)) {
                    handler.handle(exchange);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("HTTP {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e.toString());
            }
        });
    }

    /** Serves {@code path} and below with an API handler: JSON errors for what goes wrong. */
    void route(String path, ApiHandler handler) {
        mount(path, exchange -> {
            ApiResponse response;
            try {
                response = handler.handle(ApiRequest.of(path, exchange.getRequestURI()));
            } catch (ApiException e) {
                response = ApiResponse.error(e.status, e.parameter, e.getMessage());
            } catch (Exception e) {
                LOG.warn("HTTP {} failed", exchange.getRequestURI().getRawPath(), e);
                response = ApiResponse.error(500, null, "internal error: " + e.getClass().getSimpleName());
            }
            send(exchange, response);
        });
    }

    private boolean admitted(HttpExchange exchange, boolean tokenRequired) throws IOException {
        var headers = exchange.getResponseHeaders();
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        boolean corsAllowed = origin != null && settings.corsOrigin().map(origin::equals).orElse(false);
        if (corsAllowed) {
            headers.set("Access-Control-Allow-Origin", origin);
            headers.set("Vary", "Origin");
        }
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        // the dashboard loads its script and style from here and nothing else; no page may frame it
        headers.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        String method = exchange.getRequestMethod();
        if (method.equals("OPTIONS") && corsAllowed) {
            headers.set("Access-Control-Allow-Methods", "GET");
            headers.set("Access-Control-Allow-Headers", "Authorization");
            exchange.sendResponseHeaders(204, -1);
            return false;
        }
        if (tokenRequired && settings.token().isPresent() && !settings.token().get().admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
            headers.set("WWW-Authenticate", "Bearer realm=\"tlsmon\"");
            send(exchange, ApiResponse.error(401, null, "a bearer token is required (Authorization: Bearer ...)"));
            return false;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            headers.set("Allow", "GET, HEAD");
            send(exchange, ApiResponse.error(405, null, method + " is not allowed: the API is read-only"));
            return false;
        }
        return true;
    }

    static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length == 0 ? -1 : response.body().length);
        if (!head && response.body().length > 0) {
            exchange.getResponseBody().write(response.body());
        }
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
