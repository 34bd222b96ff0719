package io.tlsmon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.classify.ProbableCause;
import io.tlsmon.sender.Sender;
import io.tlsmon.topology.OutcomeHistory;
import io.tlsmon.topology.StoreNames;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the application, each with its API, over one in-process broker: every query
 * answers alike from either (point look-ups routed to the owner, scans merged), with the figures the
 * offline engine makes of the same lines; the OpenAPI description validates and every endpoint it
 * describes answers as described; one instance stops and the other keeps answering, the same, after
 * the rebalance.
 */
class QueryApiClusterIT {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final String APP = "tlsmon-api-it";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Both instances hold it, and must send it when they ask each other. */
    private static final String TOKEN = "it-token-0123456789abcdef";
    private static KafkaCluster cluster;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startBroker() {
        cluster = KafkaCluster.start();
    }

    @AfterAll
    static void stopBroker() {
        cluster.close();
    }

    private static Map<String, Object> settings(Path state) {
        Map<String, Object> s = StreamsHarness.settings(cluster, "api.", APP, "mock://api-it", state.toString());
        s.put(TlsmonConfig.TOPIC_PARTITIONS_CONFIG, 4);
        s.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        s.put(TlsmonConfig.HTTP_TOKEN_CONFIG, TOKEN);
        return s;
    }

    @Test
    void twoInstancesAnswerAlikeAndTheSurvivorKeepsAnswering(@TempDir Path a, @TempDir Path b) throws Exception {
        Map<String, Object> sa = settings(a);
        TlsmonConfig config = new TlsmonConfig(sa);
        StreamsHarness.createTopics(cluster, config);
        Topics topics = Topics.of(config);
        List<RawLine> lines = new ArrayList<>(Workload.lines("ex1", 10, 6, T0));
        lines.addAll(Workload.lines("ex2", 10, 6, T0.plusSeconds(7)));
        StreamsHarness.produce(cluster, topics, lines);
        Workload.Expected offline = Workload.offline(lines, config.engineSettings());

        StreamsHarness.Running one = StreamsHarness.start(sa);
        StreamsHarness.Running two = StreamsHarness.start(settings(b));
        try {
            awaitRunning(one.streams(), two.streams());
            StreamsHarness.awaitConsumed(cluster, APP, topics.rawLines().name(), Duration.ofSeconds(120));
            awaitRunning(one.streams(), two.streams());
            assertThat(one.streams().metadataForLocalThreads().stream().mapToLong(t -> t.activeTasks().size()).sum()).isPositive();
            assertThat(two.streams().metadataForLocalThreads().stream().mapToLong(t -> t.activeTasks().size()).sum()).isPositive();

            // the offline engine's figures, per outcome
            Map<String, Long> expectedOutcomes = offline.attempts().stream()
                    .collect(Collectors.groupingBy(x -> x.getOutcome().name(), TreeMap::new, Collectors.counting()));
            HttpResponse<String> summaryAnswer = get(one, "/api/summary");
            assertThat(summaryAnswer.statusCode()).as(summaryAnswer.body()).isEqualTo(200);
            JsonNode summary = json(summaryAnswer);
            assertThat(JSON.convertValue(summary.get("outcomes"), new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, Long>>() { }))
                    .isEqualTo(expectedOutcomes);
            long linesCounted = 0;
            for (JsonNode server : json(get(one, "/api/servers")).get("servers")) {
                linesCounted += server.get("lines").asLong();
            }
            assertThat(linesCounted).as("the lines the offline engine parses, counted once over both servers' logs")
                    .isEqualTo(offline.parsedLines()).isPositive();
            assertThat(summary.get("senders").asInt()).isEqualTo((int) offline.attempts().stream().map(x -> Sender.of(x).id()).distinct().count());

            // the outcomes over time: the offline attempts per hour of their start and outcome, the partitions summed
            Map<String, Map<String, Long>> expectedHours = offline.attempts().stream().collect(Collectors.groupingBy(
                    x -> java.time.Instant.ofEpochMilli(OutcomeHistory.bucketOf(x.getStartTime().toEpochMilli())).toString(), TreeMap::new,
                    Collectors.groupingBy(x -> x.getOutcome().name(), TreeMap::new, Collectors.counting())));
            Map<String, Map<String, Long>> hours = new TreeMap<>();
            for (JsonNode bucket : json(get(one, "/api/history?since=2000-01-01T00:00:00Z")).get("buckets")) {
                Map<String, Long> counts = JSON.convertValue(bucket.get("outcomes"), new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, Long>>() { });
                if (!counts.isEmpty()) {
                    hours.put(bucket.get("start").asText(), counts);
                }
            }
            assertThat(hours).as("attempts per hour and outcome").isEqualTo(expectedHours);

            // a sender owned by each instance, asked at the other one
            List<String> ofOne = new ArrayList<>();
            List<String> ofTwo = new ArrayList<>();
            for (NegotiationAttempt x : offline.attempts()) {
                String id = Sender.of(x).id();
                KeyQueryMetadata md = one.streams().queryMetadataForKey(StoreNames.SENDER_STATES, ProbableCause.historyKeyOfSender(id),
                        Serdes.String().serializer());
                (md.activeHost().port() == one.http().port() ? ofOne : ofTwo).add(id);
            }
            // each is asked at both instances below, so at least once at the one that does not own it;
            // the assignor may give all the sender partitions to one of them
            List<String> looked = new ArrayList<>();
            if (!ofOne.isEmpty()) {
                looked.add(ofOne.get(0));
            }
            if (!ofTwo.isEmpty()) {
                looked.add(ofTwo.get(0));
            }
            System.out.printf("QueryApiClusterIT: senders owned by instance one %d, by instance two %d%n", ofOne.size(), ofTwo.size());

            List<String> paths = new ArrayList<>(List.of("/api/summary", "/api/senders", "/api/senders?limit=2",
                    "/api/senders?outcome=NO_SHARED_CIPHER", "/api/alerts/active", "/api/readiness", "/api/readiness?format=csv",
                    "/api/servers", "/api/history", "/api/openapi.json"));
            looked.forEach(id -> paths.add("/api/senders/" + enc(id)));
            Map<String, String> before = new LinkedHashMap<>();
            for (String p : paths) {
                HttpResponse<String> r1 = get(one, p);
                HttpResponse<String> r2 = get(two, p);
                assertThat(r1.statusCode()).as(p + " " + r1.body()).isEqualTo(200);
                assertThat(r2.body()).as("%s answers alike from either instance", p).isEqualTo(r1.body());
                before.put(p, r1.body());
            }
            assertThat(json(get(one, "/api/readiness")).get("total").asInt()).isPositive();
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + one.http().port() + "/api/summary")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("no token, no answer").isEqualTo(401);
            assertThat(json(get(one, "/api/alerts/active")).get("total").asInt()).isPositive();

            checkAgainstOpenApi(one, looked.get(0));

            // the instance that owns a sender stops answering (its API down, its Streams still running):
            // the other answers from its standby copy, and says so
            String owned = ofTwo.isEmpty() ? ofOne.get(0) : ofTwo.get(0);
            StreamsHarness.Running leaver = ofTwo.isEmpty() ? one : two;
            StreamsHarness.Running survivor = leaver == one ? two : one;
            String path = "/api/senders/" + enc(owned);
            JsonNode active = json(get(survivor, path));
            leaver.http().close();
            HttpResponse<String> fromStandby = get(survivor, path);
            assertThat(fromStandby.statusCode()).as(fromStandby.body()).isEqualTo(200);
            JsonNode standby = json(fromStandby);
            assertThat(standby.get("stale").asBoolean()).as("read from a standby: flagged").isTrue();
            assertThat(active.get("stale").asBoolean()).isFalse();
            ((com.fasterxml.jackson.databind.node.ObjectNode) standby).remove("stale");
            ((com.fasterxml.jackson.databind.node.ObjectNode) active).remove("stale");
            assertThat(standby).isEqualTo(active);
            // and the lists and counts: the down instance's partitions read from the standbys, flagged. It owns
            // a partition of the sender stage (the sender's); of the session stage (servers), maybe none
            for (String p : List.of("/api/summary", "/api/alerts/active", "/api/history", "/api/servers")) {
                HttpResponse<String> r = get(survivor, p);
                assertThat(r.statusCode()).as(p + " with an instance's API down: " + r.body()).isEqualTo(200);
                JsonNode partly = json(r);
                JsonNode whole = JSON.readTree(before.get(p));
                if (!p.equals("/api/servers")) {
                    assertThat(partly.get("stale").asBoolean()).as(p + " read in part from standbys: flagged").isTrue();
                }
                ((com.fasterxml.jackson.databind.node.ObjectNode) partly).remove("stale");
                ((com.fasterxml.jackson.databind.node.ObjectNode) whole).remove("stale");
                assertThat(partly).as(p + " from the standbys").isEqualTo(whole);
            }

            // then it goes altogether: the other takes its partitions over and answers as before
            leaver.close();
            if (leaver == two) {
                two = null;
            } else {
                one = null;
            }
            // until the rebalance has moved the active copies, what the standbys hold answers, flagged stale
            long rebalanced = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (json(get(survivor, "/api/summary")).get("stale").asBoolean() && System.nanoTime() < rebalanced) {
                Thread.sleep(500);
            }
            for (String p : paths) {
                HttpResponse<String> r = get(survivor, p);
                assertThat(r.statusCode()).as(p + " after the rebalance: " + r.body()).isEqualTo(200);
                assertThat(r.body()).as(p + " after the rebalance").isEqualTo(before.get(p));
            }
        } finally {
            if (one != null) {
                one.close();
            }
            if (two != null) {
                two.close();
            }
        }
    }

    /** The description validates, and every path it describes answers with a documented status and the required fields. */
    private void checkAgainstOpenApi(StreamsHarness.Running app, String sender) throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(get(app, "/api/openapi.json").body(), null, options);
        assertThat(parsed.getMessages()).as("openapi.json validates").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getPaths()).hasSizeGreaterThanOrEqualTo(7);
        api.getPaths().forEach((path, item) -> {
            Operation op = item.getGet();
            assertThat(op).as(path + " has a GET").isNotNull();
            String concrete = path.replace("{sender}", enc(sender));
            try {
                HttpResponse<String> ok = get(app, concrete);
                assertThat(op.getResponses()).as(path).containsKey(String.valueOf(ok.statusCode()));
                assertThat(ok.statusCode()).as(concrete + " " + ok.body()).isEqualTo(200);
                checkFields(api, op.getResponses().get("200"), ok, path);
                // each documented query parameter, given something it cannot take: a documented 400 naming it
                for (Parameter param : op.getParameters() == null ? List.<Parameter>of() : op.getParameters()) {
                    if (!"query".equals(param.getIn())) {
                        continue;
                    }
                    HttpResponse<String> bad = get(app, concrete + (concrete.contains("?") ? "&" : "?") + param.getName() + "=%21%21");
                    assertThat(bad.statusCode()).as(path + " ?" + param.getName() + "=!!").isEqualTo(400);
                    assertThat(op.getResponses()).containsKey("400");
                    assertThat(json(bad).get("error").get("parameter").asText()).isEqualTo(param.getName());
                    checkFields(api, op.getResponses().get("400"), bad, path + " 400");
                }
                // an unknown parameter: a 400 as well, where the description documents one
                if (op.getResponses().containsKey("400")) {
                    assertThat(get(app, concrete + (concrete.contains("?") ? "&" : "?") + "nosuch=1").statusCode()).isEqualTo(400);
                }
            } catch (Exception e) {
                throw new AssertionError(path, e);
            }
        });
        HttpResponse<String> missing = get(app, "/api/senders/" + enc("203.0.113.254"));
        assertThat(missing.statusCode()).isEqualTo(404);
        checkFields(api, api.getPaths().get("/api/senders/{sender}").getGet().getResponses().get("404"), missing, "404");
    }

    /** The answer's media type is documented, and each field its schema requires is there (one level of arrays in). */
    private static void checkFields(OpenAPI api, ApiResponse documented, HttpResponse<String> actual, String where) throws Exception {
        String type = actual.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        assertThat(documented.getContent()).as(where + " documents " + type).containsKey(type);
        if (!type.equals("application/json")) {
            return;
        }
        Schema<?> schema = resolve(api, documented.getContent().get(type).getSchema());
        JsonNode body = JSON.readTree(actual.body());
        requireFields(api, schema, body, where);
    }

    private static void requireFields(OpenAPI api, Schema<?> schema, JsonNode node, String where) {
        if (schema.getRequired() != null) {
            for (String field : schema.getRequired()) {
                assertThat(node.has(field)).as(where + ": required " + field + " in " + node).isTrue();
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, p) -> {
                Schema<?> prop = resolve(api, p);
                JsonNode value = node.get(name);
                if (value == null || value.isNull()) {
                    return;
                }
                if (prop.getItems() != null && value.isArray()) {
                    Schema<?> item = resolve(api, prop.getItems());
                    value.forEach(v -> {
                        if (v.isObject()) {
                            requireFields(api, item, v, where + "." + name + "[]");
                        }
                    });
                } else if (value.isObject() && prop.getProperties() != null) {
                    requireFields(api, prop, value, where + "." + name);
                }
            });
        }
    }

    private static Schema<?> resolve(OpenAPI api, Schema<?> s) {
        if (s.get$ref() != null) {
            return api.getComponents().getSchemas().get(s.get$ref().substring(s.get$ref().lastIndexOf('/') + 1));
        }
        return s;
    }

    private HttpResponse<String> get(StreamsHarness.Running app, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.http().port() + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void awaitRunning(KafkaStreams... all) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (KafkaStreams s : all) {
            while (s.state() != KafkaStreams.State.RUNNING) {
                assertThat(System.nanoTime()).as("instance running").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}
