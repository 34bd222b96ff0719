package io.tlsmon.cli;

import io.tlsmon.ingest.broker.ClientSecurity;
import io.tlsmon.ingest.replay.ArchiveReplayer;
import io.tlsmon.ingest.replay.PeriodicProgressLine;
import io.tlsmon.ingest.replay.ReplayConfig;
import io.tlsmon.ingest.replay.ReplayProgressListener;
import io.tlsmon.ingest.replay.ReplaySource;
import io.tlsmon.ingest.replay.ReplaySummary;
import io.tlsmon.ingest.replay.TerminalProgressBar;
import io.tlsmon.ingest.tail.LogFileFilter;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tlsmon replay}: archived logs into Kafka in time order with their original timestamps.
 * By default into topics of their own ({@value #DEFAULT_PREFIX}...), so a replay never mixes with
 * live lines nor touches the live application's state; run the topology over them with
 * {@code tlsmon run --application-id tlsmon-replay} and {@code tlsmon.topic.prefix=tlsmon.replay.}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay archived logs (plain and .gz, several servers) in time order with their original timestamps,",
                "so windows and alerts come out as they would have live. Writes to the topic prefix " + ReplayCommand.DEFAULT_PREFIX,
                "unless --topic-prefix says otherwise; process it with:",
                "  tlsmon run --bootstrap-servers ... --application-id tlsmon-replay  (with tlsmon.topic.prefix=" + ReplayCommand.DEFAULT_PREFIX + ")",
                "PATH may be HOST=PATH to name the server the logs come from."})
public final class ReplayCommand implements Callable<Integer> {
    static final String DEFAULT_PREFIX = "tlsmon.replay.";

    @Option(names = "--path", required = true, arity = "1..*", paramLabel = "[HOST=]PATH", description = "archive files or folders")
    List<String> paths;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]")
    String bootstrapServers;

    @Option(names = "--source", paramLabel = "KIND", description = "exchange, postfix, sendmail or exim for every file (default: told per file)")
    String source;

    @Option(names = "--from", paramLabel = "DATE", description = "skip lines before this date or instant (2025-03-01 or 2025-03-01T08:00:00Z)")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "skip lines from this date or instant on (exclusive)")
    String to;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = DEFAULT_PREFIX, description = "default ${DEFAULT-VALUE}")
    String topicPrefix;

    @Option(names = "--host", paramLabel = "NAME", defaultValue = "archive", description = "server name for paths given without HOST= (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--config", paramLabel = "FILE", description = "properties: schema.registry.url, security settings")
    Path config;

    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> settings;
        Instant fromTime;
        Instant toTime;
        TlsmonConfig tlsmon;
        try {
            settings = ConfigLoader.load(config, System.getenv(), Map.of(TlsmonConfig.TOPIC_PREFIX_CONFIG, topicPrefix));
            if (!settings.containsKey(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG)) {
                throw new ConfigException(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG + " is needed: the registry the tlsmon Streams application uses");
            }
            tlsmon = ConfigLoader.producerSide(settings);
            fromTime = time("--from", from);
            toTime = time("--to", to);
            if (source != null) {
                LogFormat.fromLabel(source);
            }
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("tlsmon replay: " + e.getMessage());
            return 2;
        }
        List<ReplaySource> sources = new ArrayList<>();
        int[] problems = {0};
        List<SourcePaths.HostPath> hostPaths = SourcePaths.parse(paths, host);
        if (source != null) {
            String kind = source.toLowerCase(java.util.Locale.ROOT);
            Map<String, List<Path>> byHost = new HashMap<>();
            hostPaths.forEach(hp -> byHost.computeIfAbsent(hp.host(), k -> new ArrayList<>()).add(hp.path()));
            byHost.forEach((h, ps) -> sources.add(ReplaySource.of(h, kind, ps)));
        } else {
            SourcePaths.byHostAndFormat(hostPaths, p -> {
                problems[0]++;
                err.println("tlsmon replay: " + p);
            }).forEach((h, byFormat) -> byFormat.forEach((fmt, files) -> sources.add(new ReplaySource(h, fmt.label(), files,
                    LogFileFilter.all(), ZoneOffset.UTC))));
        }
        if (sources.isEmpty()) {
            err.println("tlsmon replay: nothing to replay in " + paths);
            return 1;
        }
        Topics topics = Topics.of(tlsmon);
        ReplayConfig.Builder rc = ReplayConfig.builder().bootstrapServers(bootstrapServers).topic(topics.rawLines().name())
                .from(fromTime).to(toTime).progressInterval(Duration.ofSeconds(1));
        settings.forEach((k, v) -> {
            if (ClientSecurity.isSecuritySetting(k)) {
                rc.producerSetting(k, v);
            }
        });
        sources.forEach(rc::source);
        ReplayProgressListener progress = System.console() != null ? new TerminalProgressBar(err)
                : new PeriodicProgressLine(err, Duration.ofSeconds(10));
        ReplaySummary summary = new ArchiveReplayer(rc.build(), topics.rawLines().valueSerde().serializer()).run(progress);
        err.printf("tlsmon replay: %d lines sent to %s, %d skipped (outside --from/--to), %d errors, log time %s .. %s, in %s%n",
                summary.linesSent(), topics.rawLines().name(), summary.skipped(), summary.errors(),
                summary.firstTime(), summary.lastTime(), summary.elapsed());
        summary.linesPerStream().forEach((stream, n) -> err.printf("  %8d  %s%n", n, stream));
        if (!summary.succeeded()) {
            err.println("tlsmon replay: stopped at the first send error: " + summary.firstError());
            return 1;
        }
        return problems[0] == 0 ? 0 : 1;
    }

    private static Instant time(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a date (2025-03-01) or an instant (2025-03-01T08:00:00Z)");
        }
    }
}
