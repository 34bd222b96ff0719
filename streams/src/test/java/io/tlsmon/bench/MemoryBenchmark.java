package io.tlsmon.bench;

import io.tlsmon.schemas.registry.FakeConfluentRegistryServer;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: the memory run ({@code benchmarks/memory.sh}). Peak RSS of a JVM running the tlsmon
 * topology over a workload of many distinct senders, against the heap limit plus the RocksDB bound.
 *
 * <ol>
 *   <li>This JVM starts the embedded broker and an HTTP schema registry (the schemas test fake, so that
 *       two JVMs share the schema ids), and produces {@link MailLogWorkload#distinctSenders}: one Postfix
 *       session from each of {@code --senders} distinct addresses;</li>
 *   <li>it starts {@link MemoryChild}, a second JVM with {@code -Xmx} = {@code --app-heap} and
 *       {@code tlsmon.rocksdb.memory.bytes} = {@code --rocksdb-bytes}, which runs only the topology;</li>
 *   <li>waits until the app has committed every input record ({@link Drain}), sampling the child's
 *       {@code /proc/PID/status} every second;</li>
 *   <li>asks the child for its own report ({@code /proc/self/status} VmHWM, heap, Native Memory
 *       Tracking summary, store sizes), stops it, and prints the figures; the last line is
 *       {@code peak-rss-mib X bound-mib Y heap-max-mib H rocksdb-bound-mib R}.</li>
 * </ol>
 */
public final class MemoryBenchmark {
    private static final String USAGE = "usage: MemoryBenchmark [--senders N] [--app-heap 512m] [--rocksdb-bytes BYTES] "
            + "[--partitions P] [--threads T] [--guarantee at_least_once|exactly_once_v2] [--commit-interval-ms MS|default] "
            + "[--session-gap-ms MS] [--seed S] [--child-jvm-opts '...'] [--set key=value,...] [--timeout-minutes M]";

    private MemoryBenchmark() {
    }

    public static void main(String[] args) {
        BenchCluster.quietLogs();
        try {
            run(args);
        } catch (Throwable t) {
            System.out.flush();
            System.err.println("memory benchmark failed:");
            t.printStackTrace();
            System.exit(1);
        }
        System.out.flush();
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(USAGE);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        for (String k : m.keySet()) {
            if (!List.of("senders", "app-heap", "rocksdb-bytes", "partitions", "threads", "guarantee", "commit-interval-ms", "session-gap-ms",
                    "seed", "child-jvm-opts", "set", "timeout-minutes").contains(k)) {
                throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
            }
        }
        int senders = Integer.parseInt(m.getOrDefault("senders", "1000000").replace("_", ""));
        String appHeap = m.getOrDefault("app-heap", "512m");
        long rocksdbBytes = Long.parseLong(m.getOrDefault("rocksdb-bytes", String.valueOf(64L << 20)));
        int partitions = Integer.parseInt(m.getOrDefault("partitions", "1"));
        int threads = Integer.parseInt(m.getOrDefault("threads", "1"));
        String guarantee = m.getOrDefault("guarantee", StreamsConfig.AT_LEAST_ONCE);
        String commitInterval = m.getOrDefault("commit-interval-ms", "default");
        double gapMs = Double.parseDouble(m.getOrDefault("session-gap-ms", "10"));
        long seed = Long.parseLong(m.getOrDefault("seed", "42"));
        Duration timeout = Duration.ofMinutes(Long.parseLong(m.getOrDefault("timeout-minutes", "90")));
        List<String> childOpts = new ArrayList<>();
        for (String s : m.getOrDefault("child-jvm-opts", "").trim().split("\\s+")) {
            if (!s.isEmpty()) {
                childOpts.add(s);
            }
        }

        System.out.printf(Locale.ROOT, "tlsmon memory run: %,d distinct senders, app -Xmx%s, tlsmon.rocksdb.memory.bytes %,d, %d partition(s), "
                        + "%d stream thread(s), %s, commit.interval.ms %s; %d CPUs, load average %.2f%n",
                senders, appHeap, rocksdbBytes, partitions, threads, guarantee, commitInterval,
                Runtime.getRuntime().availableProcessors(), BenchCluster.loadAverage());

        try (BenchCluster cluster = BenchCluster.start(); FakeConfluentRegistryServer registry = FakeConfluentRegistryServer.start()) {
            String appId = "mem-tlsmon";
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
            settings.put(TlsmonConfig.TOPIC_PREFIX_CONFIG, "mem-");
            settings.put(TlsmonConfig.TOPIC_PARTITIONS_CONFIG, String.valueOf(partitions));
            settings.put(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
            settings.put(TlsmonConfig.ROCKSDB_MEMORY_BYTES_CONFIG, String.valueOf(rocksdbBytes));
            settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
            settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
            if (!commitInterval.equals("default")) {
                settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(Long.parseLong(commitInterval)));
            }
            for (String kv : m.getOrDefault("set", "").split(",")) {
                if (!kv.isBlank()) {
                    settings.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
                }
            }
            Topics topics = Topics.of(new TlsmonConfig(new HashMap<>(settings)));
            cluster.createTopics(partitions, topics.externalNames());
            MailLogWorkload workload = MailLogWorkload.distinctSenders(senders, seed, gapMs);
            BenchCluster.Loaded loaded = cluster.produce(topics, workload);
            System.out.println("produced " + loaded.describe() + " (" + String.format(Locale.ROOT, "%,d", senders)
                    + " distinct sender addresses, one session each)");

            BenchCluster.settle();
            Path stateDir = BenchCluster.tempDir("tlsmon-mem-state-");
            settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx" + appHeap);
            cmd.add("-XX:NativeMemoryTracking=summary");
            cmd.addAll(childOpts);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(MemoryChild.class.getName());
            settings.forEach((k, v) -> cmd.add(k + "=" + v));
            System.out.println("app JVM: " + String.join(" ", cmd.subList(0, cmd.indexOf("-cp"))) + " -cp <this classpath> "
                    + MemoryChild.class.getName() + " " + String.join(" ", cmd.subList(cmd.indexOf(MemoryChild.class.getName()) + 1, cmd.size())));
            double loadAtStart = BenchCluster.loadAverage();
            Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            // if this JVM is stopped, the app JVM goes too (at once: its broker is gone with this one)
            Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly, "memory-child-stop"));
            Path status = Path.of("/proc", String.valueOf(child.pid()), "status");
            Map<String, Long> report = new ConcurrentHashMap<>();
            CountDownLatch reported = new CountDownLatch(1);
            Thread reader = new Thread(() -> pipe(child, report, reported), "memory-child-stdout");
            reader.setDaemon(true);
            reader.start();
            Writer toChild = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);

            long t0 = System.nanoTime();
            long peakSampled = 0;
            // RSS when a quarter, half, three quarters and all of the raw lines were committed
            long[] rssAt = new long[4];
            long lastReport = t0;
            Long done = null;
            try (Drain drain = new Drain(cluster.admin(), cluster.bootstrap(), appId, List.of(topics.rawLines().name(), topics.shippedLines().name()))) {
                while (done == null) {
                    Thread.sleep(1_000);
                    if (!child.isAlive()) {
                        throw new IllegalStateException("the app JVM exited with " + child.exitValue());
                    }
                    done = drain.check();
                    Map<String, Long> s = MemoryChild.procStatus(status);
                    long rss = s.getOrDefault("VmRSS", 0L);
                    peakSampled = Math.max(peakSampled, rss);
                    double share = (double) drain.externalCommitted() / loaded.lines();
                    for (int q = 0; q < 4; q++) {
                        if (rssAt[q] == 0 && (share >= (q + 1) / 4.0 || done != null)) {
                            rssAt[q] = rss;
                        }
                    }
                    long now = System.nanoTime();
                    if (now - lastReport > 10_000_000_000L) {
                        lastReport = now;
                        System.out.printf(Locale.ROOT, "  %6.0f s: %,d of %,d raw lines committed, app RSS %,d MiB (peak %,d MiB), load %.2f%n",
                                (now - t0) / 1e9, drain.externalCommitted(), loaded.lines(), rss >> 10, s.getOrDefault("VmHWM", 0L) >> 10,
                                BenchCluster.loadAverage());
                    }
                    if (done == null && now - t0 > timeout.toNanos()) {
                        throw new IllegalStateException("the app did not drain in " + timeout);
                    }
                }
            }
            double seconds = (done - t0) / 1e9;
            Map<TopicPartition, Long> outs = cluster.endOffsets(List.of(topics.attempts().name(), topics.alerts().name(),
                    topics.deadLetters().name()), true);
            long attempts = sum(outs, topics.attempts().name());
            long alerts = sum(outs, topics.alerts().name());
            long dead = sum(outs, topics.deadLetters().name());

            toChild.write("report\n");
            toChild.flush();
            if (!reported.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the app JVM did not report its memory");
            }
            toChild.write("stop\n");
            toChild.flush();
            if (!child.waitFor(2, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
            reader.join(5_000);
            BenchCluster.deleteTree(stateDir);

            long heapMaxKb = report.getOrDefault("heap.max", 0L);
            long peakKb = report.getOrDefault("proc.VmHWM", 0L);
            long boundKb = heapMaxKb + (rocksdbBytes >> 10);
            long nmtKb = report.getOrDefault("nmt.total", 0L);
            long rssKb = report.getOrDefault("proc.VmRSS", 0L);
            System.out.printf(Locale.ROOT, "%n==== memory: %,d distinct senders (%,d lines), %d partition(s), %d thread(s), %s; app -Xmx%s, "
                            + "tlsmon.rocksdb.memory.bytes %,d; drained in %.0f s (%,.0f lines/s); load average %.2f at the start ====%n",
                    senders, loaded.lines(), partitions, threads, guarantee, appHeap, rocksdbBytes, seconds, loaded.lines() / seconds, loadAtStart);
            System.out.printf(Locale.ROOT, "outputs: %,d attempts, %,d alerts, %,d dead letters (committed records in the output topics)%n", attempts, alerts, dead);
            System.out.printf(Locale.ROOT, "store key estimates: %s%n", prefixed(report, "store."));
            System.out.printf(Locale.ROOT, "app RSS when 1/4, 1/2, 3/4, all of the lines were committed: %,d / %,d / %,d / %,d MiB (sampled peak %,d MiB)%n",
                    rssAt[0] >> 10, rssAt[1] >> 10, rssAt[2] >> 10, rssAt[3] >> 10, peakSampled >> 10);
            System.out.printf(Locale.ROOT, "app /proc/self/status at the end: VmHWM %,d MiB, VmRSS %,d MiB (RssAnon %,d, RssFile %,d, RssShmem %,d MiB)%n",
                    peakKb >> 10, rssKb >> 10, report.getOrDefault("proc.RssAnon", 0L) >> 10, report.getOrDefault("proc.RssFile", 0L) >> 10,
                    report.getOrDefault("proc.RssShmem", 0L) >> 10);
            System.out.printf(Locale.ROOT, "app heap: max %,d MiB, committed %,d MiB, used %,d MiB at the end%n",
                    heapMaxKb >> 10, report.getOrDefault("heap.committed", 0L) >> 10, report.getOrDefault("heap.used", 0L) >> 10);
            System.out.printf(Locale.ROOT, "app NMT committed (MiB): total %,d; %s%n", nmtKb >> 10, prefixedMib(report, "nmt."));
            System.out.printf(Locale.ROOT, "RSS not tracked by NMT (RocksDB's allocations, the JNI library, glibc arenas): about %,d MiB "
                            + "(VmRSS - NMT committed; NMT counts committed, not resident, pages)%n", (rssKb - nmtKb) >> 10);
            System.out.printf(Locale.ROOT, "RocksDB (Kafka Streams' metrics, the cache shared by all stores): block cache usage %,d MiB of %,d MiB "
                            + "(pinned %,d MiB), memtables %,d MiB (charged to the cache), table readers %,d MiB; SST files on disk %,d MiB; %,d keys%n",
                    report.getOrDefault("rocksdb.block-cache-usage", -1L) >> 10, report.getOrDefault("rocksdb.block-cache-capacity", -1L) >> 10,
                    report.getOrDefault("rocksdb.block-cache-pinned-usage", -1L) >> 10, report.getOrDefault("rocksdb.size-all-mem-tables", -1L) >> 10,
                    report.getOrDefault("rocksdb.estimate-table-readers-mem", -1L) >> 10, report.getOrDefault("rocksdb.total-sst-files-size", -1L) >> 10,
                    report.getOrDefault("rocksdb.estimate-num-keys", -1L));
            System.out.printf(Locale.ROOT, "peak RSS %,d MiB vs -Xmx + tlsmon.rocksdb.memory.bytes = %,d + %,d = %,d MiB: %s%n",
                    peakKb >> 10, heapMaxKb >> 10, rocksdbBytes >> 20, boundKb >> 10,
                    peakKb <= boundKb ? "under, by " + ((boundKb - peakKb) >> 10) + " MiB" : "OVER, by " + ((peakKb - boundKb) >> 10) + " MiB");
            System.out.printf(Locale.ROOT, "peak-rss-mib %d bound-mib %d heap-max-mib %d rocksdb-bound-mib %d%n",
                    peakKb >> 10, boundKb >> 10, heapMaxKb >> 10, rocksdbBytes >> 20);
        }
    }

    private static long sum(Map<TopicPartition, Long> offsets, String topic) {
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic)).mapToLong(Map.Entry::getValue).sum();
    }

    private static String prefixed(Map<String, Long> report, String prefix) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(report).forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                b.append(b.length() == 0 ? "" : ", ").append(k.substring(prefix.length())).append(' ').append(String.format(Locale.ROOT, "%,d", v));
            }
        });
        return b.toString();
    }

    private static String prefixedMib(Map<String, Long> report, String prefix) {
        StringBuilder b = new StringBuilder();
        report.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && !e.getKey().equals(prefix + "total"))
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey().substring(prefix.length())).append(' ')
                        .append(e.getValue() >> 10));
        return b.toString();
    }

    /** Echoes the child's stdout with a prefix and collects its {@code memory KEY VALUE} report lines. */
    private static void pipe(Process child, Map<String, Long> report, CountDownLatch reported) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println("  [app] " + line);
                if (line.equals("memory end")) {
                    reported.countDown();
                } else if (line.startsWith("memory ")) {
                    String[] p = line.split(" ");
                    if (p.length == 3) {
                        try {
                            report.put(p[1], Long.parseLong(p[2]));
                        } catch (NumberFormatException ignored) {
                            // not a figure
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            System.out.println("  [app] (output closed: " + e + ")");
        }
    }
}
