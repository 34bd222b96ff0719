package io.tlsmon.it.chaos;

import io.tlsmon.avro.RawLine;
import io.tlsmon.logs.StreamKey;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows, while the campaign runs, what is committed (read_committed) to raw-lines and to the
 * three output topics: which lines each host has shipped (so that a log file is deleted only once
 * shipped, as Exchange's circular logging deletes only old files), when each host last shipped
 * (a restarted shipper is back once a new line of its host is committed), and when output last
 * came. Only a progress view: the verdict is made afterwards from full reads of the topics.
 */
final class CommittedFollower implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final Thread thread;
    private final Map<String, Map<String, Integer>> shipped = new ConcurrentHashMap<>();
    private final Map<String, Long> lastShippedNanos = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong lastOutputNanos = new AtomicLong(System.nanoTime());
    /** nanoTime of each batch of committed attempts, for the longest pause in the output. */
    private final List<Long> attemptBatches = new ArrayList<>();
    private volatile boolean running = true;

    CommittedFollower(String bootstrap, Topics topics) {
        this.topics = topics;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : List.of(topics.rawLines().name(), topics.attempts().name(), topics.alerts().name(), topics.deadLetters().name())) {
            consumer.partitionsFor(t, Duration.ofSeconds(60)).forEach(i -> parts.add(new TopicPartition(t, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        this.thread = new Thread(this::follow, "committed-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        String raw = topics.rawLines().name();
        var rawSerde = topics.rawLines().valueSerde().deserializer();
        try {
            while (running) {
                var batch = consumer.poll(Duration.ofMillis(200));
                long now = System.nanoTime();
                boolean attemptsCame = false;
                for (ConsumerRecord<String, byte[]> r : batch) {
                    if (r.topic().equals(raw)) {
                        RawLine line = rawSerde.deserialize(r.topic(), r.value());
                        String host = r.key() == null ? line.getSourceHost() : StreamKey.parse(r.key()).sourceHost();
                        shipped.computeIfAbsent(host, h -> new ConcurrentHashMap<>()).merge(line.getLine(), 1, Integer::sum);
                        lastShippedNanos.put(host, now);
                    } else if (r.topic().equals(topics.attempts().name())) {
                        attempts.incrementAndGet();
                        attemptsCame = true;
                        lastOutputNanos.set(now);
                    } else if (r.topic().equals(topics.alerts().name())) {
                        alerts.incrementAndGet();
                        lastOutputNanos.set(now);
                    } else {
                        deadLetters.incrementAndGet();
                        lastOutputNanos.set(now);
                    }
                }
                if (attemptsCame) {
                    synchronized (attemptBatches) {
                        attemptBatches.add(now);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** How many times {@code text} was committed as a line of {@code host}. */
    int shippedCount(String host, String text) {
        Map<String, Integer> m = shipped.get(host);
        return m == null ? 0 : m.getOrDefault(text, 0);
    }

    /** Whether every line of {@code written} is committed at least as often as it was written. */
    boolean allShipped(String host, Map<String, Integer> written) {
        Map<String, Integer> m = shipped.getOrDefault(host, Map.of());
        for (Map.Entry<String, Integer> e : written.entrySet()) {
            if (m.getOrDefault(e.getKey(), 0) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    long lastShippedNanos(String host) {
        return lastShippedNanos.getOrDefault(host, -1L);
    }

    long attempts() {
        return attempts.get();
    }

    long alerts() {
        return alerts.get();
    }

    long deadLetters() {
        return deadLetters.get();
    }

    long lastOutputNanos() {
        return lastOutputNanos.get();
    }

    /** The longest time between two batches of committed attempts within [from, to] (nanoTime). */
    long longestAttemptGapNanos(long from, long to) {
        long longest = 0;
        long prev = from;
        synchronized (attemptBatches) {
            for (long t : attemptBatches) {
                if (t < from) {
                    continue;
                }
                if (t > to) {
                    break;
                }
                longest = Math.max(longest, t - prev);
                prev = t;
            }
        }
        return Math.max(longest, to - prev);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
