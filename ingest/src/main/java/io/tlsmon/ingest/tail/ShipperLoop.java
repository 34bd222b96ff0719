package io.tlsmon.ingest.tail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.broker.ClientSecurity;
import io.tlsmon.ingest.RawLineRecords;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.StreamKey;
import io.tlsmon.schemas.registry.SchemaRegistryException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the lines of followed files to Kafka, each line exactly once, across crashes (kill -9),
 * broker outages and restarts.
 *
 * <h2>How exactly-once is reached</h2>
 * The file is the source of truth and the topic is the record of what was shipped; the local
 * checkpoint is only a shortcut into the topic.
 * <ol>
 *   <li><b>Transactions.</b> Lines are sent by a transactional producer (idempotent, acks=all) whose
 *       {@code transactional.id} is stable per shipper ({@code tlsmon-shipper-<shipper.id>}). A batch
 *       of lines is one transaction. On a restart, {@code initTransactions()} fences the dead
 *       instance and aborts whatever it left open, so a batch is in the topic entirely or not at all,
 *       and a zombie cannot write after its successor started.</li>
 *   <li><b>Checkpoint after commit.</b> After each commit the file positions are written to the
 *       checkpoint file (temp file, fsync, atomic move), together with, per partition, the offset
 *       after this shipper's last committed record.</li>
 *   <li><b>Reconciliation from the topic.</b> A kill between commit and checkpoint write would
 *       otherwise ship that batch twice. So whenever a producer is (re)created - start, or recovery
 *       from a failure - the shipper reads its partitions with {@code read_committed} from the
 *       checkpointed offsets up to the high watermark, picks its own records (header
 *       {@code tlsmon.shipper}), and advances each file to the end of the last line found
 *       ({@code tlsmon.file}, {@code tlsmon.fp}, {@code tlsmon.end}, {@code tlsmon.line}). Only then
 *       does it read the files again. The scan is short: it covers at most one transaction more than
 *       the checkpoint; without any checkpoint it covers the whole partition.</li>
 * </ol>
 * Why this and not the alternatives: writing the checkpoint after plain (non-transactional) acks
 * leaves a window for duplicates on every crash; putting the positions in the transaction as
 * consumer-group offset metadata limits them to a few KB (offset.metadata.max.bytes), too small for
 * hundreds of Exchange files; reading the topic tail without transactions cannot tell whether a
 * produce request still in flight from the killed process will land later. Transactions plus
 * reconciliation have none of these holes, and the local checkpoint keeps the restart scan short.
 *
 * <h2>When the broker is down</h2>
 * Sends block for at most {@code max.block.ms} once {@code buffer.memory} is full, and a transaction
 * that cannot commit fails after {@code delivery.timeout.ms}. The shipper then logs
 * {@code broker unreachable, N lines pending, retrying in T ms}, counts a retry, drops the producer,
 * rewinds the files to the last committed positions and tries again with exponential backoff. Lines
 * wait in the files, never in an unbounded queue, and none is dropped. Between attempts the folders
 * are still scanned, so that files created during the outage get a handle and outlive their deletion
 * ({@link FileTailer}); an attempt itself blocks for up to {@code max.block.ms}, without scans.
 * {@link ShipperMetrics#brokerOutage()} shows the outage, {@link ShipperMetrics#bytesBehind()} the backlog.
 *
 * <h2>When the schema registry is down</h2>
 * The value serializer may need the registry (the Confluent serde registers or looks up the schema
 * once, then caches its id). The shipper serializes a probe record at start and every batch before
 * it is sent, outside the producer, so that a registry failure is never taken for a broker failure and
 * never breaks a transaction. While the registry is unreachable (or answers 5xx, 408, 429) the shipper
 * says so, naming the registry's URLs, reads nothing more, aborts the open transaction if part of it
 * was sent, rewinds to the committed positions and retries with the same backoff
 * ({@link ShipperMetrics#registryOutage()}). Any other answer of the registry (401, 403, 409 ...) is a
 * setting to fix: the shipper stops with that answer ({@link #failure()}).
 *
 * <p>Run with {@link #run()} on a thread of your own; {@link #close()} stops it (committing what was sent).
 */
public final class ShipperLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShipperLoop.class);
    private static final int POLL_CHUNK = 5_000;

    private final ShipperConfig config;
    private final Serializer<RawLine> valueSerializer;
    private final FileTailer tailer;
    private final CheckpointStore store;
    private final ShipperMetrics metrics = new ShipperMetrics();
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final byte[] shipperIdBytes;
    private final Map<String, String> keys = new HashMap<>();
    private volatile boolean started;
    private volatile Checkpoint committed;
    private volatile RuntimeException failure;
    private KafkaProducer<String, byte[]> producer;
    private long backoffMs;
    private long registryBackoffMs;
    private boolean serializerReady;
    private boolean brokerDown;
    private boolean registryDown;
    private long nextScan;

    /**
     * @param valueSerializer the {@code RawLine} serializer, already configured (the Schema Registry
     *                        serde in production). The loop does not close it.
     */
    public ShipperLoop(ShipperConfig config, Serializer<RawLine> valueSerializer) {
        this.config = config;
        this.valueSerializer = valueSerializer;
        this.tailer = new FileTailer(config.sources(), config.readExisting(), config.maxOpenFiles());
        this.store = new CheckpointStore(config.checkpointDir(), config.shipperId());
        this.shipperIdBytes = config.shipperId().getBytes(StandardCharsets.UTF_8);
        this.backoffMs = config.retryBackoffMs();
        this.registryBackoffMs = config.retryBackoffMs();
    }

    /**
     * Why {@link #run()} stopped by itself (fenced, a setting the registry refuses, an unreadable
     * checkpoint); empty while it runs and after a {@link #close()}.
     */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    public ShipperMetrics metrics() {
        return metrics;
    }

    /** The positions of the last committed transaction (what a restart resumes from). */
    public Checkpoint lastCheckpoint() {
        return committed;
    }

    public Path checkpointFile() {
        return store.file();
    }

    /** Follows and ships until {@link #close()}; the calling thread does all the work. */
    @Override
    public void run() {
        started = true;
        try {
            committed = store.read()
                .filter(c -> c.topic().equals(config.topic()))
                .orElse(Checkpoint.empty(config.shipperId(), config.topic()));
            tailer.resetTo(committed.files());
            while (!stopping()) {
                scanIfDue();
                if (!serializerReady && !primeSerializer()) {
                    continue;
                }
                if (producer == null && !connect()) {
                    pauseScanning(nextBackoff());
                    continue;
                }
                int shipped = shipOneTransaction();
                if (shipped == 0 && !stopping()) {
                    pauseScanning(config.pollIntervalMs());
                }
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
            throw e;
        } finally {
            closeProducer(Duration.ofSeconds(5));
            tailer.close();
            finished.countDown();
        }
    }

    private void scanIfDue() {
        long now = System.currentTimeMillis();
        if (now >= nextScan) {
            tailer.scan();
            metrics.files(tailer);
            metrics.bytesBehind(tailer.bytesAfter(committed.files()));
            nextScan = now + config.scanIntervalMs();
        }
    }

    /**
     * Serializes a probe record, so that a registry that cannot be reached is reported at start (and
     * not at the first line, maybe hours later), and the serializer knows the schema id before lines
     * wait on it. Returns false, after a pause, while the registry is unreachable.
     */
    private boolean primeSerializer() {
        RawLine probe = RawLineRecords.endOfStream(config.sourceHost(), config.sources().get(0).logKind());
        try {
            valueSerializer.serialize(config.topic(), new RecordHeaders(), probe);
        } catch (RuntimeException e) {
            SchemaRegistryException cause = registryCause(e);
            if (cause == null) {
                throw fatal("the value serializer cannot write a RawLine to " + config.topic() + ": " + e, e);
            }
            if (!isTransient(cause)) {
                throw refusedByRegistry(cause, e);
            }
            long wait = nextRegistryBackoff();
            registryFailed(cause);
            LOG.warn("schema registry unreachable at start, nothing is shipped until it answers; retrying in {} ms: {}",
                wait, cause.getMessage());
            pauseScanning(wait);
            return false;
        }
        serializerReady = true;
        registryAnswered();
        return true;
    }

    /** Stops {@link #run()} and waits (up to 30 s) until it has returned. */
    @Override
    public void close() {
        stopSignal.countDown();
        if (started) {
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean stopping() {
        return stopSignal.getCount() == 0;
    }

    /** Creates the transactional producer and reconciles the checkpoint with the topic. */
    private boolean connect() {
        try {
            producer = newProducer();
            producer.initTransactions();
            reconcile();
            backoffMs = config.retryBackoffMs();
            brokerAnswered();
            return true;
        } catch (ProducerFencedException e) {
            throw fenced(e);
        } catch (KafkaException | IllegalStateException e) {
            failed(0, e, true);
            return false;
        } catch (RuntimeException e) {
            LOG.error("unexpected failure while connecting; retrying", e);
            metrics.error();
            failed(0, e, false);
            return false;
        }
    }

    /** Reads lines and sends them in one transaction; returns how many were committed. */
    private int shipOneTransaction() {
        long deadline = System.currentTimeMillis() + config.commitIntervalMs();
        Map<Integer, Long> lastOffsets = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicReference<Exception> sendError = new java.util.concurrent.atomic.AtomicReference<>();
        int sent = 0;
        try {
            while (sent < config.transactionMaxLines() && !stopping()) {
                List<TailLine> batch = tailer.poll(Math.min(POLL_CHUNK, config.transactionMaxLines() - sent));
                if (batch.isEmpty()) {
                    break;
                }
                metrics.read(batch.size());
                // serialized before anything of the batch is sent: a registry failure leaves the producer
                // and the open transaction as they were
                List<ProducerRecord<String, byte[]>> records = serialize(batch);
                if (sent == 0) {
                    producer.beginTransaction();
                }
                for (ProducerRecord<String, byte[]> record : records) {
                    sent++;
                    producer.send(record, (md, ex) -> {
                        if (ex != null) {
                            metrics.error();
                            sendError.compareAndSet(null, ex);
                        } else {
                            lastOffsets.merge(md.partition(), md.offset(), Math::max);
                        }
                    });
                    // a send that timed out waiting for metadata fails through its callback, at once:
                    // stop here rather than wait max.block.ms again for every line of the batch
                    Exception sendFailure = sendError.get();
                    if (sendFailure != null) {
                        throw sendFailure instanceof KafkaException k ? k : new KafkaException(sendFailure);
                    }
                }
                metrics.pending(sent);
                if (System.currentTimeMillis() >= deadline) {
                    break;
                }
            }
            if (sent == 0) {
                return 0;
            }
            Map<String, FileState> positions = tailer.snapshot();
            producer.commitTransaction();
            Map<Integer, Long> scanFrom = new HashMap<>(committed.scanFrom());
            lastOffsets.forEach((p, o) -> scanFrom.merge(p, o + 1, Math::max));
            checkpoint(new Checkpoint(config.shipperId(), config.topic(), scanFrom, new ArrayList<>(positions.values())));
            metrics.committed(sent);
            return sent;
        } catch (RegistryUnavailable e) {
            waitForRegistry(sent, e.cause);
            return 0;
        } catch (Stopped e) {
            throw e;
        } catch (ProducerFencedException e) {
            throw fenced(e);
        } catch (KafkaException | IllegalStateException e) {
            failed(sent, e, true);
            pauseScanning(nextBackoff());
            return 0;
        } catch (RuntimeException e) {
            // never let the loop die silently: log it, count it, start over from the checkpoint
            LOG.error("unexpected failure while shipping; retrying from the last checkpoint", e);
            metrics.error();
            failed(sent, e, false);
            pauseScanning(nextBackoff());
            return 0;
        }
    }

    /** A batch in the producer's terms; throws {@link RegistryUnavailable} while the registry cannot be reached. */
    private List<ProducerRecord<String, byte[]>> serialize(List<TailLine> batch) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(batch.size());
        for (TailLine line : batch) {
            ProducerRecord<String, RawLine> r = record(line);
            byte[] value;
            try {
                value = valueSerializer.serialize(r.topic(), r.headers(), r.value());
            } catch (RuntimeException e) {
                SchemaRegistryException cause = registryCause(e);
                if (cause == null) {
                    throw e;
                }
                if (!isTransient(cause)) {
                    throw refusedByRegistry(cause, e);
                }
                throw new RegistryUnavailable(cause);
            }
            out.add(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), value, r.headers()));
        }
        registryAnswered();
        return out;
    }

    /**
     * The registry failed while a batch was being prepared: give back what this transaction took
     * (abort it if part was sent; the files are rewound to the committed positions) and wait.
     */
    private void waitForRegistry(int sent, SchemaRegistryException cause) {
        long wait = nextRegistryBackoff();
        registryFailed(cause);
        if (sent > 0) {
            try {
                producer.abortTransaction();
                metrics.aborted();
            } catch (ProducerFencedException e) {
                throw fenced(e);
            } catch (KafkaException | IllegalStateException e) {
                failed(sent, e, true); // the broker went too: start over with a new producer
            }
        }
        tailer.resetTo(committed.files());
        metrics.pending(0);
        LOG.warn("schema registry unreachable, {} lines sent in the open transaction aborted ({} bytes not yet shipped), "
            + "retrying in {} ms: {}", sent, tailer.bytesAfter(committed.files()), wait, cause.getMessage());
        pauseScanning(wait);
    }

    private void registryFailed(SchemaRegistryException cause) {
        metrics.retry();
        metrics.registryDown(cause.getMessage());
        registryDown = true;
    }

    private void registryAnswered() {
        if (registryDown) {
            registryDown = false;
            metrics.registryUp();
            LOG.info("schema registry reachable again; shipping on");
        }
        registryBackoffMs = config.retryBackoffMs();
    }

    private void brokerAnswered() {
        if (brokerDown) {
            brokerDown = false;
            metrics.brokerUp();
            LOG.info("broker reachable again; shipping on from the committed positions");
        }
    }

    /** The registry failure behind a serializer's exception, or null if it is not one. */
    static SchemaRegistryException registryCause(Throwable e) {
        return SchemaRegistryException.in(e);
    }

    /** Whether the registry may answer later (see {@link SchemaRegistryException#isTransient()}). */
    static boolean isTransient(SchemaRegistryException e) {
        return e.isTransient();
    }

    private Stopped refusedByRegistry(SchemaRegistryException cause, RuntimeException e) {
        return fatal("the schema registry refused the RawLine schema for " + config.topic() + ": " + cause.getMessage()
            + "; check schema.registry.url, its basic.auth.*/bearer.auth.* credentials and the subject's compatibility", e);
    }

    private Stopped fatal(String message, RuntimeException cause) {
        LOG.error("{}: stopping the shipper", message);
        Stopped e = new Stopped(message, cause);
        failure = e;
        stopSignal.countDown();
        return e;
    }

    /** The shipper cannot go on without a change of settings; not to be retried. */
    private static final class Stopped extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Stopped(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A transient registry failure while serializing a batch. */
    private static final class RegistryUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SchemaRegistryException cause;

        RegistryUnavailable(SchemaRegistryException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    private ProducerRecord<String, RawLine> record(TailLine line) {
        FileState f = line.file();
        RecordHeaders h = new RecordHeaders();
        RawLineRecords.add(h, RawLineRecords.SOURCE_HEADER, f.path());
        RawLineRecords.add(h, RawLineRecords.OFFSET_HEADER, Long.toString(line.offset()));
        RawLineRecords.add(h, RawLineRecords.END_HEADER, Long.toString(line.endOffset()));
        RawLineRecords.add(h, RawLineRecords.LINE_HEADER, Long.toString(line.lineNumber()));
        RawLineRecords.add(h, RawLineRecords.FILE_HEADER, f.fileKey());
        RawLineRecords.add(h, RawLineRecords.FINGERPRINT_HEADER, f.fingerprintText());
        h.add(RawLineRecords.SHIPPER_HEADER, shipperIdBytes);
        RawLine value = RawLineRecords.rawLine(config.sourceHost(), f.logKind(), f.path(), line.offset(),
            line.lineNumber(), line.text(), line.time(), line.header());
        return new ProducerRecord<>(config.topic(), null, line.timestamp(), keyOf(f.logKind()), value, h);
    }

    /** The record key of this shipper's lines of a kind; made once per kind, not per line. */
    private String keyOf(String logKind) {
        return keys.computeIfAbsent(logKind, k -> StreamKey.of(config.sourceHost(), LogFormat.fromLabel(k)).format());
    }

    /**
     * Finds this shipper's committed records that the checkpoint does not know (a kill between commit
     * and checkpoint write) and moves the file positions past them.
     */
    private void reconcile() {
        Map<Integer, Long> scanFrom = new HashMap<>(committed.scanFrom());
        Map<String, FileState> files = new LinkedHashMap<>();
        committed.files().forEach(f -> files.put(f.fileKey(), f));
        long found = 0;
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        ClientSecurity.copy(config.producerSettings(), cp);
        ClientSecurity.copy(config.producerSettings(), ap);
        Duration timeout = Duration.ofMillis(((Number) config.producerSettings()
            .getOrDefault(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000)).longValue());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             Admin admin = Admin.create(ap)) {
            List<PartitionInfo> infos = consumer.partitionsFor(config.topic(), timeout);
            if (infos == null || infos.isEmpty()) {
                return; // no topic yet: nothing of ours in it
            }
            Set<TopicPartition> ours = new HashSet<>();
            for (TailSource s : config.sources()) {
                byte[] key = keyOf(s.logKind()).getBytes(StandardCharsets.UTF_8);
                ours.add(new TopicPartition(config.topic(), Utils.toPositive(Utils.murmur2(key)) % infos.size()));
            }
            for (Integer p : scanFrom.keySet()) {
                if (p < infos.size()) {
                    ours.add(new TopicPartition(config.topic(), p));
                }
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            ours.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(ours, timeout);
            consumer.assign(ours);
            Map<TopicPartition, Long> target = new HashMap<>();
            for (TopicPartition tp : ours) {
                long end = ends.get(tp).offset();
                long begin = begins.get(tp);
                long start = scanFrom.getOrDefault(tp.partition(), begin);
                if (start < begin || start > end) {
                    start = begin; // retention removed it, or the topic was recreated
                }
                consumer.seek(tp, start);
                target.put(tp, end);
            }
            long deadline = System.currentTimeMillis() + 2 * timeout.toMillis()
                + ((Number) config.producerSettings().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)).longValue();
            while (!behind(consumer, target).isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new KafkaException("reconciliation could not read " + config.topic() + " up to " + target);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    FileState f = fromRecord(r);
                    if (f != null) {
                        files.put(f.fileKey(), f);
                        found++;
                    }
                }
            }
            target.forEach((tp, end) -> scanFrom.put(tp.partition(), end));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new KafkaException("cannot list offsets of " + config.topic(), e);
        }
        if (found > 0) {
            LOG.info("found {} shipped lines beyond the checkpoint in {}; resuming after them", found, config.topic());
            metrics.reconciled(found);
        }
        checkpoint(new Checkpoint(config.shipperId(), config.topic(), scanFrom, new ArrayList<>(files.values())));
        tailer.resetTo(committed.files());
    }

    private static Set<TopicPartition> behind(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> target) {
        Set<TopicPartition> out = new HashSet<>();
        target.forEach((tp, end) -> {
            if (consumer.position(tp) < end) {
                out.add(tp);
            }
        });
        return out;
    }

    /** The file position a record of this shipper proves shipped, or null for other records. */
    private FileState fromRecord(ConsumerRecord<byte[], byte[]> r) {
        var shipper = r.headers().lastHeader(RawLineRecords.SHIPPER_HEADER);
        if (shipper == null || !java.util.Arrays.equals(shipper.value(), shipperIdBytes)) {
            return null;
        }
        String fileKey = RawLineRecords.text(r.headers(), RawLineRecords.FILE_HEADER);
        String fp = RawLineRecords.text(r.headers(), RawLineRecords.FINGERPRINT_HEADER);
        String path = RawLineRecords.text(r.headers(), RawLineRecords.SOURCE_HEADER);
        String end = RawLineRecords.text(r.headers(), RawLineRecords.END_HEADER);
        String line = RawLineRecords.text(r.headers(), RawLineRecords.LINE_HEADER);
        if (fileKey == null || fp == null || path == null || end == null || line == null) {
            return null;
        }
        if (r.key() == null) {
            return null;
        }
        LogFormat kind = StreamKey.parse(new String(r.key(), StandardCharsets.UTF_8)).logKind();
        String logKind = kind == null ? null : kind.label();
        long[] fingerprint = FileState.parseFingerprint(fp);
        return new FileState(fileKey, (int) fingerprint[0], fingerprint[1], path, logKind, Long.parseLong(end),
            Long.parseLong(line), r.timestamp());
    }

    /** Writes the checkpoint; from then on the tailer may let go of what it covers. */
    private void checkpoint(Checkpoint c) {
        store.write(c);
        committed = c;
        tailer.acknowledge(c.files());
    }

    /** @param broker whether the broker failed (an outage), as opposed to a fault of the shipper's own */
    private void failed(long pendingLines, Exception e, boolean broker) {
        metrics.retry();
        long unshipped = tailer.bytesAfter(committed.files());
        metrics.bytesBehind(unshipped);
        if (broker) {
            metrics.brokerDown("bootstrap.servers " + config.bootstrapServers() + ": " + e);
            brokerDown = true;
            LOG.warn("broker unreachable, {} lines pending ({} bytes not yet shipped), retrying in {} ms: {}",
                pendingLines, unshipped, backoffMs, e.toString());
        }
        closeProducer(Duration.ZERO);
        tailer.resetTo(committed.files());
        metrics.pending(0);
    }

    private IllegalStateException fenced(ProducerFencedException e) {
        LOG.error("another shipper with id '{}' took over (producer fenced): stopping this one", config.shipperId());
        IllegalStateException stop = new IllegalStateException("shipper " + config.shipperId() + " was fenced by another instance", e);
        failure = stop;
        stopSignal.countDown();
        return stop;
    }

    private long nextBackoff() {
        long b = backoffMs;
        backoffMs = Math.min(config.retryBackoffMaxMs(), backoffMs * 2);
        return b;
    }

    private long nextRegistryBackoff() {
        long b = registryBackoffMs;
        registryBackoffMs = Math.min(config.retryBackoffMaxMs(), registryBackoffMs * 2);
        return b;
    }

    /** Waits {@code ms}, still scanning when a scan is due, so that new files get their handle during an outage. */
    private void pauseScanning(long ms) {
        long end = System.currentTimeMillis() + ms;
        while (!stopping()) {
            long now = System.currentTimeMillis();
            if (now >= end) {
                return;
            }
            pause(Math.max(1, Math.min(end, nextScan) - now));
            scanIfDue();
        }
    }

    private void pause(long ms) {
        try {
            stopSignal.await(ms, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopSignal.countDown();
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        Map<String, Object> p = new HashMap<>(config.producerSettings());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tlsmon-shipper-" + config.shipperId());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                LOG.debug("closing the producer: {}", e.toString());
            }
            producer = null;
        }
    }
}
