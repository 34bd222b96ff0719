package io.tlsmon.cli;

import io.tlsmon.http.HttpApi;
import io.tlsmon.http.InstanceApi;
import io.tlsmon.ops.AlertmanagerNotifier;
import io.tlsmon.ops.OpsEndpoints;
import io.tlsmon.schemas.registry.SchemaRegistryException;
import io.tlsmon.topology.RegistryProbe;
import io.tlsmon.topology.StreamsWatch;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.TlsmonTopology;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** Starts the topology against a cluster: validates the settings, creates missing topics, runs Kafka Streams. */
final class StreamsRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsRuntime.class);

    final TlsmonConfig config;
    final Topics topics;
    final KafkaStreams streams;
    final RegistryProbe registry;
    /** The HTTP API, null when tlsmon.http.port is -1. */
    final HttpApi http;
    private final StreamsWatch watch;
    private AlertmanagerNotifier notifier;

    /**
     * @throws ConfigException naming the setting, for any bad tlsmon or Kafka Streams value
     */
    StreamsRuntime(Map<String, Object> settings) {
        this.config = new TlsmonConfig(settings);
        Properties props = config.streamsProperties();
        new StreamsConfig(props); // validates every Kafka Streams and client value now, naming a bad one
        StreamsBuilder builder = new StreamsBuilder();
        this.topics = TlsmonTopology.build(builder, config);
        this.http = InstanceApi.bind(config, props).orElse(null);
        Topology topology = builder.build(props);
        try {
            this.streams = new KafkaStreams(topology, props);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            throw e;
        }
        if (http != null) {
            OpsEndpoints.mount(http::mount, http::mountOpen, streams);
            InstanceApi.serve(http, streams, topology, props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        }
        this.registry = RegistryProbe.of(config);
        this.watch = StreamsWatch.attach(streams, config, registry);
    }

    /**
     * Before processing: waits until the schema registry answers, saying so on {@code err} with its
     * URLs at every try (growing pauses, {@code tlsmon.registry.retry.backoff.*}). Returns false, after
     * saying why, when the registry answers but refuses (credentials, a wrong URL) or when the
     * instance is closed meanwhile.
     */
    boolean awaitRegistry(PrintStream err) {
        SchemaRegistryException refusal = registry.awaitAtStart(m -> err.println("tlsmon run: " + m));
        if (refusal != null) {
            err.println("tlsmon run: schema registry " + registry.where() + " refuses: " + refusal.getMessage()
                    + "; check schema.registry.url and its basic.auth.*/bearer.auth.* credentials");
            return false;
        }
        return !registry.isClosed();
    }

    /** Creates the topics that do not exist yet; internal topics are Kafka Streams' to create. */
    static void createTopics(Map<String, Object> clientSettings, List<String> names, int partitions, short replication) {
        Map<String, Object> admin = new HashMap<>();
        clientSettings.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                admin.put(k, v);
            }
        });
        try (Admin a = Admin.create(admin)) {
            Set<String> existing = a.listTopics().names().get();
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, Optional.of(partitions), replication < 0 ? Optional.empty() : Optional.of(replication))
                            .configs(Topics.topicConfigs()))
                    .toList();
            if (!missing.isEmpty()) {
                a.createTopics(missing).all().get();
                LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics " + names + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    void start() {
        streams.start();
        watch.start();
        notifier = AlertmanagerNotifier.start(config, topics).orElse(null);
    }

    boolean awaitRunning(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public void close() {
        registry.close(); // ends a wait for the registry, at start or on a failed thread
        watch.close();
        if (notifier != null) {
            notifier.close();
        }
        if (http != null) {
            http.close();
        }
        // leave the group at once: the other instances take over the partitions without waiting for a session timeout
        streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
    }
}
