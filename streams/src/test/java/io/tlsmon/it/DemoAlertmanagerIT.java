package io.tlsmon.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlsmon.cli.DemoCommand;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tlsmon demo --alertmanager URL} against a real Alertmanager (Debian's, its receiver a webhook
 * served by this test): every alert the demo raises arrives, grouped by rule as the Alertmanager's
 * route says, and the two it resolves arrive resolved, though the demo raises and resolves them
 * within a few seconds (the notifier holds a RESOLVED until its alert has been firing for a while). Skipped, saying so, without the binaries.
 */
class DemoAlertmanagerIT {

    @Test
    void theDemosAlertsReachARealAlertmanagerGroupedByRule(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PrometheusTools.installed(), "DemoAlertmanagerIT skipped: " + PrometheusTools.missing());
        try (PrometheusTools.Webhook hook = new PrometheusTools.Webhook()) {
            int port = PrometheusTools.freePort();
            Process am = PrometheusTools.alertmanager(dir, port, hook);
            try {
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build();
                OpsIT.await(Duration.ofSeconds(20), () -> {
                    try {
                        return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (Exception e) {
                        return false;
                    }
                }, () -> "the Alertmanager did not get ready (" + dir.resolve("alertmanager.log") + ")");

                ByteArrayOutputStream captured = new ByteArrayOutputStream();
                PrintStream stdout = System.out;
                int rc;
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                try {
                    rc = new CommandLine(new DemoCommand()).execute("--alertmanager", "http://127.0.0.1:" + port,
                            "--output", "jsonl", "--duration", "120s");
                } finally {
                    System.setOut(stdout);
                }
                assertThat(rc).isZero();
                List<JsonNode> alerts = new ArrayList<>();
                for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("{\"record\":\"alert\"")) {
                        alerts.add(PrometheusTools.JSON.readTree(line));
                    }
                }
                Set<String> raised = ids(alerts, "RAISED");
                Set<String> resolved = ids(alerts, "RESOLVED");
                Set<String> rules = alerts.stream().map(a -> a.path("rule").asText()).collect(Collectors.toSet());
                System.out.println("DemoAlertmanagerIT: the demo raised " + raised.size() + " alerts (" + resolved.size()
                        + " resolved) of rules " + rules);
                assertThat(raised).isNotEmpty();
                OpsIT.await(Duration.ofSeconds(30), () -> hook.alertIds("firing").containsAll(raised),
                        () -> "firing in the webhook: " + hook.alertIds("firing") + ", raised by the demo: " + raised);
                assertThat(hook.groupingProblems()).isEmpty();
                Set<String> groups = hook.notifications.stream().map(n -> n.path("groupLabels").path("rule").asText()).collect(Collectors.toSet());
                assertThat(groups).isEqualTo(rules);
                assertThat(resolved).isNotEmpty();
                OpsIT.await(Duration.ofSeconds(30), () -> hook.alertIds("resolved").containsAll(resolved),
                        () -> "resolved in the webhook: " + hook.alertIds("resolved") + ", resolved by the demo: " + resolved);
                System.out.println("DemoAlertmanagerIT: " + hook.notifications.size() + " notifications, groups " + groups
                        + ", resolved notified: " + hook.alertIds("resolved").size());
            } finally {
                am.destroy();
            }
        }
    }

    private static Set<String> ids(List<JsonNode> alerts, String type) {
        return alerts.stream().filter(a -> a.path("type").asText().equals(type)).map(a -> a.path("id").asText()).collect(Collectors.toSet());
    }
}
