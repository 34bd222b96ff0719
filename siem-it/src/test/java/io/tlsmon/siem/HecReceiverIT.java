package io.tlsmon.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.format.FormatOptions;
import io.tlsmon.format.InjectionCorpus;
import io.tlsmon.format.OutputFormat;
import io.tlsmon.format.RecordFormatter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tlsmon's HEC events through the HEC protocol: posted in batches to the receiver, which takes them
 * as Splunk would, and the receiver itself held to the protocol by Splunk's own client.
 */
class HecReceiverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    /** Where .ci/install-siem-tools.sh puts splunk-logging. */
    private static final Path NPM_CACHE = Path.of(System.getenv().getOrDefault("TLSMON_TOOLS_CACHE",
            System.getProperty("user.home") + "/.cache/tlsmon-tools"), "npm");

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(HecReceiver r, String path, String auth, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDemoEventsArriveInBatchesOfConcatenatedObjects() throws Exception {
        DemoRecords demo = DemoRecords.load();
        RecordFormatter hec = OutputFormat.HEC.formatter(new FormatOptions("mail_tls"));
        List<String> events = new ArrayList<>();
        demo.attempts().forEach(a -> events.add(hec.attempt(a)));
        demo.alerts().forEach(a -> events.add(hec.alert(a)));
        try (HecReceiver r = HecReceiver.start(TOKEN)) {
            for (int i = 0; i < events.size(); i += 10) {
                String batch = String.join("", events.subList(i, Math.min(events.size(), i + 10)));
                HttpResponse<String> resp = post(r, i % 20 == 0 ? "/services/collector/event" : "/services/collector/event/1.0",
                        "Splunk " + TOKEN, batch);
                assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
                assertThat(JSON.readTree(resp.body())).isEqualTo(JSON.readTree("{\"text\":\"Success\",\"code\":0}"));
            }
            List<JsonNode> got = r.events();
            assertThat(got).hasSize(events.size());
            for (int i = 0; i < events.size(); i++) {
                assertThat(got.get(i)).isEqualTo(JSON.readTree(events.get(i)));
                assertThat(got.get(i).path("index").asText()).isEqualTo("mail_tls");
                assertThat(got.get(i).path("sourcetype").asText()).startsWith("tlsmon:");
            }
        }
    }

    /** The formats' injection corpus in HEC events: each event arrives whole, with its texts as written, and no more events. */
    @Test
    void theInjectionCorpusArrivesAsWritten() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < InjectionCorpus.TEXTS.size(); i++) {
            String text = InjectionCorpus.TEXTS.get(i);
            events.add(OutputFormat.HEC.attempt(InjectionCorpus.attempt(text, i % 2 == 1)));
            events.add(OutputFormat.HEC.alert(InjectionCorpus.alert(text)));
        }
        try (HecReceiver r = HecReceiver.start(TOKEN)) {
            HttpResponse<String> resp = post(r, "/services/collector/event", "Splunk " + TOKEN, String.join("", events));
            assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
            List<JsonNode> got = r.events();
            assertThat(got).hasSize(events.size());
            for (int i = 0; i < events.size(); i++) {
                String text = InjectionCorpus.afterJson(InjectionCorpus.TEXTS.get(i / 2));
                assertThat(got.get(i)).isEqualTo(JSON.readTree(events.get(i)));
                assertThat(got.get(i).path("event").path("error").asText()).as("event %d", i).isEqualTo(text);
            }
        }
    }

    @Test
    void refusalsCarrySplunksStatusesAndCodes() throws Exception {
        String one = OutputFormat.HEC.attempt(DemoRecords.load().attempts().get(0));
        try (HecReceiver r = HecReceiver.start(TOKEN)) {
            assertThat(post(r, "/services/collector/event", null, one).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = post(r, "/services/collector/event", "Splunk nope", one);
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(wrong.body()).path("code").asInt()).isEqualTo(4);
            assertThat(JSON.readTree(post(r, "/services/collector/event", "Splunk " + TOKEN, "").body()).path("code").asInt()).isEqualTo(5);
            assertThat(JSON.readTree(post(r, "/services/collector/event", "Splunk " + TOKEN, one + "{\"time\":1").body()).path("code").asInt()).isEqualTo(6);
            assertThat(JSON.readTree(post(r, "/services/collector/event", "Splunk " + TOKEN, "{\"host\":\"x\"}").body()).path("code").asInt()).isEqualTo(12);
            assertThat(JSON.readTree(post(r, "/services/collector/event", "Splunk " + TOKEN, "{\"event\":\"\"}").body()).path("code").asInt()).isEqualTo(13);
            assertThat(r.events()).as("a refused batch is not taken, not even its good part").isEmpty();
            assertThat(r.replies()).containsExactly(2, 4, 5, 6, 12, 13);
        }
    }

    @Test
    void splunksOwnClientDeliversToTheReceiver(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("node"), "node is not installed: skipping the splunk-logging check (.ci/install-siem-tools.sh)");
        Path module = NPM_CACHE.resolve("node_modules/splunk-logging");
        Assumptions.assumeTrue(Files.isRegularFile(module.resolve("package.json")),
                "splunk-logging is not installed in " + NPM_CACHE + ": run .ci/install-siem-tools.sh");
        DemoRecords demo = DemoRecords.load();
        List<JsonNode> messages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            messages.add(JSON.readTree(OutputFormat.HEC.attempt(demo.attempts().get(i))).path("event"));
        }
        messages.add(JSON.readTree(OutputFormat.HEC.alert(demo.alerts().get(0))).path("event"));
        Path input = dir.resolve("events.json");
        Files.writeString(input, JSON.writeValueAsString(messages));
        Path script = dir.resolve("send.js");
        // batches of 3, so the client sends concatenated objects too
        Files.writeString(script, String.join("\n",
                "const SplunkLogger = require(process.argv[2]).Logger;",
                "const events = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));",
                "const logger = new SplunkLogger({token: process.argv[4], url: 'http://127.0.0.1:' + process.argv[5], maxBatchCount: 3, maxRetries: 0});",
                "let failed = false;",
                "logger.error = (err, ctx) => { failed = true; console.error('splunk-logging error: ' + err); };",
                "let pending = events.length;",
                "for (const e of events) {",
                "  logger.send({message: e, metadata: {source: 'tlsmon', sourcetype: 'tlsmon:test', host: 'mx2'}}, (err, resp, body) => {",
                "    if (err) { failed = true; console.error(err); }",
                "    else if (body && body.code !== undefined) { console.log('reply ' + JSON.stringify(body)); }",
                "  });",
                "}",
                "// six events, two full batches: the client flushes each as it fills",
                "setTimeout(() => process.exit(failed ? 1 : 0), 3000);",
                ""));
        try (HecReceiver r = HecReceiver.start(TOKEN)) {
            Process p = new ProcessBuilder("node", script.toString(), module.toString(), input.toString(), TOKEN, Integer.toString(r.port()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            System.out.println("HecReceiverIT: splunk-logging 0.11.1 said: " + out.strip());
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("{\"text\":\"Success\",\"code\":0}");
            List<JsonNode> got = r.events();
            assertThat(got).hasSize(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                assertThat(got.get(i).path("event").path("message")).isEqualTo(messages.get(i));
                assertThat(got.get(i).path("sourcetype").asText()).isEqualTo("tlsmon:test");
                assertThat(got.get(i).path("host").asText()).isEqualTo("mx2");
            }
            assertThat(r.replies()).allMatch(c -> c == 0);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
