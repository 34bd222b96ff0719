package io.tlsmon.ingest.tail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of one {@link ShipperLoop}. Build with {@link #builder()} or read from properties with
 * {@link #fromProperties(Properties)} (keys below; {@code producer.*} keys pass to the Kafka producer).
 */
public final class ShipperConfig {
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers.";
    public static final String TOPIC_CONFIG = "topic";
    public static final String TOPIC_DOC = "Topic of the raw lines (default tlsmon.raw).";
    public static final String SHIPPER_ID_CONFIG = "shipper.id";
    public static final String SHIPPER_ID_DOC = "Stable id of this shipper: names its checkpoint file and its transactional.id "
        + "(tlsmon-shipper-<id>). Two running shippers must never share it.";
    public static final String SOURCE_HOST_CONFIG = "source.host";
    public static final String SOURCE_HOST_DOC = "Host name put in every record (default: this machine's name).";
    public static final String CHECKPOINT_DIR_CONFIG = "checkpoint.dir";
    public static final String CHECKPOINT_DIR_DOC = "Folder of the checkpoint file <shipper.id>.checkpoint.json.";
    public static final String SOURCES_PREFIX = "sources.";
    public static final String SOURCES_DOC = "sources.<logKind>=<path>[,<path>...]: files and folders to follow per log kind "
        + "(exchange, postfix, sendmail, exim), with the kind's default file filter and line clock.";
    public static final String READ_EXISTING_CONFIG = "read.existing";
    public static final String READ_EXISTING_DOC = "Without a checkpoint, ship files found at start from their beginning "
        + "(true, default) or only what is appended from now on (false).";
    public static final String POLL_INTERVAL_MS_CONFIG = "poll.interval.ms";
    public static final String POLL_INTERVAL_MS_DOC = "Pause when no file has a new complete line (default 200).";
    public static final String SCAN_INTERVAL_MS_CONFIG = "scan.interval.ms";
    public static final String SCAN_INTERVAL_MS_DOC = "How often folders are walked for new, renamed, truncated or deleted files (default 1000).";
    public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
    public static final String COMMIT_INTERVAL_MS_DOC = "Longest time lines stay in one open transaction (default 500).";
    public static final String TRANSACTION_MAX_LINES_CONFIG = "transaction.max.lines";
    public static final String TRANSACTION_MAX_LINES_DOC = "Most lines per transaction (default 50000).";
    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MS_DOC = "First pause after a failure to reach the broker or the schema "
        + "registry, doubled up to retry.backoff.max.ms (default 500).";
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest pause between retries (default 10000).";
    public static final String MAX_OPEN_FILES_CONFIG = "max.open.files";
    public static final String MAX_OPEN_FILES_DOC = "Most followed files held open at once (default "
        + "256). A file is kept open until it is read to its end and shipped, so that one deleted or renamed "
        + "out of the filter meanwhile (Exchange circular logging, rotation) is still read to its end. At the "
        + "bound, the handle of a file read to its end and shipped is closed, the one idle longest first; a new "
        + "file with none to spare waits (and is lost if deleted meanwhile, which the metrics count).";
    /** {@value}: more than the files a mail server writes at once, well below the usual limit of 1024 descriptors. */
    public static final int MAX_OPEN_FILES_DEFAULT = 256;
    public static final String PRODUCER_PREFIX = "producer.";
    public static final String PRODUCER_DOC = "producer.<kafka producer key>: passed to the producer, e.g. producer.linger.ms, "
        + "producer.batch.size, producer.compression.type (lz4, zstd), producer.buffer.memory, producer.max.block.ms.";

    /** Producer settings used unless overridden (idempotence, acks and transactional.id are not overridable). */
    public static Map<String, Object> defaultProducerSettings() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 200);
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 2_000);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        return p;
    }

    private final String bootstrapServers;
    private final String topic;
    private final String shipperId;
    private final String sourceHost;
    private final Path checkpointDir;
    private final List<TailSource> sources;
    private final boolean readExisting;
    private final long pollIntervalMs;
    private final long scanIntervalMs;
    private final long commitIntervalMs;
    private final int transactionMaxLines;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final int maxOpenFiles;
    private final Map<String, Object> producerSettings;

    private ShipperConfig(Builder b) {
        this.bootstrapServers = Objects.requireNonNull(b.bootstrapServers, BOOTSTRAP_SERVERS_CONFIG);
        this.topic = b.topic;
        this.shipperId = Objects.requireNonNull(b.shipperId, SHIPPER_ID_CONFIG);
        if (!shipperId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(SHIPPER_ID_CONFIG + " must be letters, digits, '.', '_' or '-': " + shipperId);
        }
        this.sourceHost = b.sourceHost != null ? b.sourceHost : localHostName();
        this.checkpointDir = Objects.requireNonNull(b.checkpointDir, CHECKPOINT_DIR_CONFIG);
        if (b.sources.isEmpty()) {
            throw new IllegalArgumentException("a shipper needs at least one source");
        }
        this.sources = List.copyOf(b.sources);
        this.readExisting = b.readExisting;
        this.pollIntervalMs = atLeast(POLL_INTERVAL_MS_CONFIG, b.pollIntervalMs, 1);
        this.scanIntervalMs = atLeast(SCAN_INTERVAL_MS_CONFIG, b.scanIntervalMs, 1);
        this.commitIntervalMs = atLeast(COMMIT_INTERVAL_MS_CONFIG, b.commitIntervalMs, 1);
        this.transactionMaxLines = (int) atLeast(TRANSACTION_MAX_LINES_CONFIG, b.transactionMaxLines, 1);
        this.retryBackoffMs = atLeast(RETRY_BACKOFF_MS_CONFIG, b.retryBackoffMs, 1);
        this.retryBackoffMaxMs = atLeast(RETRY_BACKOFF_MAX_MS_CONFIG, b.retryBackoffMaxMs, b.retryBackoffMs);
        this.maxOpenFiles = (int) atLeast(MAX_OPEN_FILES_CONFIG, b.maxOpenFiles, 1);
        Map<String, Object> p = defaultProducerSettings();
        p.putAll(b.producer);
        this.producerSettings = Map.copyOf(p);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the keys documented on this class; unknown keys other than {@code producer.*} are rejected. */
    public static ShipperConfig fromProperties(Properties props) {
        Builder b = builder();
        for (String key : props.stringPropertyNames()) {
            String v = props.getProperty(key).trim();
            if (key.startsWith(PRODUCER_PREFIX)) {
                b.producerSetting(key.substring(PRODUCER_PREFIX.length()), v);
            } else if (key.startsWith(SOURCES_PREFIX)) {
                List<Path> paths = new ArrayList<>();
                Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(s -> paths.add(Path.of(s)));
                b.source(TailSource.of(key.substring(SOURCES_PREFIX.length()), paths));
            } else {
                switch (key) {
                    case BOOTSTRAP_SERVERS_CONFIG -> b.bootstrapServers(v);
                    case TOPIC_CONFIG -> b.topic(v);
                    case SHIPPER_ID_CONFIG -> b.shipperId(v);
                    case SOURCE_HOST_CONFIG -> b.sourceHost(v);
                    case CHECKPOINT_DIR_CONFIG -> b.checkpointDir(Path.of(v));
                    case READ_EXISTING_CONFIG -> b.readExisting(bool(key, v));
                    case POLL_INTERVAL_MS_CONFIG -> b.pollIntervalMs(number(key, v));
                    case SCAN_INTERVAL_MS_CONFIG -> b.scanIntervalMs(number(key, v));
                    case COMMIT_INTERVAL_MS_CONFIG -> b.commitIntervalMs(number(key, v));
                    case TRANSACTION_MAX_LINES_CONFIG -> b.transactionMaxLines((int) Math.min(Integer.MAX_VALUE, number(key, v)));
                    case RETRY_BACKOFF_MS_CONFIG -> b.retryBackoffMs(number(key, v));
                    case RETRY_BACKOFF_MAX_MS_CONFIG -> b.retryBackoffMaxMs(number(key, v));
                    case MAX_OPEN_FILES_CONFIG -> b.maxOpenFiles((int) Math.min(Integer.MAX_VALUE, number(key, v)));
                    default -> throw new IllegalArgumentException("unknown shipper setting '" + key + "'");
                }
            }
        }
        return b.build();
    }

    public String bootstrapServers() { return bootstrapServers; }
    public String topic() { return topic; }
    public String shipperId() { return shipperId; }
    public String sourceHost() { return sourceHost; }
    public Path checkpointDir() { return checkpointDir; }
    public List<TailSource> sources() { return sources; }
    public boolean readExisting() { return readExisting; }
    public long pollIntervalMs() { return pollIntervalMs; }
    public long scanIntervalMs() { return scanIntervalMs; }
    public long commitIntervalMs() { return commitIntervalMs; }
    public int transactionMaxLines() { return transactionMaxLines; }
    public long retryBackoffMs() { return retryBackoffMs; }
    public long retryBackoffMaxMs() { return retryBackoffMaxMs; }
    public int maxOpenFiles() { return maxOpenFiles; }
    /** The producer settings in effect (defaults plus overrides). */
    public Map<String, Object> producerSettings() { return producerSettings; }
    /** {@code tlsmon-shipper-<shipper.id>} */
    public String transactionalId() { return "tlsmon-shipper-" + shipperId; }

    private static long number(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shipper setting '" + key + "' must be a whole number, not '" + value + "'");
        }
    }

    private static boolean bool(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("shipper setting '" + key + "' must be true or false, not '" + value + "'");
    }

    private static long atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("shipper setting '" + key + "' must be at least " + min + ", not " + value);
        }
        return value;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public static final class Builder {
        private String bootstrapServers;
        private String topic = "tlsmon.raw";
        private String shipperId;
        private String sourceHost;
        private Path checkpointDir;
        private final List<TailSource> sources = new ArrayList<>();
        private boolean readExisting = true;
        private long pollIntervalMs = 200;
        private long scanIntervalMs = 1000;
        private long commitIntervalMs = 500;
        private int transactionMaxLines = 50_000;
        private long retryBackoffMs = 500;
        private long retryBackoffMaxMs = 10_000;
        private int maxOpenFiles = MAX_OPEN_FILES_DEFAULT;
        private final Map<String, Object> producer = new LinkedHashMap<>();

        public Builder bootstrapServers(String v) { this.bootstrapServers = v; return this; }
        public Builder topic(String v) { this.topic = v; return this; }
        public Builder shipperId(String v) { this.shipperId = v; return this; }
        public Builder sourceHost(String v) { this.sourceHost = v; return this; }
        public Builder checkpointDir(Path v) { this.checkpointDir = v; return this; }
        public Builder source(TailSource v) { this.sources.add(v); return this; }
        public Builder readExisting(boolean v) { this.readExisting = v; return this; }
        public Builder pollIntervalMs(long v) { this.pollIntervalMs = v; return this; }
        public Builder scanIntervalMs(long v) { this.scanIntervalMs = v; return this; }
        public Builder commitIntervalMs(long v) { this.commitIntervalMs = v; return this; }
        public Builder transactionMaxLines(int v) { this.transactionMaxLines = v; return this; }
        public Builder retryBackoffMs(long v) { this.retryBackoffMs = v; return this; }
        public Builder retryBackoffMaxMs(long v) { this.retryBackoffMaxMs = v; return this; }
        public Builder maxOpenFiles(int v) { this.maxOpenFiles = v; return this; }
        /** A Kafka producer setting (e.g. {@code compression.type=zstd}); see {@link #defaultProducerSettings()}. */
        public Builder producerSetting(String key, Object value) { this.producer.put(key, value); return this; }

        public ShipperConfig build() {
            return new ShipperConfig(this);
        }
    }
}
