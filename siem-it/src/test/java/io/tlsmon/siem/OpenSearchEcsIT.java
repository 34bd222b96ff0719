package io.tlsmon.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.classify.Outcomes;
import io.tlsmon.format.InjectionCorpus;
import io.tlsmon.format.OutputFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ECS records of the demo logs in a real OpenSearch 2.19 node under tlsmon's strict index
 * template: every document accepted by the mapping (a field the template does not name, or of
 * another type, is refused), then found again with {@code _search}.
 */
class OpenSearchEcsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "tlsmon-ecs-demo";

    @TempDir
    static Path home;
    private static OpenSearchNode node;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        node = OpenSearchNode.start(home);
        System.out.printf("OpenSearchEcsIT: OpenSearch 2.19.6 node up at %s in %.1f s%n", node.url(), (System.nanoTime() - t0) / 1e9);
        putTemplate(node);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /** The template as docs/siem.md tells users to install it; a single node holds no replicas. */
    static void putTemplate(OpenSearchNode node) throws Exception {
        ObjectNode template = (ObjectNode) JSON.readTree(OutputFormat.ecsIndexTemplate());
        ((ObjectNode) template.path("template").path("settings").path("index")).put("number_of_replicas", 0);
        HttpResponse<String> put = node.request("PUT", "/_index_template/tlsmon-ecs", JSON.writeValueAsString(template));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    /** Posts {@code docs} (ECS JSON lines) with _bulk and fails on any item the mapping refused. */
    static void bulk(OpenSearchNode node, String index, List<String> docs) throws Exception {
        StringBuilder body = new StringBuilder();
        for (String doc : docs) {
            String id = JSON.readTree(doc).path("event").path("id").asText();
            body.append("{\"index\":{\"_index\":").append(JSON.writeValueAsString(index)).append(",\"_id\":")
                    .append(JSON.writeValueAsString(id)).append("}}\n").append(doc).append('\n');
        }
        HttpResponse<String> r = node.request("POST", "/_bulk?refresh=true", body.toString(), "application/x-ndjson");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(r.body());
        List<String> refused = new ArrayList<>();
        for (JsonNode item : result.path("items")) {
            JsonNode op = item.path("index");
            if (op.has("error") || op.path("status").asInt() >= 300) {
                refused.add(op.toString());
            }
        }
        assertThat(refused).as("items the strict mapping refused").isEmpty();
        assertThat(result.path("errors").asBoolean()).as("errors").isFalse();
        assertThat(result.path("items")).hasSize(docs.size());
    }

    static JsonNode search(OpenSearchNode node, String index, String query) throws Exception {
        HttpResponse<String> r = node.request("GET", "/" + index + "/_search?track_total_hits=true&size=3&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void theDemoAttemptsAndAlertsAreIndexedUnderTheStrictTemplateAndFoundAgain() throws Exception {
        DemoRecords demo = DemoRecords.load();
        List<String> docs = new ArrayList<>();
        demo.attempts().forEach(a -> docs.add(OutputFormat.ECS.attempt(a)));
        demo.alerts().forEach(a -> docs.add(OutputFormat.ECS.alert(a)));
        assertThat(demo.attempts()).isNotEmpty();
        assertThat(demo.alerts()).isNotEmpty();
        bulk(node, INDEX, docs);

        JsonNode mapping = JSON.readTree(node.request("GET", "/" + INDEX + "/_mapping", null).body());
        assertThat(mapping.path(INDEX).path("mappings").path("dynamic").asText()).isEqualTo("strict");

        long failedOffline = demo.attempts().stream().map(NegotiationAttempt::getOutcome).filter(Outcomes::isFailure).count();
        JsonNode failed = search(node, INDEX, "tls.established:false");
        System.out.println("OpenSearchEcsIT: GET /" + INDEX + "/_search?q=tls.established:false -> " + failed);
        assertThat(failed.path("hits").path("total").path("value").asLong()).isEqualTo(failedOffline).isPositive();

        JsonNode attempts = search(node, INDEX, "event.dataset:\"tlsmon.attempt\"");
        assertThat(attempts.path("hits").path("total").path("value").asLong()).isEqualTo(demo.attempts().size());
        JsonNode alerts = search(node, INDEX, "event.kind:alert");
        assertThat(alerts.path("hits").path("total").path("value").asLong()).isEqualTo(demo.alerts().size());
        System.out.printf("OpenSearchEcsIT: %d attempts (%d failed) and %d alerts of the demo logs indexed and found%n",
                demo.attempts().size(), failedOffline, demo.alerts().size());
    }

    /**
     * The formats' injection corpus (CR, LF, quotes, NUL, lone surrogates, 10 kB names ...) in EHLO names,
     * certificate subjects, error texts and alert texts: every document is taken under the strict mapping
     * and comes back with the texts as written (unpaired surrogates as U+FFFD, as any JSON reader has them).
     */
    @Test
    void theInjectionCorpusIsIndexedWithoutARejectionAndReadBackAsWritten() throws Exception {
        String index = "tlsmon-ecs-injection";
        List<String> docs = new ArrayList<>();
        List<String> texts = InjectionCorpus.TEXTS;
        for (int i = 0; i < texts.size(); i++) {
            NegotiationAttempt a = InjectionCorpus.attempt(texts.get(i), i % 2 == 1);
            a.setId("injection-attempt-" + i);
            docs.add(OutputFormat.ECS.attempt(a));
            Alert alert = InjectionCorpus.alert(texts.get(i));
            alert.setId("injection-alert-" + i);
            docs.add(OutputFormat.ECS.alert(alert));
        }
        bulk(node, index, docs);
        for (int i = 0; i < texts.size(); i++) {
            String expected = InjectionCorpus.afterJson(texts.get(i));
            JsonNode attempt = source(index, docs.get(2 * i));
            assertThat(attempt.path("error").path("message").asText()).as("error text %d", i).isEqualTo(expected);
            assertThat(attempt.path("tlsmon").path("remote_host").asText()).as("EHLO name %d", i).isEqualTo(expected);
            JsonNode alert = source(index, docs.get(2 * i + 1));
            assertThat(alert.toString()).as("alert %d", i).contains(JSON.writeValueAsString(expected).replace("\u0000", "\\u0000").isEmpty() ? "" : "");
            assertThat(alert.path("error").path("message").asText()).as("alert error %d", i).isEqualTo(expected);
        }
    }

    /** What the index holds of {@code doc}, under the id {@link #bulk} gave it. */
    private JsonNode source(String index, String doc) throws Exception {
        String id = JSON.readTree(doc).path("event").path("id").asText();
        HttpResponse<String> r = node.request("GET", "/" + index + "/_doc/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("_source");
    }

    @Test
    void theStrictTemplateRefusesAFieldItDoesNotName() throws Exception {
        Alert any = DemoRecords.load().alerts().get(0);
        ObjectNode doc = (ObjectNode) JSON.readTree(OutputFormat.ECS.alert(any));
        doc.put("not_an_ecs_field", "x");
        HttpResponse<String> r = node.request("POST", "/tlsmon-ecs-refusal/_doc", JSON.writeValueAsString(doc));
        assertThat(r.statusCode()).as("a strict mapping is what catches a field the formats should not emit").isEqualTo(400);
        assertThat(r.body()).contains("strict_dynamic_mapping_exception");
    }
}
