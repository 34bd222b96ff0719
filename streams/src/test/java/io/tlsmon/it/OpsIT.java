package io.tlsmon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.ops.AlertmanagerNotifier;
import io.tlsmon.ops.OpsEndpoints;
import io.tlsmon.ops.TlsmonMetrics;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations side of a running instance, against the real tools operators run: the instance
 * processes the IT workload (four kinds of senders raising every rule, then late lines that resolve
 * the alerts) on the in-process broker and serves {@code /metrics} and {@code /health/*} on a JDK
 * HTTP server (the product's own HTTP API mounts the same handlers); Debian's {@code promtool}
 * checks the real output, a real Prometheus scrapes it, and a real Alertmanager (its receiver a
 * webhook served by this test) gets the alerts from {@link AlertmanagerNotifier}. Skipped, saying
 * so, where the binaries are absent ({@code .ci/install-prometheus.sh} installs them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsIT {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final int SESSIONS = 8;
    private static final ObjectMapper JSON = PrometheusTools.JSON;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KafkaCluster cluster;
    private static Path dir;
    private static Topics topics;
    private static Map<String, Object> settings;
    private static StreamsHarness.Running app;
    private static HttpServer ops;
    private static PrometheusTools.Webhook webhook;
    private static AlertmanagerNotifier notifier;
    private static int alertmanagerPort;
    private static Process alertmanager;
    private static Process prometheus;
    private static List<RawLine> lateLines;
    /** This JVM's attempt counts per outcome before the instance ran (other ITs of the JVM counted too). */
    private static Map<String, Long> attemptsBefore;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(PrometheusTools.installed(), "OpsIT skipped: " + PrometheusTools.missing());
        dir = Files.createTempDirectory("tlsmon-ops-it");
        cluster = KafkaCluster.start();
        webhook = new PrometheusTools.Webhook();
        alertmanagerPort = PrometheusTools.freePort();

        settings = StreamsHarness.settings(cluster, "ops.", "tlsmon-ops", "mock://ops", dir.resolve("state").toString());
        settings.put(TlsmonConfig.ALERTMANAGER_URL_CONFIG, "http://127.0.0.1:" + alertmanagerPort);
        settings.put(TlsmonConfig.ALERTMANAGER_RESEND_MS_CONFIG, 2_000L);
        settings.put(TlsmonConfig.ALERTMANAGER_RETRY_BACKOFF_MAX_MS_CONFIG, 1_000L);
        settings.put(TlsmonConfig.ALERTMANAGER_TIMEOUT_MS_CONFIG, 2_000L);
        TlsmonConfig config = new TlsmonConfig(settings);
        StreamsHarness.createTopics(cluster, config);
        topics = Topics.of(config);
        attemptsBefore = promCountsFromJvm();

        // first everything up to the failing senders' last session; the late lines resolving their alerts come in test 4
        List<RawLine> lines = Workload.lines("ops1", 10, SESSIONS, T0);
        Instant cut = T0.plus(Duration.ofMinutes(SESSIONS + 30L));
        lateLines = lines.stream().filter(l -> !l.getTime().isBefore(cut)).toList();
        StreamsHarness.produce(cluster, topics, lines.stream().filter(l -> l.getTime().isBefore(cut)).toList());

        app = StreamsHarness.start(settings);
        ops = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        OpsEndpoints.mount(ops::createContext, ops::createContext, app.streams());
        ops.start();
        // the Alertmanager is not up yet: the first pushes fail, and must be retried, not dropped
        notifier = AlertmanagerNotifier.start(config, topics).orElseThrow();
        StreamsHarness.awaitConsumed(cluster, "tlsmon-ops", topics.rawLines().name(), Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        for (Process p : new Process[] {prometheus, alertmanager}) {
            if (p != null) {
                p.destroy();
            }
        }
        if (notifier != null) {
            notifier.close();
        }
        if (ops != null) {
            ops.stop(0);
        }
        if (webhook != null) {
            webhook.close();
        }
        if (app != null) {
            app.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void healthFollowsTheStreamsState() throws Exception {
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("state").asText()).isEqualTo("RUNNING");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void promtoolFindsNothingWrongInTheRealOutput() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, metrics.body());
        assertThat(metrics.body()).contains("tlsmon_attempts_total{", "tlsmon_alerts_total{", "tlsmon_lines_in_total{server=\"ops1\"",
                "tlsmon_alert_lag_seconds_bucket", "tlsmon_consumer_records_lag_max", "tlsmon_store_estimated_keys{store=",
                "kafka_stream_thread_process_total");
        Process p = new ProcessBuilder(PrometheusTools.PROMTOOL.toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // exit 3 is a lint problem (a missing help text among them): a failure too
        assertThat(p.exitValue()).as("promtool check metrics on %s said:%n%s", file, said).isZero();
    }

    @Test
    @Order(3)
    void aRealPrometheusScrapesTheAttemptCountsPerOutcome() throws Exception {
        int port = PrometheusTools.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: tlsmon
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(ops.getAddress().getPort()));
        prometheus = new ProcessBuilder(PrometheusTools.PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Map<String, Long> expected = new TreeMap<>(attemptsBefore);
        for (ConsumerRecord<String, byte[]> r : StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(1))) {
            NegotiationAttempt a = topics.attempts().valueSerde().deserializer().deserialize(r.topic(), r.value());
            expected.merge(a.getOutcome().name(), 1L, Long::sum);
        }
        assertThat(expected).hasSizeGreaterThan(2);
        String query = "sum by (outcome) (tlsmon_attempts_total{job=\"tlsmon\"})";
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        Map<String, Long> scraped = new TreeMap<>();
        await(Duration.ofSeconds(30), () -> {
            scraped.clear();
            try {
                JsonNode result = JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body())
                        .path("data").path("result");
                result.forEach(s -> scraped.put(s.path("metric").path("outcome").asText(), Long.parseLong(s.path("value").get(1).asText())));
            } catch (IOException | InterruptedException e) {
                return false;
            }
            return scraped.equals(expected);
        }, () -> "Prometheus answered " + scraped + ", the attempts topic (and this JVM's earlier counts) hold " + expected);
    }

    @Test
    @Order(4)
    void aRealAlertmanagerGetsTheAlertsGroupedByRuleAndResolved() throws Exception {
        assertThat(TlsmonMetrics.get().alertmanagerPushes().get("failed")).as("pushes while the Alertmanager was down").isPositive();
        alertmanager = PrometheusTools.alertmanager(dir, alertmanagerPort, webhook);

        List<Alert> raisedAlerts = StreamsHarness.readAlerts(cluster, topics, Duration.ofSeconds(1));
        Set<String> raised = raisedAlerts.stream().filter(a -> a.getType() == AlertType.RAISED).map(Alert::getId).collect(Collectors.toSet());
        assertThat(raised).hasSizeGreaterThan(1);
        await(Duration.ofSeconds(60), () -> webhook.alertIds("firing").containsAll(raised),
                () -> "firing in the webhook: " + webhook.alertIds("firing") + ", raised in the topic: " + raised);
        assertThat(webhook.groupingProblems()).isEmpty();
        // open alerts are pushed again while nothing new happens
        long ok = TlsmonMetrics.get().alertmanagerPushes().get("ok");
        await(Duration.ofSeconds(10), () -> TlsmonMetrics.get().alertmanagerPushes().get("ok") >= ok + 2, () -> "no re-send of the open alerts");

        StreamsHarness.produce(cluster, topics, lateLines);
        StreamsHarness.awaitConsumed(cluster, "tlsmon-ops", topics.rawLines().name(), Duration.ofSeconds(60));
        Set<String> resolved = StreamsHarness.readAlerts(cluster, topics, Duration.ofSeconds(1)).stream()
                .filter(a -> a.getType() == AlertType.RESOLVED).map(Alert::getId).collect(Collectors.toSet());
        assertThat(resolved).isNotEmpty();
        await(Duration.ofSeconds(60), () -> webhook.alertIds("resolved").containsAll(resolved),
                () -> "resolved in the webhook: " + webhook.alertIds("resolved") + ", resolved in the topic: " + resolved);

        // a restart re-reads the topic: the resolved episodes are not raised again
        long firingOfResolved = firingOf(resolved);
        notifier.close();
        long okBefore = TlsmonMetrics.get().alertmanagerPushes().get("ok");
        notifier = AlertmanagerNotifier.start(new TlsmonConfig(settings), topics).orElseThrow();
        await(Duration.ofSeconds(20), () -> TlsmonMetrics.get().alertmanagerPushes().get("ok") > okBefore, () -> "no push after the restart");
        Thread.sleep(3_000); // group_interval is 1 s
        assertThat(firingOf(resolved)).as("firing notifications of resolved alerts after a restart").isEqualTo(firingOfResolved);
    }

    private static long firingOf(Set<String> ids) {
        return webhook.alerts().stream().filter(a -> a.path("status").asText().equals("firing")
                && ids.contains(a.path("annotations").path("tlsmon_alert_id").asText())).count();
    }

    private static Map<String, Long> promCountsFromJvm() {
        Map<String, Long> m = new HashMap<>();
        for (io.tlsmon.avro.Outcome o : io.tlsmon.avro.Outcome.values()) {
            long n = 0;
            for (io.tlsmon.avro.Direction d : io.tlsmon.avro.Direction.values()) {
                for (String kind : List.of("exchange-receive", "exchange-send", "postfix-smtpd", "postfix-smtp", "sendmail", "exim")) {
                    n += TlsmonMetrics.get().attempts().get(o.name(), d.name(), kind);
                }
            }
            if (n > 0) {
                m.put(o.name(), n);
            }
        }
        return m;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.getAddress().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void await(Duration timeout, BooleanSupplier done, java.util.function.Supplier<String> why) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(why.get());
    }
}
