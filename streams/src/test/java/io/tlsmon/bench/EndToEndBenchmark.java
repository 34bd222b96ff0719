package io.tlsmon.bench;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.TlsmonTopology;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: the end-to-end benchmark ({@code benchmarks/e2e.sh}). In one JVM, against the embedded
 * KRaft broker ({@link BenchCluster}):
 *
 * <ol>
 *   <li>creates tlsmon's topics with {@code --partitions} partitions and produces {@code --lines} lines
 *       of a {@link MailLogWorkload} to the raw topic (as the shipper does; not timed);</li>
 *   <li>optionally warms the JIT up on a separate, smaller topic set ({@code --warmup-lines}, not counted);</li>
 *   <li>per {@code --guarantee}: Kafka's ConsumerPerformance over the raw topic ({@link ConsumerPerf}), the
 *       Streams floor ({@link StreamsFloor}) and the tlsmon topology ({@link TlsmonTopology#build}), each
 *       with a fresh group / application id and state, each drained fully. The Streams apps are timed
 *       from their first record to their last output committed ({@link StreamsRun}, {@link Drain});
 *       ConsumerPerformance from its first assignment to its last record;</li>
 *   <li>prints one table line per guarantee, and as its very last line
 *       {@code ratio-to-consumer X ratio-to-streams-floor Y}: for each ratio, the lower over the guarantees
 *       run (the header line says which guarantee each came from).</li>
 * </ol>
 *
 * Both Streams apps get the same settings: {@code TlsmonConfig.streamsProperties()} of one config
 * (guarantee, RocksDB config setter and memory bound, timestamp extractor, {@code max.task.idle.ms}),
 * {@code --threads} stream threads and {@code --commit-interval-ms} (default 100, Kafka Streams'
 * exactly-once default, under both guarantees: with at-least-once's default of 30 s the wait for the
 * last commit would dominate the time; {@code --commit-interval-ms default} keeps each guarantee's own
 * default). {@code --set key=value,...} adds Kafka Streams or tlsmon settings to both (experiments).
 * {@code --dump DIR} writes the workload as log files instead (for {@code ./tlsmon classify DIR}).
 */
public final class EndToEndBenchmark {
    private static final String USAGE = "usage: EndToEndBenchmark [--lines N] [--partitions P] [--threads T] "
            + "[--guarantee at_least_once,exactly_once_v2] [--commit-interval-ms MS|default] [--warmup-lines N] [--consumer-runs N] [--seed S] "
            + "[--set key=value,...] [--timeout-minutes M] | --dump DIR [--lines N]";

    private EndToEndBenchmark() {
    }

    record Options(long lines, int partitions, int threads, List<String> guarantees, String commitInterval, long warmupLines,
                   int consumerRuns, long seed, Map<String, String> extra, Duration timeout, Path dump) {
        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException(USAGE);
                }
                m.put(args[i].substring(2), args[++i]);
            }
            for (String k : m.keySet()) {
                if (!List.of("lines", "partitions", "threads", "guarantee", "commit-interval-ms", "warmup-lines", "consumer-runs", "seed", "set",
                        "timeout-minutes", "dump").contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
                }
            }
            List<String> guarantees = new ArrayList<>();
            for (String g : m.getOrDefault("guarantee", StreamsConfig.AT_LEAST_ONCE + "," + StreamsConfig.EXACTLY_ONCE_V2).split(",")) {
                String t = g.trim();
                if (!t.equals(StreamsConfig.AT_LEAST_ONCE) && !t.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
                    throw new IllegalArgumentException("--guarantee takes at_least_once and/or exactly_once_v2, not '" + t + "'");
                }
                guarantees.add(t);
            }
            Map<String, String> extra = new LinkedHashMap<>();
            for (String kv : m.getOrDefault("set", "").split(",")) {
                if (!kv.isBlank()) {
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--set takes key=value pairs, not '" + kv + "'");
                    }
                    extra.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                }
            }
            String ci = m.getOrDefault("commit-interval-ms", "100");
            if (!ci.equals("default")) {
                Long.parseLong(ci);
            }
            Options o = new Options(Long.parseLong(m.getOrDefault("lines", "1000000").replace("_", "")),
                    Integer.parseInt(m.getOrDefault("partitions", "1")), Integer.parseInt(m.getOrDefault("threads", "1")),
                    List.copyOf(guarantees), ci, Long.parseLong(m.getOrDefault("warmup-lines", "100000").replace("_", "")),
                    Integer.parseInt(m.getOrDefault("consumer-runs", "3")), Long.parseLong(m.getOrDefault("seed", "42")), extra,
                    Duration.ofMinutes(Long.parseLong(m.getOrDefault("timeout-minutes", "60"))),
                    m.containsKey("dump") ? Path.of(m.get("dump")) : null);
            if (o.lines < 1 || o.partitions < 1 || o.threads < 1 || o.warmupLines < 0 || o.consumerRuns < 1) {
                throw new IllegalArgumentException("--lines, --partitions, --threads and --consumer-runs must be positive, --warmup-lines at least 0");
            }
            return o;
        }
    }

    /** One guarantee's runs; {@code consumer} is the median of the ConsumerPerformance runs. */
    record Round(String guarantee, List<ConsumerPerf.Result> consumerRuns, ConsumerPerf.Result consumer, StreamsRun.Result floor,
                 StreamsRun.Result tlsmon, Counts counts) {
        double ratioToConsumer() {
            return tlsmon.rate() / consumer.fetchRate();
        }

        double ratioToFloor() {
            return tlsmon.rate() / floor.rate();
        }

        double floorToConsumer() {
            return floor.rate() / consumer.fetchRate();
        }
    }

    public static void main(String[] args) {
        BenchCluster.quietLogs();
        try {
            run(args);
        } catch (Throwable t) {
            System.out.flush();
            System.err.println("end-to-end benchmark failed:");
            t.printStackTrace();
            System.exit(1); // client threads left behind must not keep the JVM up
        }
        System.out.flush();
        System.exit(0); // no lingering client thread may print after the last line
    }

    private static void run(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (o.dump != null) {
            dump(o.dump, o.lines, o.seed);
            return;
        }
        System.out.printf(Locale.ROOT, "tlsmon end-to-end benchmark: %,d lines, %d partition(s), %d stream thread(s), guarantees %s, "
                        + "commit.interval.ms %s, warm-up %,d lines; JVM %s, max heap %d MiB, %d CPUs, load average %.2f%n",
                o.lines, o.partitions, o.threads, o.guarantees, o.commitInterval, o.warmupLines, System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), BenchCluster.loadAverage());

        List<Round> rounds = new ArrayList<>();
        BenchCluster.Loaded loaded;
        try (BenchCluster cluster = BenchCluster.start()) {
            System.out.println("broker " + cluster.bootstrap());
            if (o.warmupLines > 0) {
                Map<String, Object> warm = settings(o, cluster, "warmup-");
                Topics warmTopics = Topics.of(new TlsmonConfig(warm));
                cluster.createTopics(o.partitions, warmTopics.externalNames());
                BenchCluster.Loaded w = cluster.produce(warmTopics, new MailLogWorkload(o.warmupLines, o.seed + 1));
                System.out.println("warm-up (not counted): produced " + w.describe());
                round(o, cluster, warm, warmTopics, w.lines(), o.guarantees.get(0), "warmup");
                System.out.println("\n---- warm-up done; the measured runs follow ----");
            }
            Map<String, Object> base = settings(o, cluster, "bench-");
            Topics topics = Topics.of(new TlsmonConfig(base));
            cluster.createTopics(o.partitions, topics.externalNames());
            loaded = cluster.produce(topics, new MailLogWorkload(o.lines, o.seed));
            System.out.println("produced " + loaded.describe());
            for (int i = 0; i < o.guarantees.size(); i++) {
                rounds.add(round(o, cluster, base, topics, loaded.lines(), o.guarantees.get(i), "e2e" + (i + 1)));
            }
        }
        report(o, loaded, rounds);
    }

    private static Map<String, Object> settings(Options o, BenchCluster cluster, String prefix) {
        Map<String, Object> base = new HashMap<>();
        base.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        base.put(TlsmonConfig.TOPIC_PREFIX_CONFIG, prefix);
        base.put(TlsmonConfig.TOPIC_PARTITIONS_CONFIG, o.partitions);
        base.put(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://bench");
        base.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, o.threads);
        if (!o.commitInterval.equals("default")) {
            base.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(o.commitInterval));
        }
        base.putAll(o.extra);
        return base;
    }

    /** ConsumerPerformance, the Streams floor and tlsmon over the same raw topic, under one guarantee. */
    private static Round round(Options o, BenchCluster cluster, Map<String, Object> base, Topics topics, long lines, String guarantee,
                               String tag) throws Exception {
        String g = guarantee.replace('_', '-');
        System.out.printf(Locale.ROOT, "%n==== %s: %s ====%n", tag, guarantee);
        BenchCluster.settle();
        // ConsumerPerformance reads 1M records in about a second: one run is noisy, the median of a few less so
        List<ConsumerPerf.Result> cps = new ArrayList<>();
        for (int i = 1; i <= o.consumerRuns; i++) {
            cps.add(ConsumerPerf.run(cluster.bootstrap(), topics.rawLines().name(), lines, tag + "-consumerperf-" + g + "-" + i));
        }
        List<ConsumerPerf.Result> sorted = new ArrayList<>(cps);
        sorted.sort(java.util.Comparator.comparingDouble(ConsumerPerf.Result::fetchRate));
        ConsumerPerf.Result cp = sorted.get((sorted.size() - 1) / 2);
        System.out.printf(Locale.ROOT, "ConsumerPerformance, median of %d: %,.0f records/s (runs: %s)%n", cps.size(), cp.fetchRate(),
                String.join(", ", cps.stream().map(c -> String.format(Locale.ROOT, "%,.0f", c.fetchRate())).toList()));

        Map<String, Object> settings = new HashMap<>(base);
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        TlsmonConfig config = new TlsmonConfig(settings);
        Properties props = config.streamsProperties();
        List<String> external = List.of(topics.rawLines().name());

        AtomicLong counted = new AtomicLong(-1);
        String floorId = tag + "-floor-" + g;
        StreamsRun.Result floor = StreamsRun.run("Streams floor " + guarantee, floorId, StreamsFloor.topology(topics), props, cluster, lines,
                external, List.of(floorId + "-" + StreamsFloor.STORE + "-changelog"), o.timeout, streams -> {
                    var store = streams.store(StoreQueryParameters.fromNameAndType(StreamsFloor.STORE, QueryableStoreTypes.<String, Long>keyValueStore()));
                    long n = 0;
                    try (KeyValueIterator<String, Long> it = store.all()) {
                        while (it.hasNext()) {
                            KeyValue<String, Long> kv = it.next();
                            n += kv.value;
                        }
                    }
                    counted.set(n);
                });
        if (counted.get() != lines) {
            throw new IllegalStateException("the Streams floor counted " + counted.get() + " lines of " + lines);
        }

        String tlsmonId = tag + "-tlsmon-" + g;
        StreamsBuilder builder = new StreamsBuilder();
        TlsmonTopology.build(builder, config);
        List<String> outputs = List.of(topics.attempts().name(), topics.alerts().name(), topics.deadLetters().name());
        List<String> inputs = List.of(topics.rawLines().name(), topics.shippedLines().name());
        Map<TopicPartition, Long> before = cluster.endOffsets(outputs, true);
        StreamsRun.Result tlsmon = StreamsRun.run("tlsmon " + guarantee, tlsmonId, builder.build(props), props, cluster, lines,
                inputs, outputs, o.timeout, null);
        Counts counts = countOutputs(cluster.bootstrap(), topics, before, cluster.endOffsets(outputs, true));
        System.out.printf(Locale.ROOT, "[tlsmon %s] %,d attempts, %,d alerts, %,d dead letters%n    attempts by outcome: %s%n    alerts by rule and type: %s%n",
                guarantee, counts.attempts, counts.alerts, counts.deadLetters, counts.attemptsByOutcome, counts.alertsByRuleAndType);
        Round r = new Round(guarantee, cps, cp, floor, tlsmon, counts);
        System.out.printf(Locale.ROOT, "[%s %s] ratio-to-consumer %.4f ratio-to-streams-floor %.4f%n", tag, guarantee, r.ratioToConsumer(), r.ratioToFloor());
        return r;
    }

    record Counts(long attempts, long alerts, long deadLetters, Map<String, Long> alertsByRuleAndType, Map<String, Long> attemptsByOutcome) {
    }

    /** Reads what the run wrote (committed records only), and tallies attempts by outcome and alerts by rule. */
    private static Counts countOutputs(String bootstrap, Topics topics, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Deserializer<NegotiationAttempt> attempts = topics.attempts().valueSerde().deserializer();
        Deserializer<Alert> alerts = topics.alerts().valueSerde().deserializer();
        Map<String, Long> byOutcome = new TreeMap<>();
        Map<String, Long> byRule = new TreeMap<>();
        long[] n = new long[3];
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>(to.keySet());
            consumer.assign(parts);
            parts.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < to.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= to.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    if (r.topic().equals(topics.attempts().name())) {
                        n[0]++;
                        byOutcome.merge(attempts.deserialize(r.topic(), r.value()).getOutcome().name(), 1L, Long::sum);
                    } else if (r.topic().equals(topics.alerts().name())) {
                        n[1]++;
                        Alert a = alerts.deserialize(r.topic(), r.value());
                        byRule.merge(a.getRule() + " " + a.getType(), 1L, Long::sum);
                    } else {
                        n[2]++;
                    }
                }
            }
        }
        return new Counts(n[0], n[1], n[2], byRule, byOutcome);
    }

    // ------------------------------------------------------------------ report

    private static void report(Options o, BenchCluster.Loaded loaded, List<Round> rounds) {
        Round worstConsumer = rounds.get(0);
        Round worstFloor = rounds.get(0);
        for (Round r : rounds) {
            // ties go to the later guarantee
            worstConsumer = r.ratioToConsumer() <= worstConsumer.ratioToConsumer() ? r : worstConsumer;
            worstFloor = r.ratioToFloor() <= worstFloor.ratioToFloor() ? r : worstFloor;
        }
        System.out.printf(Locale.ROOT, "%n==== e2e: %,d lines (%.1f MB of log text), %d partition(s), %d stream thread(s), commit.interval.ms %s, "
                        + "one JVM (max heap %d MiB); aims: ratio-to-consumer >= 0.333, ratio-to-streams-floor >= 0.667 (1 partition, 1 thread); "
                        + "last line: the lower of each ratio over %s: ratio-to-consumer from %s, ratio-to-streams-floor from %s ====%n",
                loaded.lines(), loaded.textBytes() / 1e6, o.partitions, o.threads, o.commitInterval, Runtime.getRuntime().maxMemory() >> 20,
                String.join(",", o.guarantees), worstConsumer.guarantee, worstFloor.guarantee);
        System.out.println("| guarantee | ConsumerPerformance records/s (median) | Streams floor lines/s | tlsmon lines/s | ratio-to-consumer "
                + "| ratio-to-streams-floor | floor ÷ ConsumerPerformance | tlsmon s | CPU s (CP thread / floor / tlsmon stream threads) "
                + "| attempts | alerts | dead letters | load avg (CP / floor / tlsmon) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Round r : rounds) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.4f | %.4f | %.4f | %.1f | %.1f / %.1f / %.1f | %,d | %,d | %,d | %.2f / %.2f / %.2f |%n",
                    r.guarantee, r.consumer.fetchRate(), r.floor.rate(), r.tlsmon.rate(), r.ratioToConsumer(), r.ratioToFloor(),
                    r.floorToConsumer(), r.tlsmon.seconds(), r.consumer.cpuSeconds(), r.floor.streamThreadCpuSeconds(), r.tlsmon.streamThreadCpuSeconds(),
                    r.counts.attempts, r.counts.alerts, r.counts.deadLetters,
                    r.consumer.load(), r.floor.load(), r.tlsmon.load());
        }
        System.out.printf(Locale.ROOT, "ratio-to-consumer %.4f ratio-to-streams-floor %.4f%n", worstConsumer.ratioToConsumer(), worstFloor.ratioToFloor());
    }

    // ------------------------------------------------------------------ --dump

    private static void dump(Path dir, long lines, long seed) throws IOException {
        MailLogWorkload workload = new MailLogWorkload(lines, seed);
        Map<MailLogWorkload.LogStream, BufferedWriter> files = new HashMap<>();
        try {
            while (workload.hasNext()) {
                MailLogWorkload.Line l = workload.next();
                BufferedWriter w = files.get(l.stream());
                if (w == null) {
                    MailLogWorkload.LogStream s = l.stream();
                    String name = s.path().substring(Math.max(s.path().lastIndexOf('\\'), s.path().lastIndexOf('/')) + 1);
                    Path file = dir.resolve(s.sourceHost()).resolve(name);
                    Files.createDirectories(file.getParent());
                    w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                    w.write("# composed by the tlsmon benchmark from the documented formats; not a real server's log\n");
                    if (s.header() != null) {
                        w.write(s.header() + "\n");
                    }
                    files.put(s, w);
                }
                w.write(l.text());
                w.write('\n');
            }
        } finally {
            for (BufferedWriter w : files.values()) {
                w.close();
            }
        }
        System.out.printf(Locale.ROOT, "wrote %,d lines to %s%n", lines, dir);
    }
}
