package io.tlsmon.it;

import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The one place integration tests get a real Kafka broker from, in this order: the cluster named by
 * {@code KAFKA_BOOTSTRAP_SERVERS}; a Testcontainers Kafka where a Docker daemon runs; else the
 * in-process KRaft broker (the embedded default of {@code tlsmon run} and {@code tlsmon demo}).
 */
final class KafkaCluster implements AutoCloseable {
    private final String bootstrapServers;
    private final String kind;
    private final EmbeddedKafkaBroker embedded;
    private final KafkaContainer container;

    private KafkaCluster(String bootstrapServers, String kind, EmbeddedKafkaBroker embedded, KafkaContainer container) {
        this.bootstrapServers = bootstrapServers;
        this.kind = kind;
        this.embedded = embedded;
        this.container = container;
    }

    static KafkaCluster start() {
        String given = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (given != null && !given.isBlank()) {
            return new KafkaCluster(given, "external (KAFKA_BOOTSTRAP_SERVERS)", null, null);
        }
        if (dockerAvailable()) {
            KafkaContainer c = new KafkaContainer("apache/kafka:4.1.0");
            c.start();
            return new KafkaCluster(c.getBootstrapServers(), "Testcontainers " + c.getDockerImageName(), null, c);
        }
        EmbeddedKafkaBroker b = EmbeddedKafkaBroker.start();
        return new KafkaCluster(b.bootstrapServers(), "in-process KRaft broker", b, null);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String kind() {
        return kind;
    }

    /** Whether {@link #stopBroker()} can take the whole cluster away: only the in-process broker can. */
    boolean canStop() {
        return embedded != null;
    }

    /** Stops the whole cluster (the one broker, also the controller), keeping its ports and log dirs. */
    void stopBroker() {
        embedded.stopBroker();
    }

    /** Starts it again on the same ports and log dirs. */
    void restartBroker() {
        embedded.restart();
    }

    void createTopics(int partitions, String... names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(Arrays.stream(names).map(n -> new NewTopic(n, partitions, (short) 1)
                    .configs(io.tlsmon.topology.Topics.topicConfigs())).toList()).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + Arrays.toString(names), e.getCause());
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
        if (container != null) {
            container.stop();
        }
    }
}
