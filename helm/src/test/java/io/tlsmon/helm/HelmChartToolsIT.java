package io.tlsmon.helm;

import io.tlsmon.helm.Chart.ValuesSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chart checked by outside tools: yamllint on the chart's own YAML and on the rendered
 * manifests, and the rendered manifests against the Kubernetes schemas (helm/validate-manifests.mjs
 * with npm kubernetes-models). Each test skips, saying why, when its tool is missing
 * (.ci/install-helm-tools.sh installs them).
 */
class HelmChartToolsIT {
    private static final Path RENDERED = Chart.MODULE.resolve("target/rendered");
    private static final List<Path> renderedFiles = new ArrayList<>();

    @BeforeAll
    static void render() throws IOException {
        Files.createDirectories(RENDERED);
        for (ValuesSet set : Chart.validSets()) {
            Path out = RENDERED.resolve(set.name().replace(".yaml", "") + ".yaml");
            Files.writeString(out, Chart.renderText(set, Map.of()));
            renderedFiles.add(out);
        }
    }

    record Run(int exit, String output) {
    }

    private static Run run(List<String> command, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Chart.repoRoot().toFile()).redirectErrorStream(true);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), out);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static List<String> chartYaml() throws IOException {
        List<String> files = new ArrayList<>(List.of("helm/tlsmon/Chart.yaml", "helm/tlsmon/values.yaml", "helm/.yamllint", "helm/.yamllint-rendered"));
        for (Path dir : List.of(Chart.CI_VALUES, Chart.INVALID_VALUES)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> files.add(Chart.repoRoot().relativize(f).toString()));
            }
        }
        return files;
    }

    @Test
    void yamllintPassesOnTheChartsOwnYaml() throws Exception {
        assumeTrue(onPath("yamllint"), "yamllint not on PATH (apt-get install yamllint, or .ci/install-helm-tools.sh)");
        List<String> cmd = new ArrayList<>(List.of("yamllint", "-s", "-f", "parsable", "-c", "helm/.yamllint"));
        cmd.addAll(chartYaml());
        Run r = run(cmd, null);
        assertThat(r.exit()).as("yamllint:%n%s", r.output()).isZero();
    }

    @Test
    void yamllintPassesOnTheRenderedManifests() throws Exception {
        assumeTrue(onPath("yamllint"), "yamllint not on PATH (apt-get install yamllint, or .ci/install-helm-tools.sh)");
        List<String> cmd = new ArrayList<>(List.of("yamllint", "-s", "-f", "parsable", "-c", "helm/.yamllint-rendered"));
        renderedFiles.forEach(f -> cmd.add(f.toString()));
        Run r = run(cmd, null);
        assertThat(r.exit()).as("yamllint:%n%s", r.output()).isZero();
    }

    @Test
    void yamllintRejectsWhatItIsThereToCatch() throws Exception {
        assumeTrue(onPath("yamllint"), "yamllint not on PATH (apt-get install yamllint, or .ci/install-helm-tools.sh)");
        Run r = run(List.of("yamllint", "-s", "-f", "parsable", "-c", "helm/.yamllint", "-"), "---\nkey: 1\nkey: 2\nlist:\n- a   \n");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("key-duplicates").contains("trailing-spaces");
    }

    /** Runs the validator, skipping when node or its packages are missing. */
    private static Run validate(List<String> files, String stdin) throws Exception {
        assumeTrue(onPath("node"), "node not on PATH: the Kubernetes schema check needs it (.ci/install-helm-tools.sh)");
        List<String> cmd = new ArrayList<>(List.of("node", "helm/validate-manifests.mjs"));
        cmd.addAll(files);
        Run r = run(cmd, stdin);
        assumeTrue(r.exit() != 2, () -> "schema check skipped: " + r.output().trim());
        return r;
    }

    @Test
    void everyRenderedManifestMatchesItsKubernetesSchema() throws Exception {
        Run r = validate(renderedFiles.stream().map(Path::toString).toList(), null);
        assertThat(r.exit()).as("validate-manifests:%n%s", r.output()).isZero();
        long documents = 0;
        for (Path f : renderedFiles) {
            documents += Chart.Rendered.parse(Files.readString(f)).docs().size();
        }
        assertThat(r.output().lines().filter(l -> l.startsWith("ok ")).count()).as("every document checked").isEqualTo(documents);
        assertThat(r.output()).contains("ServiceMonitor/", "StatefulSet/", "DaemonSet/", "PodDisruptionBudget/");
    }

    @Test
    void theSchemaCheckRejectsWhatAnApiServerWould() throws Exception {
        String broken = """
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: broken}
                spec:
                  serviceName: x
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: c
                          ports: [{containerPort: "8080"}]
                          resources: {limits: {memory: 1Gx}}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: broken}
                spec:
                  selector: {matchLabels: {a: b}}
                  endpoints:
                    - port: http
                      interval: 15 seconds
                      bearerTokenSecrets: {name: t, key: token}
                ---
                apiVersion: v1
                kind: Sevrice
                metadata: {name: typo}
                """;
        Run r = validate(List.of(), broken);
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("FAIL stdin: apps/v1 StatefulSet/broken", "containerPort must be integer", "memory");
        assertThat(r.output()).contains("FAIL stdin: monitoring.coreos.com/v1 ServiceMonitor/broken", "bearerTokenSecrets is not an endpoint field",
                "interval must be a Prometheus duration");
        assertThat(r.output()).contains("FAIL stdin: v1 Sevrice/typo", "no schema for v1 Sevrice");
        assertThat(r.output()).contains("0 valid, 3 invalid");
    }
}
