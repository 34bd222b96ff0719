package io.tlsmon.cli;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.broker.ClientSecurity;
import io.tlsmon.ingest.tail.ShipperConfig;
import io.tlsmon.ingest.tail.ShipperLoop;
import io.tlsmon.ingest.tail.ShipperMetrics;
import io.tlsmon.ingest.tail.TailSource;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tlsmon ship}: follows protocol-log folders or mail logs and ships every line exactly once. */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = {"Follow Exchange protocol-log folders or Postfix mail logs and ship each line to the raw-lines topic.",
                "Restart-safe: file positions are checkpointed after the broker committed them (transactions),",
                "so a shipper killed at any moment and restarted loses and repeats no line.",
                "Settings (--config FILE, TLSMON_* environment) as for 'tlsmon run'; producer settings as producer.*."})
public final class ShipCommand implements Callable<Integer> {

    @Option(names = "--source", required = true, paramLabel = "KIND", description = "exchange or postfix (also sendmail, exim)")
    String source;

    @Option(names = "--path", required = true, arity = "1..*", paramLabel = "DIR|FILE",
            description = "folders (followed recursively, new files picked up) or files to follow")
    List<Path> paths;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]")
    String bootstrapServers;

    @Option(names = "--host", paramLabel = "NAME", description = "the mail server's name in every record (default: this machine's name)")
    String host;

    @Option(names = "--shipper-id", paramLabel = "ID", description = "stable id of this shipper: its checkpoint and transactional id (default: tlsmon-<host>-<source>)")
    String shipperId;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", defaultValue = ".tlsmon", description = "where the checkpoint file lives (default ${DEFAULT-VALUE})")
    Path checkpointDir;

    @Option(names = "--max-open-files", paramLabel = "N",
            description = "most followed files held open at once (default " + ShipperConfig.MAX_OPEN_FILES_DEFAULT
                    + "): a file is kept open until shipped, so that one deleted or rotated away meanwhile is still read to its end")
    Integer maxOpenFiles;

    @Option(names = "--config", paramLabel = "FILE", description = "properties: schema.registry.url, security settings, tlsmon.topic.prefix, producer.*")
    Path config;

    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> settings;
        TlsmonConfig tlsmon;
        try {
            settings = ConfigLoader.load(config, System.getenv(), Map.of("bootstrap.servers", bootstrapServers));
            tlsmon = ConfigLoader.producerSide(settings);
            io.tlsmon.logs.LogFormat.fromLabel(source);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("tlsmon ship: " + e.getMessage());
            return 2;
        }
        String hostName = host != null ? host : InetAddress.getLocalHost().getHostName();
        Topics topics = Topics.of(tlsmon);
        ShipperConfig.Builder b = ShipperConfig.builder()
                .bootstrapServers(bootstrapServers)
                .topic(topics.rawLines().name())
                .shipperId(shipperId != null ? shipperId : ("tlsmon-" + hostName + "-" + source).replaceAll("[^A-Za-z0-9._-]", "_"))
                .sourceHost(hostName)
                .checkpointDir(checkpointDir)
                .source(TailSource.of(source.toLowerCase(java.util.Locale.ROOT), paths));
        if (maxOpenFiles != null) {
            b.maxOpenFiles(maxOpenFiles);
        }
        settings.forEach((k, v) -> {
            if (ClientSecurity.isSecuritySetting(k)) {
                b.producerSetting(k, v);
            } else if (k.startsWith(ShipperConfig.PRODUCER_PREFIX)) {
                b.producerSetting(k.substring(ShipperConfig.PRODUCER_PREFIX.length()), v);
            }
        });
        Serializer<RawLine> serializer = topics.rawLines().valueSerde().serializer();
        ShipperConfig shipperConfig;
        try {
            shipperConfig = b.build();
        } catch (IllegalArgumentException e) {
            err.println("tlsmon ship: " + e.getMessage());
            return 2;
        }
        try (ShipperLoop loop = new ShipperLoop(shipperConfig, serializer)) {
            Thread worker = new Thread(loop, "tlsmon-shipper");
            // the loop keeps why it stopped (failure()), told below without a stack trace
            worker.setUncaughtExceptionHandler((t, e) -> { });
            Runtime.getRuntime().addShutdownHook(new Thread(loop::close, "tlsmon-ship-stop"));
            worker.start();
            err.printf("tlsmon ship: following %s (%s) for host %s into %s; checkpoint %s%n", paths, source, hostName,
                    topics.rawLines().name(), loop.checkpointFile());
            while (worker.isAlive()) {
                worker.join(60_000);
                ShipperMetrics m = loop.metrics();
                err.printf("tlsmon ship: %d lines read, %d shipped, %d pending, %d retries, %d errors%s%s%n",
                        m.linesRead(), m.linesShipped(), m.pending(), m.retries(), m.errors(),
                        m.brokerOutage().active() ? "; broker unreachable: " + m.brokerOutage().reason() : "",
                        m.registryOutage().active() ? "; schema registry unreachable: " + m.registryOutage().reason() : "");
            }
            if (loop.failure().isPresent()) {
                err.println("tlsmon ship: stopped: " + loop.failure().get().getMessage());
                return 1;
            }
        }
        return 0;
    }
}
