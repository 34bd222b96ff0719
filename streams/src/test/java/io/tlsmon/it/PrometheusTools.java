package io.tlsmon.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Debian's Prometheus, promtool and Alertmanager for the ITs, and a webhook receiver for the Alertmanager. */
final class PrometheusTools {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
    static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusTools() {
    }

    static boolean installed() {
        return Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL) && Files.isExecutable(ALERTMANAGER);
    }

    static String missing() {
        return PROMETHEUS + ", " + PROMTOOL + " and " + ALERTMANAGER
                + " are needed (Debian packages prometheus and prometheus-alertmanager: sudo .ci/install-prometheus.sh)";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** An Alertmanager on 127.0.0.1:{@code port}, no cluster, grouping by rule, every group to {@code hook} with resolved ones too. */
    static Process alertmanager(Path dir, int port, Webhook hook) throws IOException {
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: hook
                  group_by: [rule]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: http://127.0.0.1:%d/hook
                        send_resolved: true
                """.formatted(hook.port()));
        return new ProcessBuilder(ALERTMANAGER.toString(), "--config.file=" + config, "--storage.path=" + dir.resolve("am"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
    }

    /** The Alertmanager's notifications, as its webhook receiver gets them. */
    static final class Webhook implements AutoCloseable {
        private final HttpServer server;
        final List<JsonNode> notifications = Collections.synchronizedList(new ArrayList<>());

        Webhook() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", ex -> {
                try (ex; InputStream in = ex.getRequestBody()) {
                    notifications.add(JSON.readTree(in));
                    ex.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** The tlsmon alert ids of the alerts notified with this status (firing, resolved). */
        Set<String> alertIds(String status) {
            return alerts().stream().filter(a -> a.path("status").asText().equals(status))
                    .map(a -> a.path("annotations").path("tlsmon_alert_id").asText()).collect(Collectors.toSet());
        }

        List<JsonNode> alerts() {
            synchronized (notifications) {
                List<JsonNode> l = new ArrayList<>();
                notifications.forEach(n -> n.path("alerts").forEach(l::add));
                return l;
            }
        }

        /** Every notification is of one rule's group, and all its alerts are of that rule. */
        List<String> groupingProblems() {
            List<String> problems = new ArrayList<>();
            synchronized (notifications) {
                for (JsonNode n : notifications) {
                    String rule = n.path("groupLabels").path("rule").asText();
                    if (rule.isEmpty()) {
                        problems.add("no rule in the group labels: " + n.path("groupLabels"));
                    }
                    n.path("alerts").forEach(a -> {
                        if (!a.path("labels").path("rule").asText().equals(rule) || !a.path("labels").path("alertname").asText().equals(rule)) {
                            problems.add("alert " + a.path("labels") + " in the group of " + rule);
                        }
                        if (a.path("annotations").path("remediation").asText().isBlank()) {
                            problems.add("no remediation: " + a);
                        }
                    });
                }
            }
            return problems;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
