package io.tlsmon.ops;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HealthEndpointTest {
    @Test
    void liveUnlessNoThreadWillProcessAgainAndReadyOnlyWhenRunning() throws Exception {
        AtomicReference<State> state = new AtomicReference<>(State.CREATED);
        AtomicLong stuck = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(OpsEndpoints.LIVE, new HealthEndpoint(HealthEndpoint.Check.LIVE, state::get, stuck::get));
        server.createContext(OpsEndpoints.READY, new HealthEndpoint(HealthEndpoint.Check.READY, state::get, stuck::get));
        server.start();
        try {
            for (State s : State.values()) {
                state.set(s);
                boolean dead = s == State.ERROR || s == State.PENDING_ERROR || s == State.NOT_RUNNING;
                HttpResponse<String> live = get(server, OpsEndpoints.LIVE);
                assertThat(live.statusCode()).as("live in " + s).isEqualTo(dead ? 503 : 200);
                assertThat(live.body()).isEqualTo("{\"status\":\"" + (dead ? "DOWN" : "UP") + "\",\"state\":\"" + s + "\"}");
                HttpResponse<String> ready = get(server, OpsEndpoints.READY);
                assertThat(ready.statusCode()).as("ready in " + s).isEqualTo(s == State.RUNNING ? 200 : 503);
                assertThat(ready.body()).contains("\"state\":\"" + s + "\"");
                assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
            }
            state.set(State.RUNNING);
            stuck.set(1);
            assertThat(get(server, OpsEndpoints.LIVE).statusCode()).as("a stream thread stuck for good").isEqualTo(503);
            stuck.set(0);
            assertThat(get(server, OpsEndpoints.LIVE).statusCode()).isEqualTo(200);
        } finally {
            server.stop(0);
        }
    }

    private static HttpResponse<String> get(HttpServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
