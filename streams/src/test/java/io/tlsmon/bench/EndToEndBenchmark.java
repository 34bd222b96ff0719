package io.tlsmon.bench;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.RawLineRecords;
import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.tail.ShipperConfig;
import io.tlsmon.topology.StoreNames;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.TlsmonTopology;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.tools.ConsumerPerformance;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Not a test: end-to-end throughput of the real tlsmon topology through a real (embedded, KRaft)
 * broker, against Kafka's own consumer on the same topic.
 *
 * <ol>
 *   <li>starts {@link EmbeddedKafkaBroker}, creates tlsmon's topics ({@code --partitions}, default 1);</li>
 *   <li>produces {@code --lines} raw lines of a {@link MailLogWorkload} (RawLine Avro, key
 *       {@code host|kind}, the shipper's producer settings: lz4, 256 KB batches) to the raw topic;</li>
 *   <li>runs {@code org.apache.kafka.tools.ConsumerPerformance} (in this JVM) over that topic;</li>
 *   <li>starts one KafkaStreams instance of {@link TlsmonTopology#build} (RocksDB stores, one stream
 *       thread) per {@code --guarantee}, and times it from {@code start()} until it has processed
 *       every raw line and every attempt it re-partitioned, and its outputs stopped growing;</li>
 *   <li>runs ConsumerPerformance again, and prints lines/s of both and their ratio.</li>
 * </ol>
 *
 * <pre>
 * mvn -B -o -q -pl streams -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp streams/target/test-classes:streams/target/classes:$(cat /tmp/cp.txt) io.tlsmon.bench.EndToEndBenchmark \
 *      --lines 1000000 --guarantee at_least_once,exactly_once_v2
 * </pre>
 *
 * {@code --set key=value,...} adds Kafka Streams or tlsmon settings to the app (for experiments).
 *
 * {@code --dump DIR} writes the workload as log files instead (for {@code ./tlsmon classify DIR}).
 */
public final class EndToEndBenchmark {
    private static final String PREFIX = "bench-";
    private static final long POLL_MS = 200;
    private static final int STABLE_POLLS = 3;

    private EndToEndBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        Map<String, String> opts = options(args);
        long lines = Long.parseLong(opts.getOrDefault("lines", "1000000"));
        int partitions = Integer.parseInt(opts.getOrDefault("partitions", "1"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        List<String> guarantees = List.of(opts.getOrDefault("guarantee", StreamsConfig.AT_LEAST_ONCE).split(","));
        if (opts.containsKey("dump")) {
            dump(Path.of(opts.get("dump")), lines, seed);
            return;
        }

        // The workload's lines (and so the records' timestamps) are from 2025: with the broker's default
        // time retention (7 days) the log cleaner deletes them, and the app's outputs, within minutes.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of("log.retention.ms", "-1"))) {
            String bootstrap = broker.bootstrapServers();
            Map<String, Object> base = new HashMap<>();
            base.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            base.put(TlsmonConfig.TOPIC_PREFIX_CONFIG, PREFIX);
            base.put(TlsmonConfig.TOPIC_PARTITIONS_CONFIG, partitions);
            base.put(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://bench");
            // --set k=v,k=v: extra Kafka Streams or tlsmon settings, for experiments (e.g. max.task.idle.ms=-1)
            for (String kv : opts.getOrDefault("set", "").split(",")) {
                if (!kv.isBlank()) {
                    base.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
                }
            }
            Topics topics = Topics.of(new TlsmonConfig(base));
            broker.createTopics(partitions, topics.externalNames().toArray(String[]::new));
            String raw = topics.rawLines().name();
            System.out.printf(Locale.ROOT, "broker %s, topics with %d partition(s), %s%n", bootstrap, partitions, topics.externalNames());

            long bytes = produce(bootstrap, topics, lines, seed);

            List<Map<String, String>> rawRuns = new ArrayList<>();
            rawRuns.add(consumerPerformance(bootstrap, raw, lines, "cp-before"));
            List<PipelineResult> pipelineRuns = new ArrayList<>();
            for (int i = 0; i < guarantees.size(); i++) {
                pipelineRuns.add(runPipeline(broker, base, topics, lines, partitions, guarantees.get(i).trim(), i + 1));
            }
            rawRuns.add(consumerPerformance(bootstrap, raw, lines, "cp-after"));
            report(lines, partitions, bytes, rawRuns, pipelineRuns);
        }
    }

    // ------------------------------------------------------------------ load the raw topic

    private static long produce(String bootstrap, Topics topics, long lines, long seed) {
        Map<String, Object> p = new HashMap<>(ShipperConfig.defaultProducerSettings());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        long bytes = 0;
        long start = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        MailLogWorkload workload = new MailLogWorkload(lines, seed);
        long first = -1;
        long last = -1;
        try (KafkaProducer<String, RawLine> producer = new KafkaProducer<>(p, new StringSerializer(),
                topics.rawLines().valueSerde().serializer())) {
            while (workload.hasNext()) {
                MailLogWorkload.Line l = workload.next();
                MailLogWorkload.LogStream s = l.stream();
                RawLine value = RawLineRecords.rawLine(s.sourceHost(), s.logKind(), s.path(), l.offset(), l.lineNumber(),
                        l.text(), l.time(), s.header());
                bytes += l.text().length();
                first = first < 0 ? l.time() : first;
                last = l.time();
                producer.send(new ProducerRecord<>(topics.rawLines().name(), null, l.time(), s.key(), value), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the workload failed", failure.get());
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "produced %,d raw lines (%.1f MB of log text, %s .. %s of log time) in %.1f s = %,.0f lines/s%n",
                lines, bytes / 1e6, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), s, lines / s);
        return bytes;
    }

    // ------------------------------------------------------------------ Kafka's own consumer

    /** Runs ConsumerPerformance in this JVM, echoing and parsing its CSV output (header → value). */
    private static Map<String, String> consumerPerformance(String bootstrap, String topic, long lines, String group) {
        String[] args = {"--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Long.toString(lines),
            "--group", group, "--timeout", "120000"};
        System.out.println("ConsumerPerformance " + String.join(" ", args));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try {
            ConsumerPerformance.main(args);
        } finally {
            System.setOut(original);
        }
        List<String> out = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(",")).toList();
        if (out.size() < 2) {
            throw new IllegalStateException("unexpected ConsumerPerformance output: " + out);
        }
        String[] names = out.get(out.size() - 2).split(",");
        String[] values = out.get(out.size() - 1).split(",");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            m.put(names[i].trim(), values[i].trim());
        }
        return m;
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

    // ------------------------------------------------------------------ the tlsmon topology

    record PipelineResult(String guarantee, double seconds, double steadySeconds, long attempts, long alerts,
                          long deadLetters, long repartitioned, double streamThreadCpuSeconds, double processCpuSeconds,
                          Map<String, Long> alertsByRuleAndType, Map<String, Long> attemptsByOutcome) {
    }

    private static PipelineResult runPipeline(EmbeddedKafkaBroker broker, Map<String, Object> base, Topics topics,
                                              long lines, int partitions, String guarantee, int run) throws Exception {
        // a fresh application id per run: each run reads the raw topic from the start, with empty state
        String appId = "e2e-" + run + "-" + guarantee.replace('_', '-');
        Path stateDir = Files.createTempDirectory("tlsmon-e2e-state-");
        Map<String, Object> settings = new HashMap<>(base);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        TlsmonConfig config = new TlsmonConfig(settings);
        StreamsBuilder builder = new StreamsBuilder();
        TlsmonTopology.build(builder, config);
        var props = config.streamsProperties();
        String repartition = appId + "-" + StoreNames.ATTEMPTS_BY_SENDER + "-repartition";
        List<String> outputs = List.of(topics.attempts().name(), topics.alerts().name(), topics.deadLetters().name());

        try (Admin admin = broker.admin()) {
            Map<TopicPartition, Long> baseline = endOffsets(admin, outputs);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            AtomicReference<Throwable> died = new AtomicReference<>();
            KafkaStreams streams = new KafkaStreams(builder.build(props), props);
            streams.setUncaughtExceptionHandler(e -> {
                died.set(e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            System.out.printf(Locale.ROOT, "%n[%s] starting tlsmon (application.id %s, state.dir %s)%n", guarantee, appId, stateDir);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            streams.start();
            long firstProcessed = -1;
            long lastReport = t0;
            List<Object> previous = null;
            int stableFor = 0;
            long doneAt = -1;
            long candidateAt = -1;
            long candidateCpu = 0;
            double candidateStreamCpu = 0;
            while (doneAt < 0) {
                Thread.sleep(POLL_MS);
                if (died.get() != null || streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("tlsmon died", died.get());
                }
                long now = System.nanoTime();
                Progress p = progress(streams, topics.rawLines().name(), repartition);
                if (firstProcessed < 0 && p.processed > 0) {
                    firstProcessed = now;
                }
                Map<TopicPartition, Long> ends = endOffsets(admin, outputs);
                List<Object> snapshot = List.of(p.processed, p.rawFetched, p.repartitionFetched, ends);
                // lag 0 on every input partition and nothing processed or written for a while: drained.
                // (The per-topic records-consumed metrics are shown but not relied on: they can restart from 0.)
                boolean drained = p.processed >= lines && p.lagPartitions >= 2L * partitions && p.lag == 0;
                if (drained && snapshot.equals(previous)) {
                    if (++stableFor >= STABLE_POLLS) {
                        doneAt = candidateAt;
                    }
                } else {
                    // the end is the first poll at which the final state was seen
                    stableFor = 0;
                    previous = snapshot;
                    candidateAt = now;
                    candidateCpu = os.getProcessCpuTime();
                    candidateStreamCpu = streamThreadCpu(threads);
                }
                if (now - lastReport > 5_000_000_000L) {
                    lastReport = now;
                    System.out.printf(Locale.ROOT, "  %5.1f s: %,d raw lines fetched, %,d records processed, %,d attempts re-partitioned, lag %d (%d partitions), %s%n",
                            (now - t0) / 1e9, p.rawFetched, p.processed, p.repartitionFetched, p.lag, p.lagPartitions, streams.state());
                }
                if (now - t0 > Duration.ofMinutes(30).toNanos()) {
                    throw new IllegalStateException("tlsmon did not drain the raw topic in 30 minutes: " + p);
                }
            }
            double seconds = (doneAt - t0) / 1e9;
            double steady = (doneAt - firstProcessed) / 1e9;
            double processCpu = (candidateCpu - cpu0) / 1e9;
            double streamCpu = candidateStreamCpu;
            Progress p = progress(streams, topics.rawLines().name(), repartition);
            streams.close(Duration.ofSeconds(60));
            streams.cleanUp();
            deleteTree(stateDir);

            Counts counts = countOutputs(broker.bootstrapServers(), topics, baseline, endOffsets(admin, outputs));
            PipelineResult r = new PipelineResult(guarantee, seconds, steady, counts.attempts, counts.alerts, counts.deadLetters,
                    p.repartitionFetched, streamCpu, processCpu, counts.alertsByRuleAndType, counts.attemptsByOutcome);
            System.out.printf(Locale.ROOT, "[%s] %,d lines in %.2f s = %,.0f lines/s (%.2f s and %,.0f lines/s from the first record processed); "
                            + "%,d attempts (%,.0f/s), %,d alerts, %,d dead letters; stream thread CPU %.1f s, process CPU %.1f s%n",
                    guarantee, lines, seconds, lines / seconds, steady, lines / steady, counts.attempts, counts.attempts / seconds,
                    counts.alerts, counts.deadLetters, streamCpu, processCpu);
            return r;
        }
    }

    record Progress(long processed, long rawFetched, long repartitionFetched, long lag, long lagPartitions) {
    }

    /** Records processed by the stream thread, fetched per input topic by its main consumer, and its lag. */
    private static Progress progress(KafkaStreams streams, String rawTopic, String repartitionTopic) {
        double processed = 0;
        double raw = 0;
        double rep = 0;
        double lag = 0;
        long lagPartitions = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            Object v = e.getValue().metricValue();
            if (!(v instanceof Double d) || d.isNaN()) {
                continue;
            }
            String client = n.tags().getOrDefault("client-id", "");
            boolean mainConsumer = client.endsWith("-consumer") && !client.endsWith("-restore-consumer");
            if (n.group().equals("stream-thread-metrics") && n.name().equals("process-total")) {
                processed += d;
            } else if (mainConsumer && n.group().equals("consumer-fetch-manager-metrics")) {
                String topic = n.tags().get("topic");
                if (topic == null) {
                    continue;
                }
                if (n.name().equals("records-consumed-total") && !n.tags().containsKey("partition")) {
                    if (topic.equals(rawTopic.replace('.', '_'))) {
                        raw += d;
                    } else if (topic.equals(repartitionTopic.replace('.', '_'))) {
                        rep += d;
                    }
                } else if (n.name().equals("records-lag") && n.tags().containsKey("partition")
                        && (topic.equals(rawTopic.replace('.', '_')) || topic.equals(repartitionTopic.replace('.', '_')))) {
                    lag += d;
                    lagPartitions++;
                }
            }
        }
        return new Progress((long) processed, (long) raw, (long) rep, (long) lag, lagPartitions);
    }

    private static double streamThreadCpu(ThreadMXBean threads) {
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("StreamThread")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, t);
            }
        }
        return total / 1e9;
    }

    /** Last stable offsets (read_committed: transactional output counts only once committed). */
    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    record Counts(long attempts, long alerts, long deadLetters, Map<String, Long> alertsByRuleAndType,
                  Map<String, Long> attemptsByOutcome) {
    }

    /** Reads what the run wrote (committed records only), and tallies attempts by outcome and alerts by rule. */
    private static Counts countOutputs(String bootstrap, Topics topics, Map<TopicPartition, Long> from,
                                       Map<TopicPartition, Long> to) {
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

    private static void report(long lines, int partitions, long bytes, List<Map<String, String>> rawRuns,
                               List<PipelineResult> pipelineRuns) {
        double rawBest = 0;
        System.out.printf(Locale.ROOT, "%n==== end-to-end benchmark: %,d lines (%.1f MB of log text), %d partition(s) ====%n",
                lines, bytes / 1e6, partitions);
        for (Map<String, String> r : rawRuns) {
            double rate = Double.parseDouble(r.get("nMsg.sec"));
            rawBest = Math.max(rawBest, rate);
            System.out.printf(Locale.ROOT, "ConsumerPerformance: %,.0f records/s (%s MB/s), fetch-only %s records/s, rebalance %s ms%n",
                    rate, r.get("MB.sec"), r.get("fetch.nMsg.sec"), r.get("rebalance.time.ms"));
        }
        for (PipelineResult p : pipelineRuns) {
            double rate = lines / p.seconds;
            System.out.printf(Locale.ROOT, "tlsmon %-16s %,.0f lines/s (%,.0f lines/s after start-up), %,.0f attempts/s, %,d attempts, "
                            + "%,d alerts, %,d dead letters, ratio to the best ConsumerPerformance run %.3f (target >= 0.333)%n",
                    p.guarantee + ":", rate, lines / p.steadySeconds, p.attempts / p.seconds, p.attempts, p.alerts, p.deadLetters,
                    rate / rawBest);
            System.out.printf(Locale.ROOT, "    stream thread CPU %.1f s of %.1f s (%.0f%%), whole JVM CPU %.1f s%n",
                    p.streamThreadCpuSeconds, p.seconds, 100 * p.streamThreadCpuSeconds / p.seconds, p.processCpuSeconds);
            System.out.println("    attempts by outcome: " + p.attemptsByOutcome);
            System.out.println("    alerts by rule and type: " + p.alertsByRuleAndType);
        }
    }

    // ------------------------------------------------------------------ helpers

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

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: [--lines N] [--partitions P] [--guarantee at_least_once,exactly_once_v2] "
                        + "[--seed S] [--set key=value,...] [--dump DIR]");
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error"));
        System.setProperty("org.slf4j.simpleLogger.log.kafka", System.getProperty("org.slf4j.simpleLogger.log.kafka", "error"));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
