package io.tlsmon.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.tlsmon.helm.Chart.Rendered;
import io.tlsmon.helm.Chart.ValuesSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** helm lint and helm template of helm/tlsmon, and what the rendered manifests must do. */
class HelmChartTest {
    private static final ValuesSet PRODUCTION = ValuesSet.of(Chart.CI_VALUES.resolve("production-values.yaml"));
    private static final ValuesSet SMALL = ValuesSet.of(Chart.CI_VALUES.resolve("small-values.yaml"));

    static List<ValuesSet> validSets() {
        return Chart.validSets();
    }

    @Test
    void lintStrictPasses() {
        LintResult lint = new Helm(Chart.DIR).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void threeOrMoreValuesSetsAreChecked() {
        assertThat(validSets()).extracting(ValuesSet::name).contains("defaults", "production-values.yaml", "small-values.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void rendersTheWorkloadAndItsServices(ValuesSet set) {
        Rendered r = Chart.render(set);
        JsonNode sts = r.statefulSet();
        assertThat(r.ofKind("Service")).hasSize(2);
        assertThat(r.ofKind("ConfigMap")).hasSize(1);
        assertThat(r.ofKind("Secret")).as("the chart creates no Secret: every credential is a reference").isEmpty();
        JsonNode values = Chart.values(set);
        assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(values.path("replicaCount").asInt());
        assertThat(r.ofKind("PodDisruptionBudget")).hasSize(values.at("/pdb/enabled").asBoolean() ? 1 : 0);
        assertThat(r.ofKind("ServiceMonitor")).hasSize(values.at("/serviceMonitor/enabled").asBoolean() ? 1 : 0);
        assertThat(r.ofKind("DaemonSet")).hasSize(values.at("/shipper/enabled").asBoolean() ? 1 : 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void applicationServerIsThePodsStableNameUnderTheHeadlessService(ValuesSet set) {
        Rendered r = Chart.render(set);
        JsonNode sts = r.statefulSet();
        String serviceName = sts.at("/spec/serviceName").asText();
        JsonNode headless = r.named("Service", serviceName).orElseThrow(() -> new AssertionError("no Service " + serviceName));
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean())
                .as("pods are unready during every rebalance and must keep their DNS names").isTrue();
        assertSelects(headless.at("/spec/selector"), sts);

        JsonNode c = r.streamsContainer();
        JsonNode podName = Chart.env(c, "POD_NAME").orElseThrow();
        assertThat(podName.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
        JsonNode advertised = Chart.env(c, "TLSMON_HTTP_ADVERTISED_HOST").orElseThrow();
        assertThat(SourceFacts.keyOfEnv("TLSMON_HTTP_ADVERTISED_HOST")).isEqualTo("tlsmon.http.advertised.host");
        assertThat(advertised.path("value").asText())
                .isEqualTo("$(POD_NAME)." + serviceName + "." + Chart.NAMESPACE + ".svc.cluster.local");
        assertThat(Chart.envIndex(c, "POD_NAME")).as("Kubernetes expands $(POD_NAME) only from a variable defined before")
                .isLessThan(Chart.envIndex(c, "TLSMON_HTTP_ADVERTISED_HOST"));

        Properties p = r.properties("tlsmon.properties");
        int port = Integer.parseInt(p.getProperty("tlsmon.http.port"));
        assertThat(containerPort(c, "http")).isEqualTo(port);
        assertThat(headless.at("/spec/ports/0/port").asInt()).isEqualTo(port);
        assertThat(p.getProperty("tlsmon.http.bind")).isNotIn("127.0.0.1", "localhost", "::1");
        assertThat(p).as("application.server is derived by tlsmon from the advertised host and the port")
                .doesNotContainKeys("application.server", "tlsmon.http.advertised.host");
        assertThat(sts.at("/spec/template/spec/enableServiceLinks").asBoolean(true))
                .as("service links would add TLSMON_* variables, which tlsmon reads as settings").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void memoryLimitHoldsHeapRocksDbAndOverhead(ValuesSet set) {
        Rendered r = Chart.render(set);
        JsonNode c = r.streamsContainer();
        JsonNode values = Chart.values(set);
        long heap = xmxBytes(Chart.env(c, "JAVA_TOOL_OPTIONS").orElseThrow().path("value").asText());
        assertThat(Chart.env(c, "JAVA_OPTS").orElseThrow().path("value").asText())
                .isEqualTo(Chart.env(c, "JAVA_TOOL_OPTIONS").orElseThrow().path("value").asText());
        assertThat(heap).isEqualTo(values.at("/memory/heapMiB").asLong() << 20);
        long rocksdb = Long.parseLong(r.properties("tlsmon.properties").getProperty("tlsmon.rocksdb.memory.bytes"));
        assertThat(rocksdb).isEqualTo(values.at("/memory/rocksdbMiB").asLong() << 20);
        long overhead = values.at("/memory/overheadMiB").asLong() << 20;
        long limit = Chart.bytes(c.at("/resources/limits/memory").asText());
        assertThat(limit).as("limit >= heap + RocksDB + overhead").isGreaterThanOrEqualTo(heap + rocksdb + overhead);
        assertThat(Chart.bytes(c.at("/resources/requests/memory").asText())).isLessThanOrEqualTo(limit);
    }

    @Test
    void memoryLimitIsTheSumWhenNotGiven() {
        JsonNode c = Chart.render(ValuesSet.defaults(), Map.of("memory.heapMiB", 1000, "memory.rocksdbMiB", 300, "memory.overheadMiB", 200))
                .streamsContainer();
        assertThat(c.at("/resources/limits/memory").asText()).isEqualTo("1500Mi");
        assertThat(c.at("/resources/requests/memory").asText()).isEqualTo("1500Mi");
        assertThat(Chart.env(c, "JAVA_TOOL_OPTIONS").orElseThrow().path("value").asText()).contains("-Xmx1000m", "-Xms1000m");
    }

    @Test
    void aGivenLimitIsKeptWhenItHoldsTheSumAndRefusedByOneByteLess() {
        Map<String, Object> parts = Map.of("memory.heapMiB", 1024, "memory.rocksdbMiB", 512, "memory.overheadMiB", 512);
        Map<String, Object> exact = new HashMap<>(parts);
        exact.put("resources.limits.memory", "2Gi");
        assertThat(Chart.render(ValuesSet.defaults(), exact).streamsContainer().at("/resources/limits/memory").asText()).isEqualTo("2Gi");
        Map<String, Object> short1 = new HashMap<>(parts);
        short1.put("resources.limits.memory", String.valueOf((2L << 30) - 1));
        assertThatThrownBy(() -> Chart.render(ValuesSet.defaults(), short1))
                .hasMessageContaining("resources.limits.memory")
                .hasMessageContaining("memory.heapMiB 1024 + memory.rocksdbMiB 512 + memory.overheadMiB 512 = 2048Mi");
    }

    @Test
    void theShipperLimitHoldsItsHeapAndOverhead() {
        JsonNode ds = Chart.render(PRODUCTION).one("DaemonSet");
        JsonNode c = Rendered.container(ds, "shipper");
        JsonNode values = Chart.values(PRODUCTION);
        long heap = xmxBytes(Chart.env(c, "JAVA_TOOL_OPTIONS").orElseThrow().path("value").asText());
        assertThat(heap).isEqualTo(values.at("/shipper/heapMiB").asLong() << 20);
        assertThat(Chart.bytes(c.at("/resources/limits/memory").asText()))
                .isGreaterThanOrEqualTo(heap + (values.at("/shipper/overheadMiB").asLong() << 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void probesAskTheHealthEndpointsOnTheApiPort(ValuesSet set) {
        JsonNode c = Chart.render(set).streamsContainer();
        String live = SourceFacts.opsPath("LIVE");
        String ready = SourceFacts.opsPath("READY");
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo(live);
        assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo(live);
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo(ready);
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(c.at("/" + probe + "/httpGet/port").asText()).isEqualTo("http");
            assertThat(c.at("/" + probe + "/httpGet/httpHeaders").isMissingNode())
                    .as("the health endpoints answer without the token; a probe carries no credentials").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void credentialsAreReferencedNeverInlined(ValuesSet set) {
        Rendered r = Chart.render(set);
        for (String file : List.of("tlsmon.properties", "ship.properties")) {
            if (!r.one("ConfigMap").path("data").has(file)) {
                continue;
            }
            for (String key : r.properties(file).stringPropertyNames()) {
                if (!key.endsWith(".file") && !key.endsWith(".location") && !key.endsWith(".credentials.source")) {
                    assertThat(SourceFacts.isSecretKey(key)).as("%s carries %s", file, key).isFalse();
                }
            }
        }
        for (JsonNode workload : workloads(r)) {
            for (JsonNode c : workload.at("/spec/template/spec/containers")) {
                for (JsonNode e : c.path("env")) {
                    String name = e.path("name").asText();
                    if (name.startsWith("TLSMON_") && SourceFacts.isSecretKey(SourceFacts.keyOfEnv(name))) {
                        assertThat(e.has("value")).as("%s has an inline value", name).isFalse();
                        assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).as(name).isNotEmpty();
                    }
                }
            }
        }
        assertThat(SourceFacts.tlsmonConfigHidesAsAssumed()).as("TlsmonConfig.isSecret is still the rule this test copies").isTrue();
        JsonNode values = Chart.values(set);
        JsonNode tokenVolume = volume(r.statefulSet(), "api-token");
        assertThat(tokenVolume.at("/secret/secretName").asText()).isEqualTo(values.at("/http/token/secretName").asText());
        assertThat(r.properties("tlsmon.properties").getProperty("tlsmon.http.token.file"))
                .isEqualTo(mountPath(r.streamsContainer(), "api-token") + "/" + values.at("/http/token/key").asText());
    }

    @Test
    void saslSslTakesEveryCredentialFromItsSecret() {
        Rendered r = Chart.render(PRODUCTION);
        Properties p = r.properties("tlsmon.properties");
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(p.getProperty("basic.auth.credentials.source")).isEqualTo("USER_INFO");
        Map<String, String> expected = Map.of(
                "TLSMON_SASL_JAAS_CONFIG", "tlsmon-kafka-sasl/sasl.jaas.config",
                "TLSMON_SSL_TRUSTSTORE_PASSWORD", "tlsmon-kafka-ca/truststore-password",
                "TLSMON_BASIC_AUTH_USER_INFO", "tlsmon-registry/user-info");
        Map<String, String> keys = Map.of("TLSMON_SASL_JAAS_CONFIG", "sasl.jaas.config",
                "TLSMON_SSL_TRUSTSTORE_PASSWORD", "ssl.truststore.password", "TLSMON_BASIC_AUTH_USER_INFO", "basic.auth.user.info");
        for (JsonNode c : List.of(r.streamsContainer(), Rendered.container(r.one("DaemonSet"), "shipper"))) {
            expected.forEach((variable, ref) -> {
                JsonNode e = Chart.env(c, variable).orElseThrow(() -> new AssertionError(variable + " missing in " + c.path("name")));
                assertThat(e.at("/valueFrom/secretKeyRef/name").asText() + "/" + e.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo(ref);
                assertThat(SourceFacts.keyOfEnv(variable)).isEqualTo(keys.get(variable));
            });
            String truststore = mountPath(c, "kafka-truststore");
            assertThat(truststore).isNotNull();
        }
        assertThat(volume(r.statefulSet(), "kafka-truststore").at("/secret/secretName").asText()).isEqualTo("tlsmon-kafka-ca");
        assertThat(p.getProperty("ssl.truststore.location"))
                .isEqualTo(mountPath(r.streamsContainer(), "kafka-truststore") + "/truststore.p12");
        assertThat(SourceFacts.configLoaderMapsEnvAsAssumed()).as("ConfigLoader still maps TLSMON_* as this test assumes").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void everyTlsmonKeyAndVariableNamesASettingOfTlsmonConfig(ValuesSet set) {
        Rendered r = Chart.render(set);
        Set<String> known = SourceFacts.tlsmonConfigKeys();
        for (String file : List.of("tlsmon.properties", "ship.properties")) {
            if (r.one("ConfigMap").path("data").has(file)) {
                for (String key : r.properties(file).stringPropertyNames()) {
                    if (key.startsWith("tlsmon.")) {
                        assertThat(known).as("%s in %s", key, file).contains(key);
                    }
                }
            }
        }
        for (JsonNode workload : workloads(r)) {
            for (JsonNode c : workload.at("/spec/template/spec/containers")) {
                for (JsonNode e : c.path("env")) {
                    String name = e.path("name").asText();
                    if (name.startsWith("TLSMON_") && SourceFacts.keyOfEnv(name).startsWith("tlsmon.")) {
                        assertThat(known).as(name).contains(SourceFacts.keyOfEnv(name));
                    }
                }
            }
        }
    }

    @Test
    void valuesReachTheirExactKeysAsTheApplicationParsesThem() {
        Properties p = Chart.render(PRODUCTION).properties("tlsmon.properties");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("bootstrap.servers", "kafka-0.kafka.example.com:9093,kafka-1.kafka.example.com:9093,kafka-2.kafka.example.com:9093");
        expected.put("schema.registry.url", "https://schema-registry.example.com");
        expected.put("application.id", "tlsmon-prod");
        expected.put("num.stream.threads", "4");
        expected.put("num.standby.replicas", "2");
        expected.put("processing.guarantee", "exactly_once_v2");
        expected.put("tlsmon.rocksdb.memory.bytes", String.valueOf(1024L << 20));
        expected.put("tlsmon.topic.prefix", "mail.tlsmon.");
        expected.put("tlsmon.topic.partitions", "12");
        expected.put("tlsmon.topic.replication.factor", "3");
        expected.put("tlsmon.topic.output.ecs", "siem.mail-tls.ecs");
        expected.put("tlsmon.output.formats", "ecs,cef");
        expected.put("tlsmon.alert.failure.threshold", "5");
        // Helm reads YAML numbers as floats: these are where 3.6e+06 would appear if printed as such.
        expected.put("tlsmon.alert.failure.window.ms", "3600000");
        expected.put("tlsmon.alert.deprecated.interval.ms", "86400000");
        expected.put("tlsmon.alert.noise.outcomes", "WRONG_PORT_OR_PROTOCOL,CONNECTION_DROPPED");
        expected.put("tlsmon.alertmanager.url", "http://alertmanager.monitoring.svc:9093");
        expected.put("tlsmon.parser.zone", "Europe/Berlin");
        expected.put("tlsmon.history.retention.hours", "2160");
        expected.put("commit.interval.ms", "1000");
        expected.put("state.dir", "/var/lib/tlsmon/state");
        expected.forEach((k, v) -> assertThat(p.getProperty(k)).as(k).isEqualTo(v));
        assertThat(p).as("unset alert values keep tlsmon's defaults").doesNotContainKeys("tlsmon.alert.quiet.period.ms",
                "tlsmon.alert.consecutive.failures");
    }

    @Test
    void theStateDirectoryIsOnThePodsPersistentVolume() {
        Rendered r = Chart.render(PRODUCTION);
        JsonNode sts = r.statefulSet();
        JsonNode claim = sts.at("/spec/volumeClaimTemplates/0");
        assertThat(claim.at("/metadata/name").asText()).isEqualTo("state");
        assertThat(claim.at("/spec/resources/requests/storage").asText()).isEqualTo("50Gi");
        assertThat(claim.at("/spec/storageClassName").asText()).isEqualTo("fast-ssd");
        String mount = mountPath(r.streamsContainer(), "state");
        assertThat(r.properties("tlsmon.properties").getProperty("state.dir")).startsWith(mount + "/");
    }

    @Test
    void aChangedSettingRollsThePods() {
        String before = Chart.render(ValuesSet.defaults()).statefulSet().at("/spec/template/metadata/annotations/checksum~1config").asText();
        String after = Chart.render(ValuesSet.defaults(), Map.of("alerts.failureThreshold", 7))
                .statefulSet().at("/spec/template/metadata/annotations/checksum~1config").asText();
        assertThat(before).isNotEmpty().isNotEqualTo(after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void runsAsNonRootWithAReadOnlyRootFilesystem(ValuesSet set) {
        Rendered r = Chart.render(set);
        for (JsonNode workload : workloads(r)) {
            JsonNode pod = workload.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
            for (JsonNode c : pod.path("containers")) {
                assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
                assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
                assertThat(c.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
                assertThat(mountPath(c, "tmp")).as("java.io.tmpdir, where RocksDB's JNI library is unpacked").isEqualTo("/tmp");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validSets")
    void theContainerRunsTlsmonRunWithTheRenderedSettings(ValuesSet set) {
        Rendered r = Chart.render(set);
        JsonNode c = r.streamsContainer();
        List<String> args = texts(c.path("args"));
        assertThat(args.get(0)).isEqualTo(SourceFacts.commandName("RunCommand"));
        assertThat(SourceFacts.options("RunCommand")).contains("--config");
        int config = args.indexOf("--config");
        assertThat(args.get(config + 1)).isEqualTo(mountPath(c, "config") + "/tlsmon.properties");
        assertThat(c.path("image").asText()).isEqualTo(Chart.values(set).at("/image/repository").asText() + ":"
                + (Chart.values(set).at("/image/tag").asText().isEmpty() ? "0.1.0" : Chart.values(set).at("/image/tag").asText()));
    }

    @Test
    void commandAndArgsCanBeReplaced() {
        JsonNode c = Chart.render(ValuesSet.defaults(), Map.of("command[0]", "/opt/tlsmon/bin/tlsmon", "args[0]", "run",
                "args[1]", "--config", "args[2]", "/custom/tlsmon.properties")).streamsContainer();
        assertThat(texts(c.path("command"))).containsExactly("/opt/tlsmon/bin/tlsmon");
        assertThat(texts(c.path("args"))).containsExactly("run", "--config", "/custom/tlsmon.properties");
    }

    @Test
    void thePodDisruptionBudgetCoversThePods() {
        Rendered r = Chart.render(PRODUCTION);
        JsonNode pdb = r.one("PodDisruptionBudget");
        assertSelects(pdb.at("/spec/selector/matchLabels"), r.statefulSet());
        assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.at("/spec/unhealthyPodEvictionPolicy").asText()).isEqualTo("AlwaysAllow");
        assertThat(Chart.render(ValuesSet.defaults()).one("PodDisruptionBudget").at("/spec/unhealthyPodEvictionPolicy").isMissingNode()).isTrue();
    }

    @Test
    void theServiceMonitorScrapesEveryPodWithTheApiToken() {
        Rendered r = Chart.render(PRODUCTION);
        JsonNode sm = r.one("ServiceMonitor");
        assertThat(sm.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        List<JsonNode> selected = r.ofKind("Service").stream().filter(s -> matches(sm.at("/spec/selector/matchLabels"), s.at("/metadata/labels"))).toList();
        assertThat(selected).as("exactly the headless Service, whose endpoints include unready pods").hasSize(1);
        JsonNode service = selected.get(0);
        assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("None");
        JsonNode endpoint = sm.at("/spec/endpoints/0");
        assertThat(texts(service.at("/spec/ports"), "name")).contains(endpoint.path("port").asText());
        assertThat(endpoint.path("path").asText()).isEqualTo(SourceFacts.opsPath("METRICS"));
        assertThat(endpoint.at("/authorization/credentials/name").asText()).isEqualTo("tlsmon-api");
        assertThat(endpoint.at("/authorization/credentials/key").asText()).isEqualTo("bearer-token");
        assertThat(sm.at("/spec/namespaceSelector/matchNames/0").asText()).isEqualTo(Chart.NAMESPACE);
    }

    @Test
    void theShipperFollowsTheHostsMailLogWithTheShipCommandsOptions() {
        Rendered r = Chart.render(PRODUCTION);
        JsonNode ds = r.one("DaemonSet");
        JsonNode c = Rendered.container(ds, "shipper");
        List<String> args = texts(c.path("args"));
        assertThat(args.get(0)).isEqualTo(SourceFacts.commandName("ShipCommand"));
        Set<String> options = SourceFacts.options("ShipCommand");
        assertThat(args.stream().filter(a -> a.startsWith("--")).toList()).allSatisfy(a -> assertThat(options).contains(a));
        assertThat(after(args, "--source")).isEqualTo("postfix");
        assertThat(args.subList(args.indexOf("--path") + 1, args.indexOf("--path") + 3)).containsExactly("/var/log/mail.log", "/var/log/postfix");
        assertThat(after(args, "--bootstrap-servers")).isEqualTo(Chart.values(PRODUCTION).at("/kafka/bootstrapServers").asText());
        assertThat(after(args, "--host")).isEqualTo("$(NODE_NAME)");
        assertThat(Chart.env(c, "NODE_NAME").orElseThrow().at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("spec.nodeName");
        assertThat(after(args, "--max-open-files")).isEqualTo("64");
        assertThat(after(args, "--config")).isEqualTo(mountPath(c, "config") + "/ship.properties");

        JsonNode logs = volume(ds, "host-logs");
        assertThat(logs.at("/hostPath/path").asText()).isEqualTo("/var/log");
        assertThat(mountPath(c, "host-logs")).isEqualTo("/var/log");
        assertThat(mount(c, "host-logs").path("readOnly").asBoolean()).isTrue();
        assertThat(volume(ds, "checkpoint").at("/hostPath/path").asText()).isEqualTo("/var/lib/tlsmon-shipper");
        assertThat(after(args, "--checkpoint-dir")).isEqualTo(mountPath(c, "checkpoint"));
        assertThat(ds.at("/spec/template/spec/nodeSelector/tlsmon.io~1mail-host").asText()).isEqualTo("true");
        assertThat(ds.at("/spec/template/spec/enableServiceLinks").asBoolean(true)).isFalse();

        Properties ship = r.properties("ship.properties");
        assertThat(ship.getProperty("schema.registry.url")).isEqualTo("https://schema-registry.example.com");
        assertThat(ship.getProperty("tlsmon.topic.prefix")).as("the shipper writes the raw-lines topic the application reads")
                .isEqualTo(r.properties("tlsmon.properties").getProperty("tlsmon.topic.prefix"));
        assertThat(ship.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    }

    @Test
    void noNameOutgrowsADnsLabel() {
        Rendered r = Chart.render(ValuesSet.defaults(), Map.of("fullnameOverride", "x".repeat(70)));
        for (JsonNode d : r.docs()) {
            assertThat(d.at("/metadata/name").asText().length()).as(d.path("kind").asText()).isLessThanOrEqualTo(63);
        }
        assertThat(r.statefulSet().at("/spec/serviceName").asText()).endsWith("-headless");
    }

    /**
     * Value sets that must be refused. Each starts with "# fails with: " and a part of the message
     * that must name the value, continued on comment lines indented by three spaces.
     */
    static Stream<Path> invalidSets() throws IOException {
        return Files.list(Chart.INVALID_VALUES).filter(f -> f.toString().endsWith(".yaml")).sorted();
    }

    static String expectedFailure(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Matcher m = Pattern.compile("^# fails with: (.+)$").matcher(lines.get(0));
        assertThat(m.matches()).as("%s starts with '# fails with: <part of the message>'", file).isTrue();
        StringBuilder expected = new StringBuilder(m.group(1));
        for (String line : lines.subList(1, lines.size())) {
            if (!line.startsWith("#   ")) {
                break;
            }
            expected.append(' ').append(line.substring(4));
        }
        return expected.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSets")
    void refusedValuesFailNamingTheValue(Path file) throws IOException {
        String expected = expectedFailure(file);
        assertThatThrownBy(() -> Chart.renderText(ValuesSet.of(file), Map.of()))
                .as(file.getFileName().toString())
                .hasMessageContaining(expected);
    }

    @Test
    void aRefusedCredentialIsNotRepeatedInTheMessage() {
        Path file = Chart.INVALID_VALUES.resolve("inline-jaas.yaml");
        assertThatThrownBy(() -> Chart.renderText(ValuesSet.of(file), Map.of()))
                .hasMessageContaining("config.sasl.jaas.config")
                .hasMessageNotContaining("s3cr3t-do-not-print");
    }

    private static List<JsonNode> workloads(Rendered r) {
        List<JsonNode> w = new ArrayList<>(r.ofKind("StatefulSet"));
        w.addAll(r.ofKind("DaemonSet"));
        return w;
    }

    private static void assertSelects(JsonNode selector, JsonNode workload) {
        assertThat(selector.size()).isPositive();
        assertThat(matches(selector, workload.at("/spec/template/metadata/labels")))
                .as("selector %s matches the pods of %s", selector, workload.at("/metadata/name").asText()).isTrue();
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.size() == 0) {
            return false;
        }
        Set<String> missing = new HashSet<>();
        selector.properties().forEach(e -> {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                missing.add(e.getKey());
            }
        });
        return missing.isEmpty();
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (name.equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port " + name);
    }

    private static JsonNode volume(JsonNode workload, String name) {
        for (JsonNode v : workload.at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static JsonNode mount(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (volume.equals(m.path("name").asText())) {
                return m;
            }
        }
        throw new AssertionError("no mount of " + volume + " in " + container.path("name").asText());
    }

    private static String mountPath(JsonNode container, String volume) {
        return mount(container, volume).path("mountPath").asText();
    }

    private static long xmxBytes(String javaOpts) {
        Matcher m = Pattern.compile("-Xmx([0-9]+)m\\b").matcher(javaOpts);
        assertThat(m.find()).as("-Xmx in %s", javaOpts).isTrue();
        long heap = Long.parseLong(m.group(1)) << 20;
        assertThat(m.find()).as("one -Xmx only in %s", javaOpts).isFalse();
        return heap;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static String after(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as("%s in %s", option, args).isNotNegative();
        return args.get(i + 1);
    }
}
