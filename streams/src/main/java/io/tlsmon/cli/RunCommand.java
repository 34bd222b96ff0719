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

    @Option(names = "--http-port", paramLabel = "PORT", description = "port of the HTTP API (tlsmon.http.port; default 8080, -1: none, 0: any free port)")
    Integer httpPort;

    @Option(names = "--http-bind", paramLabel = "ADDRESS", description = "address of the HTTP API (tlsmon.http.bind; default 127.0.0.1; any other needs tlsmon.http.token)")
    String httpBind;

    private final PrintStream err;

    public RunCommand() {
        this(System.err);
    }

    RunCommand(PrintStream err) {
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            flags.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        if (applicationId != null) {
            flags.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        if (httpPort != null) {
            flags.put(TlsmonConfig.HTTP_PORT_CONFIG, httpPort);
        }
        if (httpBind != null) {
            flags.put(TlsmonConfig.HTTP_BIND_CONFIG, httpBind);
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
        if (settings.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            try {
                ConfigLoader.requireSharedRegistry(settings);
            } catch (ConfigException e) {
                err.println("tlsmon run: " + e.getMessage());
                return 2;
            }
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
        } catch (ConfigException | IllegalArgumentException | java.io.UncheckedIOException e) {
            err.println("tlsmon run: bad setting: " + e.getMessage());
            if (broker != null) {
                broker.close();
            }
            return 2;
        }
        err.println("tlsmon run: settings\n" + TlsmonConfig.describe(settings));
        try {
            StreamsRuntime.createTopics(settings, runtime.topics.externalNames(),
                    runtime.config.getInt(TlsmonConfig.TOPIC_PARTITIONS_CONFIG), runtime.config.getShort(TlsmonConfig.TOPIC_REPLICATION_CONFIG));
        } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
            // a refused login or a missing ACL: say which, not a stack trace
            err.println("tlsmon run: " + e.getMessage());
            runtime.close();
            if (broker != null) {
                broker.close();
            }
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafkaBroker ownedBroker = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            if (ownedBroker != null) {
                ownedBroker.close();
            }
            stopped.countDown();
        }, "tlsmon-shutdown"));
        if (!runtime.awaitRegistry(err)) {
            runtime.close();
            if (ownedBroker != null) {
                ownedBroker.close();
            }
            return runtime.registry.isClosed() ? 0 : 2;
        }
        runtime.start();
        err.printf("tlsmon run: reading %s and %s, writing %s, %s and %s on %s%n", runtime.topics.rawLines().name(),
                runtime.topics.shippedLines().name(), runtime.topics.attempts().name(), runtime.topics.alerts().name(),
                runtime.topics.deadLetters().name(), settings.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        if (runtime.http != null) {
            err.printf("tlsmon run: HTTP API on http://%s:%d/api/ (description: /api/openapi.json)%n",
                    runtime.http.advertised().host(), runtime.http.port());
        }
        stopped.await();
        return 0;
    }
}
