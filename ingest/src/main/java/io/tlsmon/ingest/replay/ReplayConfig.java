package io.tlsmon.ingest.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.producer.ProducerConfig;

/** Settings of an {@link ArchiveReplayer}; build with {@link #builder()}. */
public final class ReplayConfig {
    private final String bootstrapServers;
    private final String topic;
    private final List<ReplaySource> sources;
    private final Instant from;
    private final Instant to;
    private final Duration progressInterval;
    private final Map<String, Object> producerSettings;

    private ReplayConfig(Builder b) {
        this.bootstrapServers = Objects.requireNonNull(b.bootstrapServers, "bootstrapServers");
        this.topic = b.topic;
        if (b.sources.isEmpty()) {
            throw new IllegalArgumentException("a replay needs at least one source");
        }
        this.sources = List.copyOf(b.sources);
        this.from = b.from;
        this.to = b.to;
        this.progressInterval = b.progressInterval;
        Map<String, Object> p = defaultProducerSettings();
        p.putAll(b.producer);
        this.producerSettings = Map.copyOf(p);
    }

    /** Producer settings used unless overridden; idempotence and acks=all are always on. */
    public static Map<String, Object> defaultProducerSettings() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return p;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() { return bootstrapServers; }
    public String topic() { return topic; }
    public List<ReplaySource> sources() { return sources; }
    /** Lines before this time are skipped; null for no bound. */
    public Instant from() { return from; }
    /** Lines at or after this time are skipped; null for no bound. */
    public Instant to() { return to; }
    public Duration progressInterval() { return progressInterval; }
    public Map<String, Object> producerSettings() { return producerSettings; }

    public static final class Builder {
        private String bootstrapServers;
        private String topic = "tlsmon.raw";
        private final List<ReplaySource> sources = new ArrayList<>();
        private Instant from;
        private Instant to;
        private Duration progressInterval = Duration.ofMillis(500);
        private final Map<String, Object> producer = new LinkedHashMap<>();

        public Builder bootstrapServers(String v) { this.bootstrapServers = v; return this; }
        public Builder topic(String v) { this.topic = v; return this; }
        public Builder source(ReplaySource v) { this.sources.add(v); return this; }
        public Builder from(Instant v) { this.from = v; return this; }
        public Builder to(Instant v) { this.to = v; return this; }
        public Builder progressInterval(Duration v) { this.progressInterval = v; return this; }
        /** A Kafka producer setting (e.g. {@code compression.type=zstd}). */
        public Builder producerSetting(String key, Object value) { this.producer.put(key, value); return this; }

        public ReplayConfig build() {
            return new ReplayConfig(this);
        }
    }
}
