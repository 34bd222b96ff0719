package io.tlsmon.topology;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches a running instance for {@link OutageMetrics}, every {@code tlsmon.broker.check.interval.ms}:
 * asks the Kafka cluster whether it answers (an admin {@code describeCluster}; a failure starts a
 * broker outage, naming the bootstrap servers, the next answer ends it), and reads the stream
 * threads' {@code commit-total} metrics to know when the instance last committed and their
 * {@code poll-total} to find threads that stopped polling ({@link StuckThreads}); while a registry
 * outage is under way, asks the registry too, so that the outage ends when it answers even if no
 * thread needs to wait for it any more. Outages are logged when they start and end.
 *
 * <p>Every {@value StateDirectoryFull#LOOK_EVERY_MS} ms, on a thread of its own (a probe of a cluster
 * that is down takes seconds), it looks at the state directory ({@link StateDirectoryFull#look}):
 * while the directory is full the instance is paused ({@link KafkaStreams#pause()}: nothing is
 * processed or written to the stores, the threads still poll and so keep their partitions), and it is
 * resumed when the space is back. Without it, a store that RocksDB has stopped for want of room
 * would hold its thread inside RocksDB, silent, and a store that failed half-way would fail the next
 * ones too.
 */
public final class StreamsWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsWatch.class);

    private final KafkaStreams streams;
    private final Admin admin;
    private final String bootstrap;
    private final long intervalMs;
    private final OutageMetrics metrics;
    private final RegistryProbe registry;
    private final StateDirectoryFull stateDirectory;
    private final ScheduledExecutorService executor;
    private final Map<String, Double> commitsByThread = new HashMap<>();
    private final StuckThreads stuck;
    private boolean pausedForSpace;   // only on the executor's space-looking task

    private StreamsWatch(KafkaStreams streams, Properties streamsProperties, long intervalMs, OutageMetrics metrics,
                         RegistryProbe registry, StateDirectoryFull stateDirectory) {
        this.streams = streams;
        this.stateDirectory = stateDirectory;
        this.stuck = new StuckThreads(maxPollIntervalMs(streamsProperties));
        this.registry = registry;
        this.intervalMs = intervalMs;
        this.metrics = metrics;
        Map<String, Object> a = new HashMap<>();
        streamsProperties.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(String.valueOf(k))) {
                a.put(String.valueOf(k), v);
            }
        });
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, streamsProperties.getProperty("application.id", "tlsmon") + "-watch");
        this.bootstrap = String.valueOf(a.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.admin = Admin.create(a);
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "tlsmon-streams-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Sets {@code streams}' handler of failed threads ({@link ThreadFailures}) and returns its watch,
     * to {@link #start} once {@code streams} has started; {@code streams} is built with {@code config}'s
     * Streams properties, {@code registry} is its registry's probe.
     */
    public static StreamsWatch attach(KafkaStreams streams, TlsmonConfig config, RegistryProbe registry) {
        Path stateDir = config.stateDirectory();
        streams.setUncaughtExceptionHandler(ThreadFailures.replaceThread(streams, stateDir, registry));
        return new StreamsWatch(streams, config.streamsProperties(), config.getLong(TlsmonConfig.BROKER_CHECK_INTERVAL_MS_CONFIG),
                OutageMetrics.get(), registry, StateDirectoryFull.of(stateDir));
    }

    /** Starts watching. */
    public StreamsWatch start() {
        executor.scheduleWithFixedDelay(this::check, 0, intervalMs, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::lookAtStateDirectory, 0, StateDirectoryFull.LOOK_EVERY_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void lookAtStateDirectory() {
        try {
            boolean full = stateDirectory.look();
            if (full && !pausedForSpace) {
                streams.pause();
                pausedForSpace = true;
            } else if (!full && pausedForSpace) {
                streams.resume();
                pausedForSpace = false;
            }
        } catch (RuntimeException e) {
            LOG.debug("state directory watch: {}", e.toString());
        }
    }

    private void check() {
        try {
            readThreads();
            probeCluster();
            probeRegistry();
        } catch (RuntimeException e) {
            LOG.debug("streams watch: {}", e.toString());
        }
    }

    private void probeCluster() {
        long timeout = Math.max(1_000, 2 * intervalMs);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, timeout)))
                    .clusterId().get(timeout + 1_000, TimeUnit.MILLISECONDS);
            if (metrics.brokerUp()) {
                LOG.info("Kafka cluster {} answers again after {} ms; the stream threads go on from their last commit ({})",
                        bootstrap, metrics.broker().totalMs(), metrics);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            boolean started = !metrics.broker().active();
            metrics.brokerDown("Kafka cluster " + bootstrap + " unreachable: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            if (started) {
                LOG.warn("Kafka cluster {} unreachable ({}): processing waits for it; nothing is lost, uncommitted work is redone ({})",
                        bootstrap, cause.toString(), metrics);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void probeRegistry() {
        if (registry != null && metrics.registryDownNow() && registry.probe() == null && metrics.registryUp()) {
            LOG.info("schema registry {} answers again after {} ms ({})", registry.where(), metrics.registry().totalMs(), metrics);
        }
    }

    /** Reads the stream threads' commit and poll counts: when the instance last committed, and threads that stopped polling. */
    private void readThreads() {
        boolean committed = false;
        Map<String, Double> polls = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (!"stream-thread-metrics".equals(n.group()) || !(e.getValue().metricValue() instanceof Number number)) {
                continue;
            }
            String thread = n.tags().getOrDefault("thread-id", "?");
            if ("commit-total".equals(n.name())) {
                Double before = commitsByThread.put(thread, number.doubleValue());
                if (before == null ? number.doubleValue() > 0 : number.doubleValue() > before) {
                    committed = true;
                }
            } else if ("poll-total".equals(n.name())) {
                polls.put(thread, number.doubleValue());
            }
        }
        if (committed) {
            metrics.committed();
        }
        boolean heldOnPurpose = stateDirectory.isOpen() || metrics.registryDownNow();
        for (String thread : stuck.observe(polls, System.currentTimeMillis(), heldOnPurpose)) {
            LOG.error("stream thread {} has not polled for more than max.poll.interval.ms ({} ms): it has lost its partitions and is "
                    + "held where it does not come back from. /health/live answers DOWN from now on, so that the process is "
                    + "restarted; its tasks go on from their last commit", thread, stuck.stuckAfterMs());
        }
        metrics.stuckThreads(stuck.count());
    }

    /** The main consumer's max.poll.interval.ms in Kafka Streams settings {@code p}. */
    static long maxPollIntervalMs(Properties p) {
        for (String key : new String[] {StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG}) {
            if (p.get(key) != null) {
                return Long.parseLong(String.valueOf(p.get(key)).trim());
            }
        }
        return ConsumerConfig.configDef().defaultValues().get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG) instanceof Number n
                ? n.longValue() : 300_000L;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
