package io.tlsmon.cli;

import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code tlsmon run}: the topology against a cluster, or against the embedded broker when none is given. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the tlsmon Kafka Streams application until stopped (Ctrl-C / SIGTERM).",
                "Settings: --config FILE (Java properties: tlsmon.*, Kafka Streams, client security such as",
                "security.protocol, sasl.*, ssl.*, and schema.registry.url), then TLSMON_* environment variables",
                "(TLSMON_SASL_JAAS_CONFIG -> sasl.jaas.config), then these flags. Secrets are never printed.",
                "Without --bootstrap-servers (and none in the settings) it starts an in-process Kafka broker."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "the Kafka cluster")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file of settings")
    Path config;

    @Option(names = "--application-id", paramLabel = "ID", description = "Kafka Streams application id (default tlsmon); replays use their own")
    String applicationId;

    @Option(names = "--exactly-once", description = "processing.guarantee=exactly_once_v2 (default: at_least_once)")
    boolean exactlyOnce;

    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            flags.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        if (applicationId != null) {
            flags.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        if (exactlyOnce) {
            flags.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        }
        Map<String, Object> settings;
        try {
            settings = ConfigLoader.load(config, System.getenv(), flags);
        } catch (ConfigException e) {
            err.println("tlsmon run: " + e.getMessage());
            return 2;
        }
        EmbeddedKafkaBroker broker = null;
        if (!settings.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            err.println("tlsmon run: no --bootstrap-servers: starting the embedded Kafka broker (data is lost on exit)");
            broker = EmbeddedKafkaBroker.start();
            settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        }
        StreamsRuntime runtime;
        try {
            runtime = new StreamsRuntime(settings);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("tlsmon run: bad setting: " + e.getMessage());
            if (broker != null) {
                broker.close();
            }
            return 2;
        }
        err.println("tlsmon run: settings\n" + TlsmonConfig.describe(settings));
        StreamsRuntime.createTopics(settings, runtime.topics.externalNames(),
                runtime.config.getInt(TlsmonConfig.TOPIC_PARTITIONS_CONFIG), runtime.config.getShort(TlsmonConfig.TOPIC_REPLICATION_CONFIG));
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafkaBroker ownedBroker = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            if (ownedBroker != null) {
                ownedBroker.close();
            }
            stopped.countDown();
        }, "tlsmon-shutdown"));
        runtime.start();
        err.printf("tlsmon run: reading %s and %s, writing %s, %s and %s on %s%n", runtime.topics.rawLines().name(),
                runtime.topics.shippedLines().name(), runtime.topics.attempts().name(), runtime.topics.alerts().name(),
                runtime.topics.deadLetters().name(), settings.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        stopped.await();
        return 0;
    }
}
