package io.tlsmon.ingest.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.RawLineRecords;
import io.tlsmon.logs.StreamKey;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends archived logs (plain or {@code .gz}, several servers) to the raw topic in time order, as if
 * they were being shipped live: a k-way merge of all streams by line time (ties: stream order, then
 * line order; lines without a time keep their place in their stream), each record stamped with the
 * line's own time. The same input always gives the same sequence of records.
 *
 * <p>Streams are the input files, sorted by source host, then path. Records have the same key,
 * value and {@code tlsmon.source}/{@code tlsmon.offset} headers as the shipper's (offset = byte
 * offset in the decompressed file). The producer is idempotent with acks=all; a replay is not
 * resumable: run it again into a fresh topic, or accept duplicates. It stops at the first send error
 * (after the producer's own retries, i.e. {@code delivery.timeout.ms}); the summary then has
 * {@code errors > 0} and {@code firstError}. Once every line is sent, one end-of-stream marker per
 * stream key follows ({@link RawLineRecords#endOfStream}), so the topology closes the sessions the
 * archive left open exactly as {@code classify} closes them at the end of the same files.
 */
public final class ArchiveReplayer {
    private final ReplayConfig config;
    private final Serializer<RawLine> valueSerializer;

    /** @param valueSerializer the configured {@code RawLine} serializer; the replayer does not close it */
    public ArchiveReplayer(ReplayConfig config, Serializer<RawLine> valueSerializer) {
        this.config = config;
        this.valueSerializer = valueSerializer;
    }

    /** The files a replay would read, in stream order. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (ReplaySource s : sortedSources()) {
            out.addAll(filesOf(s));
        }
        return out;
    }

    /** Replays everything, reporting progress to {@code listener}; returns when every record is acknowledged. */
    public ReplaySummary run(ReplayProgressListener listener) {
        long startNanos = System.nanoTime();
        AtomicLong bytesRead = new AtomicLong();
        List<ArchiveStream> streams = new ArrayList<>();
        long totalBytes = 0;
        Map<String, Long> perStream = new LinkedHashMap<>();
        Map<String, AtomicLong> acked = new HashMap<>();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long sentLines = 0;
        long skipped = 0;
        long lines = 0;
        long firstTime = Long.MAX_VALUE;
        long lastTime = Long.MIN_VALUE;
        long fromMs = config.from() == null ? Long.MIN_VALUE : config.from().toEpochMilli();
        long toMs = config.to() == null ? Long.MAX_VALUE : config.to().toEpochMilli();
        try (KafkaProducer<String, RawLine> producer = newProducer()) {
            int index = 0;
            for (ReplaySource s : sortedSources()) {
                for (Path p : filesOf(s)) {
                    streams.add(new ArchiveStream(index++, s, p, bytesRead));
                    totalBytes += Files.size(p);
                    perStream.put(p.toString(), 0L);
                    acked.put(p.toString(), new AtomicLong());
                }
            }
            PriorityQueue<ArchiveStream> heap = new PriorityQueue<>(Math.max(1, streams.size()),
                Comparator.comparingLong((ArchiveStream a) -> headTime(a)).thenComparingInt(a -> a.index));
            for (ArchiveStream a : streams) {
                if (a.peek() != null) {
                    heap.add(a);
                }
            }
            long nextReport = System.nanoTime() + config.progressInterval().toNanos();
            while (!heap.isEmpty()) {
                if (errors.get() > 0) {
                    break; // the broker refused or is unreachable: stop, the summary says why
                }
                ArchiveStream a = heap.poll();
                ArchiveStream.Line line = a.take();
                lines++;
                long t = line.effectiveTime();
                if (t < fromMs || t >= toMs) {
                    skipped++;
                } else {
                    String stream = a.path.toString();
                    AtomicLong streamAcks = acked.get(stream);
                    producer.send(record(a, line), (md, ex) -> {
                        if (ex != null) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, ex.toString());
                        } else {
                            streamAcks.incrementAndGet();
                        }
                    });
                    sentLines++;
                    firstTime = Math.min(firstTime, t);
                    lastTime = Math.max(lastTime, t);
                }
                if (a.peek() != null) {
                    heap.add(a);
                } else {
                    a.close();
                }
                if (System.nanoTime() >= nextReport) {
                    listener.onProgress(progress(lines, bytesRead.get(), totalBytes, startNanos, false));
                    nextReport = System.nanoTime() + config.progressInterval().toNanos();
                }
            }
            if (errors.get() == 0) {
                // each stream's end, after all its lines: the topology closes what they left open
                java.util.TreeMap<String, ReplaySource> ends = new java.util.TreeMap<>();
                for (ReplaySource s : sortedSources()) {
                    ends.putIfAbsent(StreamKey.of(s.sourceHost(), s.format()).format(), s);
                }
                long endTime = lastTime == Long.MIN_VALUE ? System.currentTimeMillis() : lastTime;
                ends.forEach((key, s) -> producer.send(new ProducerRecord<>(config.topic(), null, endTime, key,
                    RawLineRecords.endOfStream(s.sourceHost(), StreamKey.kindLabel(s.format()))), (md, ex) -> {
                        if (ex != null) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, ex.toString());
                        }
                    }));
            }
            producer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read archive: " + e.getMessage(), e);
        } finally {
            for (ArchiveStream a : streams) {
                try {
                    a.close();
                } catch (IOException ignored) {
                    // already closed or unreadable; nothing left to do
                }
            }
        }
        acked.forEach((k, v) -> perStream.put(k, v.get()));
        listener.onProgress(progress(lines, bytesRead.get(), totalBytes, startNanos, true));
        long sent = sentLines - errors.get();
        return new ReplaySummary(perStream, sent, skipped, errors.get(),
            sentLines > 0 ? Instant.ofEpochMilli(firstTime) : null,
            sentLines > 0 ? Instant.ofEpochMilli(lastTime) : null,
            Duration.ofNanos(System.nanoTime() - startNanos), firstError.get());
    }

    private static long headTime(ArchiveStream a) {
        try {
            ArchiveStream.Line l = a.peek();
            return l == null ? Long.MAX_VALUE : l.effectiveTime();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProducerRecord<String, RawLine> record(ArchiveStream a, ArchiveStream.Line line) {
        RecordHeaders h = new RecordHeaders();
        RawLineRecords.add(h, RawLineRecords.SOURCE_HEADER, a.path.toString());
        RawLineRecords.add(h, RawLineRecords.OFFSET_HEADER, Long.toString(line.offset()));
        RawLine value = RawLineRecords.rawLine(a.source.sourceHost(), a.source.logKind(), a.path.toString(),
            line.offset(), line.lineNumber(), line.text(), line.time(), a.header());
        long ts = line.effectiveTime() == Long.MIN_VALUE ? a.fallbackTime() : line.effectiveTime();
        return new ProducerRecord<>(config.topic(), null, ts, StreamKey.of(a.source.sourceHost(), a.source.format()).format(),
            value, h);
    }

    private static ReplayProgress progress(long lines, long bytes, long total, long startNanos, boolean done) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
        Duration eta = null;
        if (done) {
            eta = Duration.ZERO;
        } else if (bytes > 0 && total > bytes) {
            eta = Duration.ofMillis((long) ((total - bytes) / (bytes / seconds) * 1000));
        }
        return new ReplayProgress(lines, bytes, total, lines / seconds, elapsed, eta, done);
    }

    private List<ReplaySource> sortedSources() {
        List<ReplaySource> s = new ArrayList<>(config.sources());
        s.sort(Comparator.comparing(ReplaySource::sourceHost).thenComparing(ReplaySource::logKind));
        return s;
    }

    private static List<Path> filesOf(ReplaySource s) {
        TreeSet<Path> files = new TreeSet<>();
        for (Path root0 : s.paths()) {
            Path root = root0.toAbsolutePath().normalize();
            if (Files.isRegularFile(root)) {
                files.add(root);
                continue;
            }
            if (!Files.isDirectory(root)) {
                throw new UncheckedIOException(new java.nio.file.NoSuchFileException(root.toString()));
            }
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        String name = file.getFileName().toString();
                        Path logical = name.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")
                            ? file.resolveSibling(name.substring(0, name.length() - 3)) : file;
                        if (attrs.isRegularFile() && s.filter().accept(root, logical)) {
                            files.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ArrayList<>(files);
    }

    private KafkaProducer<String, RawLine> newProducer() {
        Map<String, Object> p = new HashMap<>(config.producerSettings());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tlsmon-replay");
        Serializer<RawLine> nonClosing = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, RawLine data) {
                return valueSerializer.serialize(topic, data);
            }

            @Override
            public byte[] serialize(String topic, org.apache.kafka.common.header.Headers headers, RawLine data) {
                return valueSerializer.serialize(topic, headers, data);
            }
        };
        return new KafkaProducer<>(p, new StringSerializer(), nonClosing);
    }
}
