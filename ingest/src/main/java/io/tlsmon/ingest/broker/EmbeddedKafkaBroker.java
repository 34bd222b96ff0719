package io.tlsmon.ingest.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) running inside this JVM, on free
 * loopback ports, with its data in a temporary folder that {@link #close()} removes.
 *
 * <p>Used as the embedded default of {@code ./tlsmon} and by the integration tests. The broker can
 * be stopped and started again on the same ports and data ({@link #stopBroker()}, {@link #restart()})
 * so that a test can show what clients do while the broker is away.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
 *     broker.createTopics(3, "tlsmon.raw");
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Properties serverProps;
    /** The port of the extra listener of {@link #startWithListener}, or -1. */
    private final int extraPort;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
        this(dataDir, port, controllerPort, null, null, -1, overrides);
    }

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, String extraName, String extraProtocol, int extraPort,
                                Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.extraPort = extraPort;
        this.serverProps = serverProperties(dataDir.resolve("logs"), port, controllerPort);
        if (extraName != null) {
            String listener = "," + extraName + "://127.0.0.1:" + extraPort;
            serverProps.setProperty("listeners", serverProps.getProperty("listeners") + listener);
            serverProps.setProperty("advertised.listeners", serverProps.getProperty("advertised.listeners") + listener);
            serverProps.setProperty("listener.security.protocol.map",
                    serverProps.getProperty("listener.security.protocol.map") + "," + extraName + ":" + extraProtocol);
        }
        overrides.forEach(serverProps::setProperty);
    }

    /** Formats a fresh log dir and starts a broker on free loopback ports. */
    public static EmbeddedKafkaBroker start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with broker properties added or replaced (e.g. {@code num.partitions}). */
    public static EmbeddedKafkaBroker start(Map<String, String> brokerOverrides) {
        int[] ports = freePorts(2);
        return launch(new EmbeddedKafkaBroker(dataDir(), ports[0], ports[1], brokerOverrides));
    }

    private static Path dataDir() {
        try {
            return Files.createTempDirectory("tlsmon-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data folder", e);
        }
    }

    private static EmbeddedKafkaBroker launch(EmbeddedKafkaBroker broker) {
        try {
            broker.format();
            broker.startServer();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /**
     * As {@link #start(Map)}, with one more listener, {@code name} of security protocol {@code protocol}
     * (SASL_SSL, SSL) on a free port of its own, for the clients under test; the PLAINTEXT listener
     * stays for the broker itself and for a test's own set-up (its principal is ANONYMOUS: make it a
     * super user when an authorizer is on). The listener's own settings (keystore, SASL mechanisms and
     * their JAAS) come in {@code brokerOverrides}.
     */
    public static EmbeddedKafkaBroker startWithListener(String name, String protocol, Map<String, String> brokerOverrides) {
        int[] ports = freePorts(3);
        return launch(new EmbeddedKafkaBroker(dataDir(), ports[0], ports[1], name, protocol, ports[2], brokerOverrides));
    }

    /** {@code 127.0.0.1:<port>} of the listener {@link #startWithListener} added. */
    public String listenerBootstrapServers() {
        if (extraPort < 0) {
            throw new IllegalStateException("this broker has no listener but PLAINTEXT: start it with startWithListener");
        }
        return "127.0.0.1:" + extraPort;
    }

    /** {@code 127.0.0.1:<port>}, stable across {@link #stopBroker()} and {@link #restart()}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return server != null;
    }

    /** Creates the topics (replication 1) if they do not exist yet, and waits until they do. */
    public void createTopics(int partitions, String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String t : topics) {
            newTopics.add(new NewTopic(t, partitions, (short) 1));
        }
        try (Admin admin = admin()) {
            for (NewTopic t : newTopics) {
                try {
                    admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topics", e);
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** Stops the broker but keeps its ports and data, so that {@link #restart()} brings it back as it was. */
    public synchronized void stopBroker() {
        if (server != null) {
            KafkaRaftServer s = server;
            server = null;
            s.shutdown();
            s.awaitShutdown();
        }
    }

    /** Starts the broker again on the same ports and data after {@link #stopBroker()}. */
    public synchronized void restart() {
        stopBroker();
        startServer();
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        try {
            stopBroker();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private synchronized void startServer() {
        // A port freed by stopBroker() can take a moment to be bindable again; retry a few times.
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(serverProps, false), Time.SYSTEM);
            try {
                s.startup();
                server = s;
                LOG.debug("embedded Kafka broker up at {} (data in {})", bootstrapServers(), dataDir);
                return;
            } catch (RuntimeException e) {
                last = e;
                try {
                    s.shutdown();
                    s.awaitShutdown();
                } catch (RuntimeException ignored) {
                    // the half-started server is discarded either way
                }
                sleep(250);
            }
        }
        throw new IllegalStateException("embedded Kafka broker did not start on " + bootstrapServers(), last);
    }

    private void format() {
        Path config = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            serverProps.store(out, "tlsmon embedded broker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "--standalone", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting the broker storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // small segments and indexes: a test broker should not pre-allocate hundreds of MB
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.setProperty("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        return p;
    }

    /** {@code n} distinct loopback ports free now (bound together, then released). */
    public static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing a probe socket
                    }
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
