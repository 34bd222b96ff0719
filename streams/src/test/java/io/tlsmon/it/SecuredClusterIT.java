package io.tlsmon.it;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.cli.ClassifyCommandRunner;
import io.tlsmon.ingest.broker.ClientSecurity;
import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.schemas.registry.FakeConfluentRegistryServer;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tlsmon against a secured cluster, as the large tenants run it: a broker whose client listener is
 * SASL_SSL (SCRAM-SHA-512 over TLS, its certificate made here with the JDK's keytool) with ACLs
 * (StandardAuthorizer, nothing allowed unless granted). {@code tlsmon run}, {@code replay} and
 * {@code ship}, each in its own JVM with the one properties file the README documents, process the
 * demo logs and give the attempts {@code tlsmon classify} finds in them; a wrong password, no
 * credentials at all and a user without ACLs are refused, and what tlsmon prints names the cause.
 */
class SecuredClusterIT {
    private static final String PASSWORD = "tlsmon-secret-0123";
    private static final String STORE_PASSWORD = "store-secret-0123";
    private static final String PREFIX = "sec.";
    private static final String APP = "tlsmon-sec";
    /** What the child JVMs printed, kept for a failure's post-mortem. */
    private static final Path LOGS = Path.of("target", "secured-cluster");

    @Test
    void runShipAndReplayWorkOverSaslSslWithAclsAndBadCredentialsAreRefusedSayingWhy(@TempDir Path dir) throws Exception {
        Files.createDirectories(LOGS);
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Path keystore = tls.resolve("broker.p12");
        Path truststore = tls.resolve("truststore.p12");
        makeCertificates(keystore, truststore);

        Map<String, String> broker = new LinkedHashMap<>();
        broker.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        broker.put("listener.name.clients.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        broker.put("listener.name.clients.ssl.keystore.location", keystore.toString());
        broker.put("listener.name.clients.ssl.keystore.password", STORE_PASSWORD);
        broker.put("listener.name.clients.ssl.keystore.type", "PKCS12");
        broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the broker's own PLAINTEXT and controller listeners (ANONYMOUS), and the test's set-up through them
        broker.put("super.users", "User:ANONYMOUS");
        broker.put("allow.everyone.if.no.acl.found", "false");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.startWithListener("CLIENTS", "SASL_SSL", broker);
             FakeConfluentRegistryServer registry = FakeConfluentRegistryServer.start()) {
            try (Admin admin = kafka.admin()) {
                admin.alterUserScramCredentials(List.of(
                        new UserScramCredentialUpsertion("tlsmon", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD),
                        new UserScramCredentialUpsertion("nobody", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD)))
                        .all().get(30, TimeUnit.SECONDS);
                admin.createAcls(tlsmonAcls("User:tlsmon")).all().get(30, TimeUnit.SECONDS);
            }
            Path logs = demoLogs(dir.resolve("logs"));

            Map<String, String> client = new LinkedHashMap<>();
            client.put("bootstrap.servers", kafka.listenerBootstrapServers());
            client.put("security.protocol", "SASL_SSL");
            client.put("sasl.mechanism", "SCRAM-SHA-512");
            client.put("sasl.jaas.config", jaas("tlsmon", PASSWORD));
            client.put("ssl.truststore.location", truststore.toString());
            client.put("ssl.truststore.type", "PKCS12");
            client.put("ssl.truststore.password", STORE_PASSWORD);
            client.put("schema.registry.url", registry.url());
            client.put(TlsmonConfig.TOPIC_PREFIX_CONFIG, PREFIX);
            Path clientFile = properties(dir.resolve("client.properties"), client);

            Map<String, String> run = new LinkedHashMap<>(client);
            run.put("application.id", APP);
            run.put("state.dir", dir.resolve("state").toString());
            run.put("commit.interval.ms", "200");
            run.put(TlsmonConfig.TOPIC_PARTITIONS_CONFIG, "2");
            run.put(TlsmonConfig.HTTP_PORT_CONFIG, "-1");
            // the demo logs end mid-session: their last sessions close once their streams are quiet
            run.put(TlsmonConfig.SESSION_QUIET_CLOSE_MS_CONFIG, "2000");
            run.put(TlsmonConfig.SESSION_PUNCTUATE_MS_CONFIG, "500");
            Path runFile = properties(dir.resolve("run.properties"), run);

            // refused, saying why, before anything is processed
            Map<String, String> wrong = new LinkedHashMap<>(run);
            wrong.put("sasl.jaas.config", jaas("tlsmon", "not-the-password"));
            Result badPassword = tlsmon(LOGS.resolve("run-wrong-password.log"), Duration.ofSeconds(90), "run", "--config",
                    properties(dir.resolve("wrong.properties"), wrong).toString());
            assertThat(badPassword.exit()).as(badPassword.output()).isEqualTo(1);
            assertThat(badPassword.output()).contains("tlsmon run: ").contains("Authentication failed").contains("invalid credentials")
                    .contains("SCRAM-SHA-512").doesNotContain("not-the-password");

            Map<String, String> anonymous = new LinkedHashMap<>(client);
            anonymous.remove("sasl.jaas.config");
            Result noCredentials = tlsmon(LOGS.resolve("replay-anonymous.log"), Duration.ofSeconds(90), "replay", "--config",
                    properties(dir.resolve("anonymous.properties"), anonymous).toString(), "--bootstrap-servers",
                    kafka.listenerBootstrapServers(), "--topic-prefix", PREFIX, "--path", "ex01=" + logs.resolve("exchange"));
            assertThat(noCredentials.exit()).as(noCredentials.output()).isEqualTo(2);
            assertThat(noCredentials.output()).contains("sasl.jaas.config");

            Map<String, String> stranger = new LinkedHashMap<>(client);
            stranger.put("sasl.jaas.config", jaas("nobody", PASSWORD));
            Result noAcls = tlsmon(LOGS.resolve("replay-no-acls.log"), Duration.ofSeconds(120), "replay", "--config",
                    properties(dir.resolve("stranger.properties"), stranger).toString(), "--bootstrap-servers",
                    kafka.listenerBootstrapServers(), "--topic-prefix", PREFIX, "--path", "ex01=" + logs.resolve("exchange"));
            assertThat(noAcls.exit()).as(noAcls.output()).isEqualTo(1);
            assertThat(noAcls.output()).contains("Not authorized to access topics").contains(PREFIX + "raw-lines");

            // the real thing: run, then replay the Exchange logs and ship the Postfix log into it
            Process streams = StreamsHarness.runChild(runFile, LOGS.resolve("run.log"));
            try {
                awaitLine(LOGS.resolve("run.log"), "tlsmon run: reading", Duration.ofSeconds(120), streams);
                Result replay = tlsmon(LOGS.resolve("replay.log"), Duration.ofSeconds(120), "replay", "--config", clientFile.toString(),
                        "--bootstrap-servers", kafka.listenerBootstrapServers(), "--topic-prefix", PREFIX,
                        "--path", "ex01=" + logs.resolve("exchange"));
                assertThat(replay.exit()).as(replay.output()).isZero();
                Process ship = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.tlsmon.cli.Main",
                        "ship", "--config", clientFile.toString(), "--bootstrap-servers", kafka.listenerBootstrapServers(),
                        "--source", "postfix", "--host", "mx2", "--path", logs.resolve("postfix").toString(),
                        "--checkpoint-dir", dir.resolve("ship").toString())
                        .redirectErrorStream(true).redirectOutput(LOGS.resolve("ship.log").toFile()).start();
                try {
                    TlsmonConfig config = new TlsmonConfig(new HashMap<>(Map.of(TlsmonConfig.TOPIC_PREFIX_CONFIG, PREFIX,
                            TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url())));
                    Topics topics = Topics.of(config);
                    int expected = ClassifyCommandRunner.attempts(logs);
                    assertThat(expected).isGreaterThan(20);
                    List<NegotiationAttempt> attempts = awaitAttempts(client, topics, expected, Duration.ofSeconds(120));
                    assertThat(attempts).as("the attempts tlsmon classify finds in the demo logs (ship: %s)",
                            Files.readString(LOGS.resolve("ship.log"))).hasSize(expected);
                    assertThat(attempts).extracting(NegotiationAttempt::getServer).contains("ex01", "mx2");
                    assertThat(Files.readString(LOGS.resolve("run.log"))).doesNotContain(PASSWORD).doesNotContain(STORE_PASSWORD);
                } finally {
                    ship.destroy();
                    ship.waitFor(30, TimeUnit.SECONDS);
                }
                assertThat(Files.readString(LOGS.resolve("ship.log"))).doesNotContain(PASSWORD);
            } finally {
                streams.destroy();
                streams.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    /** What the README grants the tlsmon user: its topics, its application's internal topics, group and transactions. */
    private static List<AclBinding> tlsmonAcls(String principal) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topicPrefix : List.of(PREFIX, APP)) {
            acls.add(allow(principal, ResourceType.TOPIC, topicPrefix, AclOperation.ALL));
        }
        acls.add(allow(principal, ResourceType.GROUP, APP, AclOperation.ALL));
        // transactional ids: exactly-once Streams tasks (the application id) and the shippers (tlsmon-<host>-<source>)
        acls.add(allow(principal, ResourceType.TRANSACTIONAL_ID, "tlsmon", AclOperation.ALL));
        acls.add(new AclBinding(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                new AccessControlEntry(principal, "*", AclOperation.IDEMPOTENT_WRITE, AclPermissionType.ALLOW)));
        return acls;
    }

    private static AclBinding allow(String principal, ResourceType type, String prefix, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, prefix, PatternType.PREFIXED),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** A self-signed broker certificate for 127.0.0.1 and a truststore holding it, by the JDK's keytool. */
    private static void makeCertificates(Path keystore, Path truststore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path cert = keystore.resolveSibling("broker.crt");
        keytool(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool(keytool, "-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-rfc", "-file", cert.toString());
        keytool(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-keystore", truststore.toString(),
                "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
    }

    private static void keytool(Path keytool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], out).isZero();
    }

    /** The demo's bundled logs, laid out as on the servers: an Exchange log folder and a Postfix mail.log. */
    private static Path demoLogs(Path dir) throws IOException {
        Map<String, String> files = Map.of("exchange/SmtpReceive/RECV2025030308-1.LOG", "/demo/RECV2025030308-1.LOG",
                "exchange/SmtpSend/SEND2025030308-1.LOG", "/demo/SEND2025030308-1.LOG", "postfix/mail.log", "/demo/mx2-mail.log");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = dir.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            try (InputStream in = SecuredClusterIT.class.getResourceAsStream(f.getValue())) {
                assertThat(in).as(f.getValue()).isNotNull();
                Files.copy(in, target);
            }
        }
        return dir;
    }

    private static Path properties(Path file, Map<String, String> settings) throws IOException {
        // java.util.Properties escapes what it must; the JAAS line's quotes are kept as they are
        java.util.Properties p = new java.util.Properties();
        p.putAll(settings);
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "tlsmon client settings");
        }
        return file;
    }

    private record Result(int exit, String output) {
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code tlsmon ARGS} in a child JVM, as a user runs it; its output (both streams) and exit status. */
    private static Result tlsmon(Path log, Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.tlsmon.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tlsmon " + args[0] + " did not end within " + timeout + ": " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static void awaitLine(Path log, String text, Duration timeout, Process p) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("tlsmon ended (" + p.exitValue() + "): " + Files.readString(log));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no '" + text + "' within " + timeout + ": " + Files.readString(log));
    }

    /** The committed attempts, read over SASL_SSL as the tlsmon user, once {@code expected} are there (or the time is up). */
    private static List<NegotiationAttempt> awaitAttempts(Map<String, String> client, Topics topics, int expected, Duration timeout) {
        Map<String, Object> c = new HashMap<>();
        client.forEach((k, v) -> {
            if (ClientSecurity.isSecuritySetting(k) || k.equals("bootstrap.servers")) {
                c.put(k, v);
            }
        });
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.GROUP_ID_CONFIG, APP + "-test-reader");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<NegotiationAttempt> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.attempts().name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    out.add(topics.attempts().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    quietSince = System.nanoTime();
                }
                // all there and nothing more for a while: a duplicate would have come by now
                if (out.size() >= expected && System.nanoTime() - quietSince > Duration.ofSeconds(5).toNanos()) {
                    break;
                }
            }
        }
        return out;
    }
}
