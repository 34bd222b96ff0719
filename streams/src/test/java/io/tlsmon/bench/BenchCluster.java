package io.tlsmon.bench;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.RawLineRecords;
import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.tail.ShipperConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The benchmarks' broker and the loading of their raw topic: {@link EmbeddedKafkaBroker} (KRaft, in
 * this JVM) with time retention off, and the workload produced as a shipper would.
 */
final class BenchCluster implements AutoCloseable {
    /** Folders to remove if the JVM is stopped (Ctrl-C, kill) before the benchmark removes them itself. */
    private static final java.util.Set<Path> LEFT_BEHIND = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final EmbeddedKafkaBroker broker;
    private final Admin admin;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private BenchCluster(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        this.admin = broker.admin();
        // a stopped benchmark must not leave the broker's data (gigabytes) in the temporary folder
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                close();
            } catch (RuntimeException ignored) {
                // stopping anyway
            }
            for (Path p : LEFT_BEHIND) {
                try {
                    deleteTree(p);
                } catch (IOException | RuntimeException ignored) {
                    // best effort
                }
            }
        }, "bench-cleanup"));
    }

    /** A temporary folder that the benchmark deletes, and that is deleted on exit if it is still there. */
    static Path tempDir(String prefix) throws IOException {
        Path p = Files.createTempDirectory(prefix);
        LEFT_BEHIND.add(p);
        return p;
    }

    /**
     * The workload's lines (and so the records' timestamps) are from 2025: with the broker's default
     * time retention (7 days) the log cleaner deletes them, and the apps' outputs, within minutes.
     */
    static BenchCluster start() {
        return new BenchCluster(EmbeddedKafkaBroker.start(Map.of("log.retention.ms", "-1")));
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    Admin admin() {
        return admin;
    }

    void createTopics(int partitions, Collection<String> names) {
        broker.createTopics(partitions, names.toArray(String[]::new));
    }

    /** What {@link #produce} wrote. */
    record Loaded(long lines, long textBytes, long firstTime, long lastTime, double seconds, Map<TopicPartition, Long> perPartition) {
        String describe() {
            return String.format(Locale.ROOT, "%,d raw lines (%.1f MB of log text, %s .. %s of log time) in %.1f s = %,.0f lines/s; per partition %s",
                    lines, textBytes / 1e6, Instant.ofEpochMilli(firstTime), Instant.ofEpochMilli(lastTime), seconds, lines / seconds,
                    perPartition.values());
        }
    }

    /**
     * Produces every line of {@code workload} to the raw topic: RawLine Avro (the topic's serde), key
     * {@code host|kind}, timestamp = line time, with the shipper's producer settings (lz4, 256 KB
     * batches, linger 20 ms), idempotent. Fails unless every send succeeded and the topic holds exactly
     * the lines sent.
     */
    Loaded produce(Topics topics, Iterator<MailLogWorkload.Line> workload) throws Exception {
        Map<String, Object> p = new HashMap<>(ShipperConfig.defaultProducerSettings());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        String topic = topics.rawLines().name();
        Map<TopicPartition, Long> before = endOffsets(java.util.List.of(topic), false);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long bytes = 0;
        long lines = 0;
        long first = -1;
        long last = -1;
        long start = System.nanoTime();
        try (KafkaProducer<String, RawLine> producer = new KafkaProducer<>(p, new StringSerializer(),
                topics.rawLines().valueSerde().serializer())) {
            while (workload.hasNext() && failure.get() == null) {
                MailLogWorkload.Line l = workload.next();
                MailLogWorkload.LogStream s = l.stream();
                RawLine value = RawLineRecords.rawLine(s.sourceHost(), s.logKind(), s.path(), l.offset(), l.lineNumber(),
                        l.text(), l.time(), s.header());
                bytes += l.text().length();
                lines++;
                first = first < 0 ? l.time() : first;
                last = l.time();
                producer.send(new ProducerRecord<>(topic, null, l.time(), s.key(), value), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the workload failed", failure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<TopicPartition, Long> after = endOffsets(java.util.List.of(topic), false);
        Map<TopicPartition, Long> added = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        long total = 0;
        for (var e : after.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            added.put(e.getKey(), n);
            total += n;
        }
        if (total != lines || acked.get() != lines) {
            throw new IllegalStateException("sent " + lines + " lines, acknowledged " + acked.get() + ", the topic grew by " + total);
        }
        return new Loaded(lines, bytes, first, last, seconds, added);
    }

    /** Latest offsets of every partition of {@code topics}; read_committed: the last stable offsets. */
    Map<TopicPartition, Long> endOffsets(Collection<String> topics, boolean readCommitted) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        admin.listOffsets(request, new ListOffsetsOptions(readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED))
                .all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            admin.close(java.time.Duration.ofSeconds(10));
        } finally {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ small shared helpers

    /**
     * Waits (at most 45 s) until the kernel has written back what the broker just wrote: Dirty +
     * Writeback in /proc/meminfo below 64 MiB. With a large page cache, Linux starts writing dirty
     * pages back only after 30 s (vm.dirty_expire_centisecs), so without this the write-back of the
     * produced topic (hundreds of MB) falls into whatever is measured next.
     */
    static void settle() throws InterruptedException {
        long start = System.nanoTime();
        long dirty = dirtyKb();
        while (dirty >= 64 * 1024 && System.nanoTime() - start < 45_000_000_000L) {
            Thread.sleep(500);
            dirty = dirtyKb();
        }
        System.out.printf(Locale.ROOT, "settle: %.1f s until the page cache's Dirty + Writeback were %,d MiB%s%n",
                (System.nanoTime() - start) / 1e9, Math.max(0, dirty) >> 10, dirty >= 64 * 1024 ? " (gave up waiting)" : "");
    }

    private static long dirtyKb() {
        try {
            long kb = 0;
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("Dirty:") || l.startsWith("Writeback:")) {
                    kb += Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
            return kb;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1-minute load average of the machine, from /proc/loadavg (NaN when unreadable). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** slf4j-simple defaults for the benchmarks (each overridable with -D): warnings, Kafka's errors only. */
    static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error"));
        System.setProperty("org.slf4j.simpleLogger.log.kafka", System.getProperty("org.slf4j.simpleLogger.log.kafka", "error"));
        // Under exactly-once (transactions v2) the broker rejects, and logs as an ERROR, a transaction's
        // batch that arrives before the batch with sequence 0; the producer retries it (a retriable
        // OutOfOrderSequenceException, KAFKA-18202). Not a failure of the run: hidden unless asked for.
        System.setProperty("org.slf4j.simpleLogger.log.kafka.server.ReplicaManager",
                System.getProperty("org.slf4j.simpleLogger.log.kafka.server.ReplicaManager", "off"));
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        LEFT_BEHIND.remove(dir);
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
