package io.tlsmon.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Pushes the committed alerts to a Prometheus Alertmanager ({@code POST /api/v2/alerts}), so its
 * routes, grouping, silences and receivers do the rest.
 *
 * <p>Where it runs: beside the topology, never inside it. Its own {@code read_committed} consumer
 * reads the alerts topic (all partitions, from the start, no consumer group), so only alerts of
 * committed transactions are sent, a slow or absent Alertmanager cannot hold up or fail exactly-once
 * processing, and the open alerts are rebuilt from the topic after a restart: from what the topic
 * held at start-up only the alerts still open are pushed (firing) and the resolutions (resolved, so an
 * Alertmanager that missed one resolves its alert; it notifies nothing for one it never had firing).
 *
 * <p>Delivery: at least once. RAISED and UPDATED go as firing (no {@code endsAt}), RESOLVED with
 * {@code endsAt}; every open alert is pushed again every {@code tlsmon.alertmanager.resend.interval.ms}
 * because Alertmanager resolves a firing alert that is not repeated within its resolve_timeout. A
 * RESOLVED is held until its episode has been firing at the Alertmanager for one such interval (or
 * the notifier stops), so an episode that a replay raises and resolves at once is still notified. A
 * failed push (no answer, a non-2xx status) is counted and retried with a doubling wait, the same
 * alerts again, never dropped; reading the topic pauses meanwhile. Repeats, re-sends after a restart
 * and several instances sending the same alerts are harmless: Alertmanager de-duplicates by label set.
 */
public final class AlertmanagerNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerNotifier.class);
    private static final long FIRST_BACKOFF_MS = 500;
    private static final int MAX_PER_PUSH = 500;

    private final URI endpoint;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final long resendMs;
    private final long maxBackoffMs;
    private final KafkaConsumer<String, Alert> consumer;
    private final String topic;
    private final HttpClient http;
    private final TlsmonMetrics metrics;
    private final Thread thread;
    private volatile boolean closed;
    /** Set by {@link #close}: the loop counts {@link #drained} down once it has read to the end and pushed everything. */
    private volatile boolean draining;
    private final java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(1);

    /** Open episodes by alert id, with their raise time. */
    private final Map<String, AlertmanagerAlert> open = new LinkedHashMap<>();
    /** To send, in the order the topic had them. */
    private final List<AlertmanagerAlert> pending = new ArrayList<>();
    /** RESOLVED alerts waiting until their episode has been firing at the Alertmanager long enough. */
    private final List<AlertmanagerAlert> held = new ArrayList<>();
    /** Wall-clock ms at which the Alertmanager first took each open episode as firing, by alert id. */
    private final Map<String, Long> firingSince = new HashMap<>();

    private AlertmanagerNotifier(TlsmonConfig config, Properties consumerProps, Deserializer<Alert> alerts, String topic, TlsmonMetrics metrics) {
        this.endpoint = URI.create(config.getString(TlsmonConfig.ALERTMANAGER_URL_CONFIG).trim().replaceAll("/+$", "") + "/api/v2/alerts");
        this.authorization = authorization(config);
        this.timeout = Duration.ofMillis(config.getLong(TlsmonConfig.ALERTMANAGER_TIMEOUT_MS_CONFIG));
        this.resendMs = config.getLong(TlsmonConfig.ALERTMANAGER_RESEND_MS_CONFIG);
        this.maxBackoffMs = config.getLong(TlsmonConfig.ALERTMANAGER_RETRY_BACKOFF_MAX_MS_CONFIG);
        this.topic = topic;
        this.metrics = metrics;
        this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), alerts);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.thread = new Thread(this::run, "tlsmon-alertmanager");
        this.thread.setDaemon(true);
    }

    /** Starts the notifier when {@code tlsmon.alertmanager.url} is set; empty when it is not. */
    public static Optional<AlertmanagerNotifier> start(TlsmonConfig config, Topics topics) {
        if (config.getString(TlsmonConfig.ALERTMANAGER_URL_CONFIG).isBlank()) {
            return Optional.empty();
        }
        Properties c = new Properties();
        config.streamsProperties().forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(String.valueOf(k))) {
                c.put(k, v);
            }
        });
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "tlsmon-alertmanager");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        AlertmanagerNotifier n = new AlertmanagerNotifier(config, c, topics.alerts().valueSerde().deserializer(),
                topics.alerts().name(), TlsmonMetrics.get());
        n.thread.start();
        LOG.info("pushing alerts of {} to the Alertmanager {}", n.topic, n.endpoint);
        return Optional.of(n);
    }

    private static Optional<String> authorization(TlsmonConfig config) {
        String bearer = config.getPassword(TlsmonConfig.ALERTMANAGER_BEARER_TOKEN_CONFIG).value();
        String basic = config.getPassword(TlsmonConfig.ALERTMANAGER_BASIC_AUTH_CONFIG).value();
        // both set is refused by TlsmonConfig
        if (!bearer.isEmpty()) {
            return Optional.of("Bearer " + bearer);
        }
        if (!basic.isEmpty()) {
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    private void run() {
        try {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofMinutes(1)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            // what the topic held when we started is history: it rebuilds the open alerts, and only
            // what is still open (or resolved) is pushed, not every episode raised again
            Map<TopicPartition, Long> historyEnd = consumer.endOffsets(parts);
            boolean historyDone = false;
            long nextResend = System.currentTimeMillis() + resendMs;
            while (!closed) {
                for (ConsumerRecord<String, Alert> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        take(r.value(), r.offset() < historyEnd.get(new TopicPartition(r.topic(), r.partition())));
                    }
                }
                if (!historyDone && parts.stream().allMatch(p -> consumer.position(p) >= historyEnd.get(p))) {
                    historyDone = true;
                    open.values().stream().filter(a -> !pending.contains(a)).forEach(pending::add);
                }
                long now = System.currentTimeMillis();
                release(now);
                if (now >= nextResend) {
                    open.values().stream().filter(a -> !pending.contains(a)).forEach(pending::add);
                    nextResend = now + resendMs;
                }
                pushPending();
                if (draining && pending.isEmpty() && held.isEmpty() && caughtUp(parts)) {
                    drained.countDown();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the Alertmanager notifier stopped: {}", e.toString(), e);
        } finally {
            Thread.interrupted(); // close() interrupts a wait between retries; the consumer must still close
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Moves the RESOLVED alerts whose episode has been firing at the Alertmanager for a resend interval
     * (all of them when stopping) to the pushes. Alertmanager notifies nothing for a group that only
     * ever held resolved alerts, so an episode raised and resolved within its group_wait would
     * otherwise never be seen.
     */
    private void release(long now) {
        for (var it = held.iterator(); it.hasNext(); ) {
            AlertmanagerAlert r = it.next();
            String id = r.alert().getId();
            Long since = firingSince.get(id);
            boolean neverOpen = !open.containsKey(id); // its RAISED is gone with the topic's retention
            if (draining || neverOpen || (since != null && now >= since + resendMs)) {
                it.remove();
                open.remove(id);
                firingSince.remove(id);
                pending.add(r);
            }
        }
    }

    private boolean caughtUp(List<TopicPartition> parts) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(parts); // read_committed: the last stable offsets
        return parts.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
    }

    /** @param history read from what the topic held at start-up */
    private void take(Alert a, boolean history) {
        String id = a.getId();
        if (a.getType() == AlertType.RESOLVED) {
            AlertmanagerAlert was = history ? open.remove(id) : open.get(id);
            AlertmanagerAlert resolved = new AlertmanagerAlert(a, was != null ? was.raisedAt() : a.getWindowStart());
            // a resolution from before a restart goes at once: the Alertmanager resolves the alert if it
            // still has it firing (the push may never have been made) and notifies nothing otherwise
            (history ? pending : held).add(resolved);
            return;
        }
        AlertmanagerAlert was = open.get(id);
        // an UPDATED whose RAISED is gone with the topic's retention starts at its window
        Instant raisedAt = a.getType() == AlertType.RAISED ? a.getTime() : was != null ? was.raisedAt() : a.getWindowStart();
        AlertmanagerAlert now = new AlertmanagerAlert(a, raisedAt);
        open.put(id, now);
        if (!history) {
            pending.add(now);
        }
    }

    private void pushPending() throws InterruptedException {
        long backoff = FIRST_BACKOFF_MS;
        while (!pending.isEmpty() && !closed) {
            List<AlertmanagerAlert> batch = new ArrayList<>(pending.subList(0, Math.min(MAX_PER_PUSH, pending.size())));
            String failure = push(batch);
            if (failure == null) {
                metrics.alertmanagerPush("ok", batch.size());
                long now = System.currentTimeMillis();
                batch.stream().filter(a -> a.alert().getType() != AlertType.RESOLVED)
                        .forEach(a -> firingSince.putIfAbsent(a.alert().getId(), now));
                pending.subList(0, batch.size()).clear();
                backoff = FIRST_BACKOFF_MS;
            } else {
                metrics.alertmanagerPush("failed", batch.size());
                LOG.warn("push of {} alerts to the Alertmanager {} failed ({}); retrying in {} ms", batch.size(), endpoint, failure, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(2 * backoff, maxBackoffMs);
            }
        }
    }

    /** Returns null when the Alertmanager took the alerts, else why not. */
    private String push(List<AlertmanagerAlert> batch) throws InterruptedException {
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        batch.forEach(a -> body.add(a.json()));
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        authorization.ifPresent(v -> b.header("Authorization", v));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode() + ": " + abbreviate(r.body());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** Alerts read but not yet taken by the Alertmanager. */
    int pendingCount() {
        return pending.size();
    }

    /**
     * Stops after pushing what the topic holds (waiting at most {@code tlsmon.alertmanager.timeout.ms}
     * and a few seconds for that), so a short run such as the demo still delivers its last alerts.
     */
    @Override
    public void close() {
        draining = true;
        try {
            drained.await(timeout.toMillis() + 5_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drained.getCount() > 0) {
            LOG.warn("stopping with {} alerts not taken by the Alertmanager {}", pending.size(), endpoint);
        }
        closed = true;
        consumer.wakeup();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
