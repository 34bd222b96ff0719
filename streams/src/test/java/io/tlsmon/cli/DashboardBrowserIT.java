package io.tlsmon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tlsmon demo --serve} in a child JVM, its dashboard loaded in Debian's headless chromium
 * driven over WebDriver (chromedriver): the page shows, row for row, what the API answers for the
 * demo's logs, and a screenshot is kept at {@code streams/target/dashboard.png}. Skipped when
 * chromium or chromedriver is absent ({@code .ci/install-browser.sh} installs them).
 */
class DashboardBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void theDashboardShowsTheDemosData() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "DashboardBrowserIT skipped: no " + CHROMIUM + " or " + CHROMEDRIVER + " (run .ci/install-browser.sh)");
        int port = freePort();
        Path log = Path.of("target", "dashboard-demo.log");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), "io.tlsmon.cli.Main", "demo", "--serve", "--duration", "180s",
                "--http-port", String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process driver = null;
        try {
            String base = "http://127.0.0.1:" + port;
            awaitDemoProcessed(base, demo, log);
            int driverPort = freePort();
            driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + driverPort).redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "chromedriver.log").toFile()).start();
            WebDriver browser = WebDriver.start("http://127.0.0.1:" + driverPort, client);
            try {
                browser.post("/url", Map.of("url", base + "/"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!browser.script("return document.body.dataset.loaded === 'true'").asBoolean()) {
                    assertThat(System.nanoTime()).as("the page loaded its data: " + browser.script("return document.getElementById('status').textContent"))
                            .isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(rows(browser, "senders", "sender")).isEqualTo(field(api(base, "/api/senders?limit=20"), "senders", "sender"))
                        .isNotEmpty();
                assertThat(rows(browser, "alerts", "sender")).isEqualTo(field(api(base, "/api/alerts/active"), "alerts", "sender"))
                        .isNotEmpty();
                assertThat(rows(browser, "readiness", "sender")).isEqualTo(field(api(base, "/api/readiness"), "senders", "sender"))
                        .contains("ex01|Partner Connector");
                assertThat(rows(browser, "servers", "server")).isEqualTo(field(api(base, "/api/servers"), "servers", "server"));
                // the remediation text of the first alert is on the page, as text
                String firstRemediation = api(base, "/api/alerts/active").get("alerts").get(0).get("remediation").asText();
                assertThat(browser.script("return document.querySelector('#alerts tbody tr td:last-child').textContent").asText())
                        .isEqualTo(firstRemediation);
                assertThat(browser.script("return document.querySelectorAll('#chart svg rect').length").asInt()).isPositive();
                // the outcomes over time: one bar per hour the API gives, each as tall as its attempts
                JsonNode hours = api(base, "/api/history?since=PT47H").get("buckets");
                List<String> starts = new ArrayList<>();
                long attempts = 0;
                for (JsonNode b : hours) {
                    starts.add(b.get("start").asText());
                    attempts += b.get("attempts").asLong();
                }
                assertThat(attempts).isPositive();
                JsonNode drawn = browser.script("return Array.from(document.querySelectorAll('#history svg g')).map(g => g.dataset.hour)");
                List<String> bars = new ArrayList<>();
                drawn.forEach(v -> bars.add(v.asText()));
                assertThat(bars).isEqualTo(starts);
                assertThat(browser.script("return document.querySelectorAll('#history svg rect').length").asInt()).isPositive();
                assertThat(browser.script("return document.querySelector('[data-card=\"active alerts\"] b').textContent").asText())
                        .isEqualTo(api(base, "/api/summary").get("activeAlerts").asText());
                Files.write(SCREENSHOT, Base64.getDecoder().decode(browser.get("/screenshot").asText()));
                assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
                System.out.println("DashboardBrowserIT: screenshot " + SCREENSHOT.toAbsolutePath());
            } finally {
                browser.close();
            }
        } finally {
            if (driver != null) {
                driver.destroy();
            }
            demo.destroy(); // SIGTERM: the demo's shutdown hook stops it and removes its files
            demo.waitFor();
        }
    }

    private static List<String> rows(WebDriver browser, String table, String attribute) throws Exception {
        JsonNode values = browser.script("return Array.from(document.querySelectorAll('#" + table + " tbody tr'))"
                + ".filter(r => r.dataset." + attribute + " !== undefined).map(r => r.dataset." + attribute + ")");
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<String> field(JsonNode answer, String array, String name) {
        List<String> out = new ArrayList<>();
        answer.get(array).forEach(n -> out.add(n.has(name) ? n.get(name).asText() : ""));
        return out;
    }

    private JsonNode api(String base, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Until the demo has processed its logs: the same non-empty summary twice, two seconds apart. */
    private void awaitDemoProcessed(String base, Process demo, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = null;
        while (true) {
            assertThat(demo.isAlive()).as("the demo runs: " + Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("the demo processed its logs: " + Files.readString(log)).isLessThan(deadline);
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/summary")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && JSON.readTree(r.body()).get("senders").asInt() > 0) {
                    if (r.body().equals(last)) {
                        return;
                    }
                    last = r.body();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(2000);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The few W3C WebDriver commands the test needs, over the JDK's HTTP client. */
    record WebDriver(String session, HttpClient client) {
        static WebDriver start(String driver, HttpClient client) throws Exception {
            Map<String, Object> caps = Map.of("capabilities", Map.of("alwaysMatch", Map.of("browserName", "chrome",
                    "goog:chromeOptions", Map.of("binary", CHROMIUM.toString(),
                            "args", List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1800")))));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (true) {
                try {
                    JsonNode r = send(client, HttpRequest.newBuilder(URI.create(driver + "/session"))
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(caps))));
                    return new WebDriver(driver + "/session/" + r.get("sessionId").asText(), client);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200); // chromedriver still starting
                }
            }
        }

        JsonNode post(String path, Object body) throws Exception {
            return send(client, HttpRequest.newBuilder(URI.create(session + path)).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        }

        JsonNode get(String path) throws Exception {
            return send(client, HttpRequest.newBuilder(URI.create(session + path)).GET());
        }

        JsonNode script(String js) throws Exception {
            return post("/execute/sync", Map.of("script", js, "args", List.of()));
        }

        void close() throws Exception {
            send(client, HttpRequest.newBuilder(URI.create(session)).DELETE());
        }

        private static JsonNode send(HttpClient client, HttpRequest.Builder req) throws Exception {
            HttpResponse<String> r = client.send(req.header("Content-Type", "application/json").timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new AssertionError("WebDriver " + r.statusCode() + ": " + body);
            }
            return body.get("value");
        }
    }
}
