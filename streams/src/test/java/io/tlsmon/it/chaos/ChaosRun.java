package io.tlsmon.it.chaos;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.tail.ShipperConfig;
import io.tlsmon.logs.StreamKey;
import io.tlsmon.schemas.registry.FakeConfluentRegistryServer;
import io.tlsmon.topology.MixedLogWorkload;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One run of the fault campaign: three brokers, two Streams instances under exactly-once and two
 * shippers, all separate processes; mail logs written and rotated meanwhile; faults injected at
 * random moments (seeded); then every line, attempt and alert counted against the input.
 */
final class ChaosRun {
    static final Path FIXTURES = Path.of("../core/src/test/resources/fixtures");
    private static final String PREFIX = "chaos.";
    private static final String APP_ID = "tlsmon-chaos";
    /** Kafka Streams says so when an instance has its tasks and processes again. */
    private static final Pattern STREAMS_RUNNING = Pattern.compile("State transition from \\w+ to RUNNING");
    private static final long SESSION_TIMEOUT_MS = 10_000;
    private static final long BROKER_SESSION_TIMEOUT_MS = 9_000;
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);

    /**
     * @param singles faults on one process at a time (SIGKILL and restart), at least one of each kind
     * @param doubles faults on two processes at once, after the singles
     * @param pauses  SIGSTOPs past the session timeout (a Streams instance, a broker; every third a
     *                shipper, past its transaction timeout)
     * @param wipes   SIGKILLs after which the local state (a Streams state dir, a shipper checkpoint)
     *                is deleted before the restart; the first one is a Streams instance's
     */
    record Plan(long seed, int singles, int doubles, int pauses, int wipes, int linesPerSecond) {
    }

    enum FaultKind { KILL, KILL_TWO, PAUSE, WIPE }

    /** One fault as injected, and how long the system took to be whole again after it was healed. */
    record FaultRecord(FaultKind kind, List<String> targets, double downSeconds, double recoverySeconds) {
        @Override
        public String toString() {
            return kind + " " + targets + " down " + String.format("%.1f", downSeconds) + " s, recovered "
                    + (recoverySeconds < 0 ? "NOT within " + RECOVERY_TIMEOUT.toSeconds() + " s" : String.format("in %.1f s", recoverySeconds));
        }
    }

    /** Lost and duplicated items of one stage, counted as multisets against what was expected. */
    record Count(long expected, long actual, long lost, long duplicated) {
        static <T> Count of(List<T> expected, List<T> actual, List<T> lostOut, List<T> duplicatedOut) {
            Map<T, Integer> want = multiset(expected);
            Map<T, Integer> got = multiset(actual);
            long lost = 0;
            long dup = 0;
            for (Map.Entry<T, Integer> e : want.entrySet()) {
                int missing = e.getValue() - got.getOrDefault(e.getKey(), 0);
                if (missing > 0) {
                    lost += missing;
                    for (int i = 0; i < missing; i++) {
                        lostOut.add(e.getKey());
                    }
                }
            }
            for (Map.Entry<T, Integer> e : got.entrySet()) {
                int extra = e.getValue() - want.getOrDefault(e.getKey(), 0);
                if (extra > 0) {
                    dup += extra;
                    for (int i = 0; i < extra; i++) {
                        duplicatedOut.add(e.getKey());
                    }
                }
            }
            return new Count(expected.size(), actual.size(), lost, dup);
        }

        boolean exact() {
            return lost == 0 && duplicated == 0;
        }
    }

    record Result(Plan plan, Map<FaultKind, Integer> faults, Map<Child.Kind, Integer> killsByKind, List<FaultRecord> faultLog,
                  Map<MailLogs.Rotation, Integer> rotations, Count lines, Count attempts, Count alerts, Count deadLetters,
                  boolean alertsInOrder, boolean attemptsInOrder, double longestOutputGapSeconds, double drainSeconds,
                  double runSeconds, Path dir) {
        boolean passed() {
            return lines.exact() && attempts.exact() && alerts.exact() && deadLetters.exact() && alertsInOrder && attemptsInOrder;
        }
    }

    private final Plan plan;
    private final Path dir;
    private final Random random;
    private final JavaCommand java = new JavaCommand();
    private final List<FaultRecord> faultLog = new ArrayList<>();
    private final Map<FaultKind, Integer> faultCounts = new EnumMap<>(FaultKind.class);
    private final Map<Child.Kind, Integer> killsByKind = new EnumMap<>(Child.Kind.class);
    private ThreeBrokers brokers;
    private final List<Child> streams = new ArrayList<>();
    private final List<Child> shippers = new ArrayList<>();
    private final Map<Child, Path> wipeable = new HashMap<>();
    private final Map<Child, String> hostOf = new HashMap<>();
    private CommittedFollower follower;

    ChaosRun(Plan plan, Path dir) {
        this.plan = plan;
        this.dir = dir;
        this.random = new Random(plan.seed());
    }

    Result run() throws Exception {
        long runStart = System.nanoTime();
        Files.createDirectories(dir);
        log("run in %s: %s", dir, plan);
        try (FakeConfluentRegistryServer registry = FakeConfluentRegistryServer.start()) {
            brokers = new ThreeBrokers(dir, java);
            // a campaign stopped from outside (Ctrl-C, a build timeout) must not leave its children running
            Thread reaper = new Thread(() -> {
                streams.forEach(Child::kill);
                shippers.forEach(Child::kill);
                brokers.nodes.forEach(Child::kill);
            }, "chaos-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            try {
                return runWith(registry, runStart);
            } finally {
                streams.forEach(c -> c.stop(20));
                shippers.forEach(c -> c.stop(10));
                if (follower != null) {
                    follower.close();
                }
                brokers.close();
                Runtime.getRuntime().removeShutdownHook(reaper);
            }
        }
    }

    private Result runWith(FakeConfluentRegistryServer registry, long runStart) throws Exception {
        brokers.startAll();
        brokers.awaitAllUp(Duration.ofMinutes(4).toMillis());
        log("three brokers up at %s", brokers.bootstrapServers());

        Map<String, Object> settings = streamsSettings(registry.url());
        TlsmonConfig config = new TlsmonConfig(settings);
        Topics topics = Topics.of(config);
        createTopics(topics);

        Path client = writeProperties(dir.resolve("client.properties"), Map.of(
                TlsmonConfig.TOPIC_PREFIX_CONFIG, PREFIX, TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url()));
        for (int i = 1; i <= 2; i++) {
            Path state = dir.resolve("streams-" + i + "-state");
            Map<String, Object> own = new LinkedHashMap<>(settings);
            own.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            Path file = writeProperties(dir.resolve("streams-" + i + ".properties"), own);
            Child c = new Child("streams-" + i, Child.Kind.STREAMS, () -> java.command(List.of("-Xmx400m",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.KafkaStreams=info"),
                    "io.tlsmon.cli.Main", "run", "--config", file.toString()), dir.resolve("streams-" + i + ".log"), STREAMS_RUNNING);
            streams.add(c);
            wipeable.put(c, state);
        }

        // the logs exist before the shippers start, as on a mail server
        List<MixedLogWorkload.Line> workload = workload();
        follower = new CommittedFollower(brokers.bootstrapServers(), topics);
        MailLogs logs = new MailLogs(dir.resolve("logs"), workload, plan.seed(), plan.linesPerSecond(), follower::shippedCount);
        shippers.add(shipper("ship-mx1", "postfix", logs.postfixDir(), MailLogs.POSTFIX_HOST, client));
        shippers.add(shipper("ship-ex1", "exchange", logs.exchangeDir(), MailLogs.EXCHANGE_HOST, client));

        streams.forEach(Child::start);
        shippers.forEach(Child::start);
        logs.start();
        awaitTrue("the first committed attempts", Duration.ofMinutes(4), () -> follower.attempts() > 0);
        log("pipeline running: %d attempts committed so far", follower.attempts());

        long faultsFrom = System.nanoTime();
        for (Runnable fault : schedule()) {
            sleepSeconds(2 + random.nextInt(7));
            fault.run();
        }
        long faultsTo = System.nanoTime();
        sleepSeconds(3);
        Map<String, List<String>> written = logs.stop();
        long drainFrom = System.nanoTime();
        log("writers stopped after %d lines; faults %s", written.values().stream().mapToInt(List::size).sum(), faultCounts);

        // every process is up and unpaused by now; what was written must all arrive
        Map<String, Map<String, Integer>> writtenSets = new HashMap<>();
        written.forEach((h, l) -> writtenSets.put(h, multiset(l)));
        awaitTrue("every written line committed in raw-lines", Duration.ofMinutes(5),
                () -> writtenSets.entrySet().stream().allMatch(e -> follower.allShipped(e.getKey(), e.getValue())));
        sleepSeconds(2);
        List<ConsumerRecord<String, RawLine>> raw = sorted(Topic.readCommitted(brokers.bootstrapServers(), topics.rawLines().name(),
                topics.rawLines().valueSerde().deserializer(), Duration.ofMinutes(2)));
        List<String> writtenLines = new ArrayList<>();
        written.forEach((h, l) -> l.forEach(t -> writtenLines.add(h + " " + t)));
        List<String> shippedLines = raw.stream().map(r -> StreamKey.parse(r.key()).sourceHost() + " " + r.value().getLine()).toList();
        List<String> linesLost = new ArrayList<>();
        List<String> linesDup = new ArrayList<>();
        Count lines = Count.of(writtenLines, shippedLines, linesLost, linesDup);
        log("lines: %s", lines);

        Reference.Output expected = Reference.of(raw, config.engineSettings());
        log("reference: %d attempts, %d alerts, %d dead letters", expected.attempts().size(), expected.alerts().size(),
                expected.deadLetters().size());
        awaitTrue("the committed output to reach the reference's size, then stay quiet", Duration.ofMinutes(5), () ->
                follower.attempts() >= expected.attempts().size() && follower.alerts() >= expected.alerts().size()
                        && follower.deadLetters() >= expected.deadLetters().size()
                        && System.nanoTime() - follower.lastOutputNanos() > TimeUnit.SECONDS.toNanos(8));
        double drainSeconds = (System.nanoTime() - drainFrom) / 1e9;

        List<NegotiationAttempt> attempts = values(Topic.readCommitted(brokers.bootstrapServers(), topics.attempts().name(),
                topics.attempts().valueSerde().deserializer(), Duration.ofMinutes(2)));
        List<Alert> alerts = values(Topic.readCommitted(brokers.bootstrapServers(), topics.alerts().name(),
                topics.alerts().valueSerde().deserializer(), Duration.ofMinutes(2)));
        List<DeadLetter> dead = values(Topic.readCommitted(brokers.bootstrapServers(), topics.deadLetters().name(),
                topics.deadLetters().valueSerde().deserializer(), Duration.ofMinutes(2)));
        List<NegotiationAttempt> attemptsLost = new ArrayList<>();
        List<NegotiationAttempt> attemptsDup = new ArrayList<>();
        List<Alert> alertsLost = new ArrayList<>();
        List<Alert> alertsDup = new ArrayList<>();
        List<DeadLetter> deadLost = new ArrayList<>();
        List<DeadLetter> deadDup = new ArrayList<>();
        Count attemptCount = Count.of(expected.attempts(), attempts, attemptsLost, attemptsDup);
        Count alertCount = Count.of(expected.alerts(), alerts, alertsLost, alertsDup);
        Count deadCount = Count.of(expected.deadLetters(), dead, deadLost, deadDup);
        boolean alertsInOrder = alerts.equals(expected.alerts());
        boolean attemptsInOrder = attempts.equals(expected.attempts());
        writeDifferences("lines", linesLost, linesDup);
        writeDifferences("attempts", attemptsLost, attemptsDup);
        writeDifferences("alerts", alertsLost, alertsDup);
        writeDifferences("dead-letters", deadLost, deadDup);
        Result result = new Result(plan, new EnumMap<>(faultCounts), new EnumMap<>(killsByKind), List.copyOf(faultLog), logs.rotations(),
                lines, attemptCount, alertCount, deadCount, alertsInOrder, attemptsInOrder,
                follower.longestAttemptGapNanos(faultsFrom, faultsTo) / 1e9, drainSeconds, (System.nanoTime() - runStart) / 1e9, dir);
        log("attempts %s, alerts %s (same order: %s), dead letters %s", attemptCount, alertCount, alertsInOrder, deadCount);
        return result;
    }

    // ------------------------------------------------------------------ the faults

    /** The run's faults, in order: one process at a time first, then two at once. */
    private List<Runnable> schedule() {
        List<Runnable> singles = new ArrayList<>();
        List<Child.Kind> kinds = new ArrayList<>(List.of(Child.Kind.SHIPPER, Child.Kind.STREAMS, Child.Kind.BROKER));
        while (kinds.size() < plan.singles()) {
            kinds.add(Child.Kind.values()[random.nextInt(3)]);
        }
        for (Child.Kind k : kinds.subList(0, plan.singles())) {
            singles.add(() -> kill(List.of(pick(k)), false));
        }
        for (int i = 0; i < plan.wipes(); i++) {
            boolean streamsState = i == 0 || random.nextBoolean();
            singles.add(() -> kill(List.of(streamsState ? pick(Child.Kind.STREAMS) : pick(Child.Kind.SHIPPER)), true));
        }
        boolean streamsFirst = random.nextBoolean();
        for (int i = 0; i < plan.pauses(); i++) {
            // every third pause is a shipper's, past its transaction timeout: the longest of the three
            Child.Kind k = i % 3 == 2 ? Child.Kind.SHIPPER : (i % 3 == 0) == streamsFirst ? Child.Kind.STREAMS : Child.Kind.BROKER;
            singles.add(() -> pause(pick(k)));
        }
        Collections.shuffle(singles, random);
        List<Runnable> all = new ArrayList<>(singles);
        for (int i = 0; i < plan.doubles(); i++) {
            all.add(() -> {
                List<Child> everyone = new ArrayList<>(brokers.nodes);
                everyone.addAll(streams);
                everyone.addAll(shippers);
                Collections.shuffle(everyone, random);
                kill(everyone.subList(0, 2), false);
            });
        }
        return all;
    }

    private Child pick(Child.Kind kind) {
        List<Child> of = switch (kind) {
            case BROKER -> brokers.nodes;
            case STREAMS -> streams;
            case SHIPPER -> shippers;
        };
        return of.get(random.nextInt(of.size()));
    }

    /** SIGKILL, down a moment (its local state deleted when {@code wipe}), restarted; waits until whole again. */
    private void kill(List<Child> targets, boolean wipe) {
        FaultKind kind = wipe ? FaultKind.WIPE : targets.size() > 1 ? FaultKind.KILL_TWO : FaultKind.KILL;
        long down = 500 + random.nextInt(4_500);
        long t0 = System.nanoTime();
        targets.forEach(Child::kill);
        targets.forEach(t -> killsByKind.merge(t.kind, 1, Integer::sum));
        if (wipe) {
            deleteRecursively(wipeable.get(targets.get(0)));
        }
        sleepMillis(down);
        long healed = System.nanoTime();
        targets.forEach(Child::start);
        double recovery = awaitRecovered(targets, healed);
        record(kind, targets, (healed - t0) / 1e9, recovery);
    }

    /**
     * SIGSTOP past the timeout after which the others give up on it (a Streams instance's group session,
     * a broker's session with the controller, a shipper's open transaction), then SIGCONT.
     */
    private void pause(Child target) {
        long timeout = switch (target.kind) {
            case BROKER -> BROKER_SESSION_TIMEOUT_MS;
            case STREAMS -> SESSION_TIMEOUT_MS;
            case SHIPPER -> ((Number) ShipperConfig.defaultProducerSettings().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).longValue();
        };
        long t0 = System.nanoTime();
        target.pause();
        sleepMillis(timeout + 4_000 + random.nextInt(4_000));
        long healed = System.nanoTime();
        target.resume();
        double recovery = awaitRecovered(List.of(target), healed);
        record(FaultKind.PAUSE, List.of(target), (healed - t0) / 1e9, recovery);
    }

    private void record(FaultKind kind, List<Child> targets, double down, double recovery) {
        FaultRecord r = new FaultRecord(kind, targets.stream().map(c -> c.name).toList(), down, recovery);
        faultLog.add(r);
        faultCounts.merge(kind, 1, Integer::sum);
        log("fault %d: %s", faultLog.size(), r);
    }

    /**
     * Seconds from {@code healed} until every target is back at its work, or -1 after the timeout:
     * a broker registered again with every partition's replicas all in sync; a Streams instance
     * RUNNING again (its tasks assigned and restored); a shipper with a new line committed.
     */
    private double awaitRecovered(List<Child> targets, long healed) {
        long deadline = healed + RECOVERY_TIMEOUT.toNanos();
        String waitingFor = null;
        try (Admin admin = brokers.admin()) {
            while (System.nanoTime() < deadline) {
                waitingFor = null;
                for (Child c : targets) {
                    String missing = switch (c.kind) {
                        case BROKER -> c.lastReadyNanos() < 0 ? "broker not started" : ThreeBrokers.notFullyReplicated(admin);
                        case STREAMS -> c.lastReadyNanos() > healed ? null : "not RUNNING";
                        case SHIPPER -> follower.lastShippedNanos(hostOf.get(c)) > healed ? null : "no new line committed";
                    };
                    if (missing != null) {
                        waitingFor = c + ": " + missing;
                    }
                }
                if (waitingFor == null) {
                    return (System.nanoTime() - healed) / 1e9;
                }
                sleepMillis(250);
            }
        }
        log("not recovered within %s, still waiting for %s", RECOVERY_TIMEOUT, waitingFor);
        for (Child c : targets) {
            if (!c.isAlive()) {
                log("%s died; starting it again", c);
                c.start();
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ set-up

    private Map<String, Object> streamsSettings(String registryUrl) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers());
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
        s.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        s.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        s.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        s.put("session.timeout.ms", SESSION_TIMEOUT_MS);
        s.put(TlsmonConfig.HTTP_PORT_CONFIG, 0); // several instances at once: each its own free port
        s.put("heartbeat.interval.ms", 2_000);
        s.put(TlsmonConfig.TOPIC_PREFIX_CONFIG, PREFIX);
        s.put(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        // one partition: the sender stage sees every attempt in one order, the order the reference takes
        s.put(TlsmonConfig.TOPIC_PARTITIONS_CONFIG, 1);
        s.put(TlsmonConfig.TOPIC_REPLICATION_CONFIG, "3");
        // the one wall-clock rule would make the output depend on when faults struck
        s.put(TlsmonConfig.SESSION_QUIET_CLOSE_MS_CONFIG, 0);
        // shorter than the defaults, so that the run's hour of log time also updates and resolves alerts
        s.put(TlsmonConfig.ALERT_QUIET_PERIOD_MS_CONFIG, 120_000);
        s.put(TlsmonConfig.ALERT_UPDATE_INTERVAL_MS_CONFIG, 60_000);
        s.put(TlsmonConfig.ROCKSDB_MEMORY_BYTES_CONFIG, 16L * 1024 * 1024);
        return s;
    }

    private void createTopics(Topics topics) throws Exception {
        try (Admin admin = brokers.admin()) {
            admin.createTopics(topics.externalNames().stream()
                    .map(n -> new NewTopic(n, Optional.of(1), Optional.of((short) 3)).configs(Topics.topicConfigs())).toList())
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    private Child shipper(String name, String source, Path path, String host, Path client) {
        Path checkpoints = dir.resolve(name + "-checkpoints");
        Child c = new Child(name, Child.Kind.SHIPPER, () -> java.command(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                "io.tlsmon.cli.Main", "ship", "--source", source, "--path", path.toString(), "--bootstrap-servers", brokers.bootstrapServers(),
                "--host", host, "--shipper-id", "chaos-" + host, "--checkpoint-dir", checkpoints.toString(), "--config", client.toString()),
                dir.resolve(name + ".log"), null);
        wipeable.put(c, checkpoints);
        hostOf.put(c, host);
        return c;
    }

    /** The mail servers' lines: MixedLogWorkload's Exchange server ex1 and Postfix relay mx1, enough for the run. */
    private List<MixedLogWorkload.Line> workload() {
        int faults = plan.singles() + plan.doubles() + plan.pauses() + plan.wipes();
        long needed = (long) plan.linesPerSecond() * (240 + faults * 90L);
        Instant start = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
        // three of the workload's nine logs are kept: ex1's receive and send logs and mx1's mail.log
        List<MixedLogWorkload.Line> all = new MixedLogWorkload(FIXTURES, plan.seed(), 2_000, start).generate(needed * 3);
        return all.stream().filter(l -> l.sourceHost().equals(MailLogs.POSTFIX_HOST) || l.sourceHost().equals(MailLogs.EXCHANGE_HOST))
                .toList();
    }

    // ------------------------------------------------------------------ helpers

    private static <T> Map<T, Integer> multiset(List<T> items) {
        Map<T, Integer> m = new HashMap<>();
        items.forEach(i -> m.merge(i, 1, Integer::sum));
        return m;
    }

    private static <V> List<ConsumerRecord<String, V>> sorted(List<ConsumerRecord<String, V>> records) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>(records);
        out.sort(Comparator.<ConsumerRecord<String, V>>comparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return sorted(records).stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }

    private void writeDifferences(String what, List<?> lost, List<?> duplicated) throws IOException {
        if (lost.isEmpty() && duplicated.isEmpty()) {
            return;
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(what + "-differences.txt"), StandardCharsets.UTF_8)) {
            w.write("lost (expected, not committed): " + lost.size() + "\n");
            for (Object o : lost.subList(0, Math.min(lost.size(), 200))) {
                w.write("  " + o + "\n");
            }
            w.write("duplicated or unexpected (committed beyond what was expected): " + duplicated.size() + "\n");
            for (Object o : duplicated.subList(0, Math.min(duplicated.size(), 200))) {
                w.write("  " + o + "\n");
            }
        }
    }

    private static Path writeProperties(Path file, Map<String, Object> settings) throws IOException {
        Properties p = new Properties();
        settings.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "chaos campaign");
        }
        return file;
    }

    private void awaitTrue(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                log("gave up waiting for %s after %s", what, timeout);
                return; // the counts that follow say what is missing
            }
            sleepMillis(500);
        }
    }

    static void deleteRecursively(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void log(String format, Object... args) {
        String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " chaos[" + plan.seed() + "] " + String.format(format, args);
        System.out.println(line);
        try {
            Files.writeString(dir.resolve("campaign.log"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleepSeconds(long s) {
        sleepMillis(s * 1000);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
