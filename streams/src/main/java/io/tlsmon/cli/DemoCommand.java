package io.tlsmon.cli;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.format.AlertText;
import io.tlsmon.format.TlsmonJson;
import io.tlsmon.format.SenderSummary;
import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.replay.ArchiveReplayer;
import io.tlsmon.ingest.replay.PeriodicProgressLine;
import io.tlsmon.ingest.replay.ReplayConfig;
import io.tlsmon.ingest.replay.ReplaySource;
import io.tlsmon.ingest.replay.ReplaySummary;
import io.tlsmon.ingest.tail.LogFileFilter;
import io.tlsmon.topology.DeadLetterHandlers;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.TopologyCounters;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code tlsmon demo}: the whole product on one machine with no set-up. An in-process Kafka broker
 * and schema registry, the topology, and the bundled demo logs (or the user's) shipped through the
 * same archive replayer {@code tlsmon replay} uses; alerts are printed as they arrive, then a
 * per-sender summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run tlsmon end to end on an embedded Kafka broker and print the alerts.",
                "Ships the bundled demo logs (composed Exchange and Postfix logs that trigger every alert rule),",
                "or yours with --logs, through the production ingest code; exits after --duration, when",
                "everything shipped has been processed, or on Ctrl-C, and removes its temporary files."})
public final class DemoCommand implements Callable<Integer> {
    static final List<String> BUNDLED = List.of(
            "exchange/SmtpReceive/RECV2025030308-1.LOG", "exchange/SmtpSend/SEND2025030308-1.LOG", "postfix/mail.log");
    private static final Map<String, String> RESOURCE_OF = Map.of(
            "exchange/SmtpReceive/RECV2025030308-1.LOG", "/demo/RECV2025030308-1.LOG",
            "exchange/SmtpSend/SEND2025030308-1.LOG", "/demo/SEND2025030308-1.LOG",
            "postfix/mail.log", "/demo/mx2-mail.log");

    static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "stop after this long at most (default 60s; with --serve: none, until Ctrl-C)", converter = Converters.DurationConverter.class)
    Duration duration;

    @Option(names = "--serve", description = "keep the HTTP API up once the logs are processed, until Ctrl-C or --duration")
    boolean serve;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "port of the HTTP API (default ${DEFAULT-VALUE}; -1: none, 0: any free port)")
    int httpPort;

    @Option(names = "--http-bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "address of the HTTP API (default ${DEFAULT-VALUE}; the demo sets no token, so loopback only)")
    String httpBind;

    @Option(names = "--logs", paramLabel = "PATH", description = "ship these log files or folders instead of the bundled demo logs")
    List<Path> logs;

    enum Output { text, jsonl }

    @Option(names = "--output", defaultValue = "text", paramLabel = "OUTPUT",
            description = "text (alerts as they arrive, then a per-sender summary; the default) or jsonl: every attempt "
                    + "and alert of the live path as JSON lines with the field names of classify --output jsonl, "
                    + "the summary on stderr")
    Output output;

    @Option(names = "--idle-exit", defaultValue = "10s", paramLabel = "DURATION", hidden = true,
            description = "stop this long after the last output once everything was shipped", converter = Converters.DurationConverter.class)
    Duration idleExit;

    @Option(names = "--alertmanager", paramLabel = "URL",
            description = "push the alerts to this Prometheus Alertmanager (tlsmon.alertmanager.url), e.g. http://127.0.0.1:9093")
    String alertmanager;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        if (alertmanager != null) {
            try {
                new TlsmonConfig(Map.of(TlsmonConfig.ALERTMANAGER_URL_CONFIG, alertmanager));
            } catch (org.apache.kafka.common.config.ConfigException e) {
                err.println("tlsmon demo: --alertmanager: " + e.getMessage());
                return 2;
            }
        }
        Path work = Files.createTempDirectory("tlsmon-demo");
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tlsmon-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<ReplaySource> sources = logs == null ? bundledSources(work.resolve("logs")) : userSources(logs);
            if (sources.isEmpty()) {
                err.println("tlsmon demo: no log files found in " + logs);
                return 2;
            }
            return run(work, sources, stop, started);
        } catch (java.io.UncheckedIOException | org.apache.kafka.common.config.ConfigException e) {
            // the API's port taken, or a bad --http-* value: say which, no stack trace
            err.println("tlsmon demo: " + e.getMessage());
            return 2;
        } finally {
            deleteTree(work);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us
            }
        }
    }

    private int run(Path work, List<ReplaySource> sources, AtomicBoolean stop, long started) throws Exception {
        err.println("tlsmon demo: starting an embedded Kafka broker ...");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, Object> settings = new HashMap<>();
            settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "tlsmon-demo");
            settings.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
            settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
            settings.put(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://tlsmon-demo");
            settings.put(TlsmonConfig.TOPIC_PARTITIONS_CONFIG, 2);
            settings.put(TlsmonConfig.HTTP_PORT_CONFIG, httpPort);
            settings.put(TlsmonConfig.HTTP_BIND_CONFIG, httpBind);
            if (alertmanager != null) {
                settings.put(TlsmonConfig.ALERTMANAGER_URL_CONFIG, alertmanager);
            }
            try (StreamsRuntime runtime = new StreamsRuntime(settings)) {
                StreamsRuntime.createTopics(settings, runtime.topics.externalNames(), 2, (short) 1);
                runtime.start();
                if (!runtime.awaitRunning(Duration.ofSeconds(60))) {
                    err.println("tlsmon demo: Kafka Streams did not start: " + runtime.streams.state());
                    return 1;
                }
                err.printf("tlsmon demo: topology running (%.1f s); shipping %d source(s) into %s%n",
                        (System.nanoTime() - started) / 1e9, sources.size(), runtime.topics.rawLines().name());
                CompletableFuture<ReplaySummary> shipping = CompletableFuture.supplyAsync(() -> {
                    ReplayConfig.Builder rc = ReplayConfig.builder().bootstrapServers(broker.bootstrapServers())
                            .topic(runtime.topics.rawLines().name()).progressInterval(Duration.ofSeconds(5));
                    sources.forEach(rc::source);
                    return new ArchiveReplayer(rc.build(), runtime.topics.rawLines().valueSerde().serializer())
                            .run(new PeriodicProgressLine(err, Duration.ofSeconds(5)));
                });
                if (runtime.http != null) {
                    err.printf("tlsmon demo: HTTP API on http://%s:%d/api/ (try /api/summary)%n", httpBind, runtime.http.port());
                }
                int status = watch(broker, runtime, shipping, stop, started);
                if (serve && status == 0 && runtime.http != null) {
                    serveUntilStopped(runtime, stop, started);
                }
                return status;
            }
        }
    }

    /** Prints alerts as they arrive; returns when the duration is over, all was processed, or Ctrl-C. */
    private int watch(EmbeddedKafkaBroker broker, StreamsRuntime runtime, CompletableFuture<ReplaySummary> shipping,
                      AtomicBoolean stop, long started) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "tlsmon-demo-viewer");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Deserializer<Alert> alerts = runtime.topics.alerts().valueSerde().deserializer();
        Deserializer<NegotiationAttempt> attempts = runtime.topics.attempts().valueSerde().deserializer();
        SenderSummary summary = new SenderSummary();
        Map<io.tlsmon.avro.AlertType, Integer> alertCounts = new EnumMap<>(io.tlsmon.avro.AlertType.class);
        long attemptCount = 0;
        long firstAlertNanos = -1;
        long lastOutput = System.nanoTime();
        long deadline = started + limit().toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(runtime.topics.alerts().name(), runtime.topics.attempts().name()));
            while (!stop.get() && System.nanoTime() < deadline) {
                boolean any = false;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    any = true;
                    if (r.topic().equals(runtime.topics.alerts().name())) {
                        Alert a = alerts.deserialize(r.topic(), r.value());
                        if (firstAlertNanos < 0) {
                            firstAlertNanos = System.nanoTime();
                        }
                        alertCounts.merge(a.getType(), 1, Integer::sum);
                        out.println(output == Output.jsonl ? TlsmonJson.alert(a) : AlertText.of(a));
                    } else {
                        NegotiationAttempt attempt = attempts.deserialize(r.topic(), r.value());
                        summary.add(attempt);
                        attemptCount++;
                        if (output == Output.jsonl) {
                            out.println(TlsmonJson.attempt(attempt));
                        }
                    }
                }
                if (any) {
                    lastOutput = System.nanoTime();
                } else if (shipping.isDone() && System.nanoTime() - lastOutput > idleExit.toNanos()) {
                    break;
                }
            }
        }
        ReplaySummary shipped = shipping.getNow(null);
        PrintStream report = output == Output.jsonl ? err : out;
        report.println("=== per-sender summary ===");
        summary.print(report);
        report.printf("tlsmon demo: %s lines shipped, %d attempts classified, alerts %s (%d held back by the hourly caps), %d dead letters, first alert after %s, ran %.1f s%n",
                shipped == null ? "(still shipping)" : String.valueOf(shipped.linesSent()), attemptCount, alertCounts,
                TopologyCounters.ALERTS_SUPPRESSED.get(),
                TopologyCounters.PARSE_ERRORS.get() + DeadLetterHandlers.COUNT.get(),
                firstAlertNanos < 0 ? "-" : String.format("%.1f s", (firstAlertNanos - started) / 1e9),
                (System.nanoTime() - started) / 1e9);
        if (shipped != null && !shipped.succeeded()) {
            err.println("tlsmon demo: shipping failed: " + shipped.firstError());
            return 1;
        }
        return 0;
    }

    /** With --serve and no --duration there is no limit (the user stops it). */
    private Duration limit() {
        return duration != null ? duration : serve ? Duration.ofNanos(Long.MAX_VALUE / 2) : DEFAULT_DURATION;
    }

    private void serveUntilStopped(StreamsRuntime runtime, AtomicBoolean stop, long started) throws InterruptedException {
        err.printf("tlsmon demo: logs processed; serving http://%s:%d/api/ %s%n", httpBind, runtime.http.port(),
                duration != null ? "until " + duration + " after start or Ctrl-C" : "until Ctrl-C");
        long deadline = started + limit().toNanos();
        while (!stop.get() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /** Writes the bundled logs where the production ingest code finds them by name. */
    private static List<ReplaySource> bundledSources(Path dir) throws IOException {
        for (String name : BUNDLED) {
            Path target = dir.resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCE_OF.get(name))) {
                if (in == null) {
                    throw new IOException("bundled demo log missing from the jar: " + RESOURCE_OF.get(name));
                }
                Files.copy(in, target);
            }
        }
        return List.of(ReplaySource.of("ex01", "exchange", List.of(dir.resolve("exchange"))),
                ReplaySource.of("mx2", "postfix", List.of(dir.resolve("postfix"))));
    }

    /** The user's files, each shipped with the format its name or first lines show. */
    private List<ReplaySource> userSources(List<Path> paths) throws IOException {
        List<ReplaySource> sources = new ArrayList<>();
        List<SourcePaths.HostPath> hostPaths = paths.stream().map(p -> new SourcePaths.HostPath("local", p)).toList();
        SourcePaths.byHostAndFormat(hostPaths, problem -> err.println("tlsmon demo: " + problem)).forEach((host, byFormat) ->
                byFormat.forEach((fmt, files) -> sources.add(new ReplaySource(host, fmt.label(), files, LogFileFilter.all(),
                        ZoneOffset.UTC))));
        return sources;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temp dir
        }
    }
}
