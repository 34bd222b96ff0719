package io.tlsmon.it.chaos;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * One KRaft node (broker and controller) of the campaign's three-node cluster, in a process of its
 * own so that the campaign can SIGKILL, SIGSTOP and restart it like a real broker.
 *
 * <p>Args: {@code server.properties clusterId}. The log dir is formatted on the first start only: a
 * node restarted after a kill must come back with the data it had, as a real broker does.
 */
public final class BrokerNode {
    private BrokerNode() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[0]);
        String clusterId = args[1];
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            props.load(in);
        }
        Path logDir = Path.of(props.getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc;
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                // static voters (controller.quorum.voters): no --standalone and no --initial-controllers
                rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()}, ps);
            }
            if (rc != 0) {
                System.err.println("format failed: " + out.toString(StandardCharsets.UTF_8));
                System.exit(3);
            }
        }
        KafkaRaftServer server = startWithRetries(props);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            stopped.countDown();
        }, "broker-stop"));
        System.out.println("broker node " + props.getProperty("node.id") + " started");
        stopped.await();
    }

    /** A port held by the node killed a moment ago can take a little while to be free again. */
    private static KafkaRaftServer startWithRetries(Properties props) throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            try {
                s.startup();
                return s;
            } catch (RuntimeException e) {
                last = e;
                try {
                    s.shutdown();
                    s.awaitShutdown();
                } catch (RuntimeException ignored) {
                    // discarded either way
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("broker did not start", last);
    }

    /** The server.properties of node {@code id} (1..3) of a cluster on the given loopback ports. */
    static Properties properties(int id, int[] brokerPorts, int[] controllerPorts, Path logDir) {
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < controllerPorts.length; i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@127.0.0.1:").append(controllerPorts[i]);
        }
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(id));
        p.setProperty("controller.quorum.voters", voters.toString());
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[id - 1] + ",CONTROLLER://127.0.0.1:" + controllerPorts[id - 1]);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[id - 1]);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        // what the issue asks of the cluster: every topic on all three, a write needs two of them
        p.setProperty("default.replication.factor", "3");
        p.setProperty("min.insync.replicas", "2");
        p.setProperty("offsets.topic.replication.factor", "3");
        p.setProperty("transaction.state.log.replication.factor", "3");
        p.setProperty("transaction.state.log.min.isr", "2");
        p.setProperty("share.coordinator.state.topic.replication.factor", "3");
        p.setProperty("share.coordinator.state.topic.min.isr", "2");
        p.setProperty("unclean.leader.election.enable", "false");
        p.setProperty("num.partitions", "1");
        // fewer coordinator partitions than the 50 defaults: three small JVMs on two cores
        p.setProperty("offsets.topic.num.partitions", "6");
        p.setProperty("transaction.state.log.num.partitions", "6");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // a follower that stopped fetching leaves the ISR in 10 s rather than 30, so writes go on sooner
        p.setProperty("replica.lag.time.max.ms", "10000");
        p.setProperty("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.setProperty("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "4");
        p.setProperty("num.replica.fetchers", "1");
        p.setProperty("background.threads", "4");
        return p;
    }
}
