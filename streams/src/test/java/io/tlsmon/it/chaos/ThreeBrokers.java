package io.tlsmon.it.chaos;

import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Three KRaft nodes as separate processes on loopback ports, each with its own log dir. */
final class ThreeBrokers implements AutoCloseable {
    /** What {@link BrokerNode} prints once its server is up (registered with the quorum and unfenced). */
    private static final Pattern STARTED = Pattern.compile("broker node \\d+ started");
    final List<Child> nodes = new ArrayList<>();
    private final String bootstrap;

    ThreeBrokers(Path dir, JavaCommand java) {
        int[] ports = EmbeddedKafkaBroker.freePorts(6);
        int[] brokerPorts = {ports[0], ports[1], ports[2]};
        int[] controllerPorts = {ports[3], ports[4], ports[5]};
        String clusterId = Uuid.randomUuid().toString();
        StringBuilder b = new StringBuilder();
        for (int id = 1; id <= 3; id++) {
            Path nodeDir = dir.resolve("broker-" + id);
            Path config = nodeDir.resolve("server.properties");
            try {
                Files.createDirectories(nodeDir);
                try (OutputStream out = Files.newOutputStream(config)) {
                    BrokerNode.properties(id, brokerPorts, controllerPorts, nodeDir.resolve("data")).store(out, "chaos broker " + id);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            nodes.add(new Child("broker-" + id, Child.Kind.BROKER,
                    () -> java.command(List.of("-Xmx400m", "-Xms128m"), BrokerNode.class.getName(), config.toString(), clusterId),
                    dir.resolve("broker-" + id + ".log"), STARTED));
            b.append(id == 1 ? "" : ",").append("127.0.0.1:").append(brokerPorts[id - 1]);
        }
        this.bootstrap = b.toString();
    }

    String bootstrapServers() {
        return bootstrap;
    }

    void startAll() {
        nodes.forEach(Child::start);
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(p);
    }

    /** Waits until all three brokers are registered and unfenced. */
    void awaitAllUp(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (Admin admin = admin()) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 3) {
                        return;
                    }
                } catch (Exception e) {
                    // not yet
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the three brokers did not come up within " + timeoutMs + " ms");
    }

    /**
     * Null when every partition of every topic (the coordinators' internal ones too) has a leader and
     * all three replicas in sync, the cluster whole again after a broker came back; else what is not.
     */
    static String notFullyReplicated(Admin admin) {
        try {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
            Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            for (TopicDescription t : d.values()) {
                for (TopicPartitionInfo p : t.partitions()) {
                    if (p.isr().size() < 3 || p.leader() == null) {
                        return t.name() + "-" + p.partition() + " leader " + p.leader() + " isr " + p.isr();
                    }
                }
            }
            int nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
            return nodes == 3 ? null : nodes + " brokers registered";
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        nodes.forEach(n -> n.stop(20));
    }
}
