package io.tlsmon.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one Kafka Streams application over the raw topic until it has drained it, and times it from
 * the first record its main consumer returned ({@link FirstRecordInterceptor}) to the moment its
 * committed offsets covered every input record, repartition topics included ({@link Drain}).
 */
final class StreamsRun {
    static final long CHECK_MS = 50;

    private StreamsRun() {
    }

    /**
     * One run. {@code seconds}: first record to last output committed. {@code startupSeconds}: from
     * {@code start()} to the first record (group join, topic creation, store opening).
     */
    record Result(String label, String appId, long lines, double seconds, double startupSeconds, long processed,
                  double streamThreadCpuSeconds, double processCpuSeconds, double load, List<String> warnings) {
        double rate() {
            return lines / seconds;
        }

        String describe() {
            return String.format(Locale.ROOT, "[%s] %,d lines in %.2f s from the first record to the last output committed = %,.0f lines/s; "
                            + "start-up %.2f s; %,d records processed; stream threads CPU %.1f s, JVM CPU %.1f s%s",
                    label, lines, seconds, rate(), startupSeconds, processed, streamThreadCpuSeconds, processCpuSeconds,
                    warnings.isEmpty() ? "" : "; WARNING: " + String.join("; ", warnings));
        }
    }

    /**
     * @param externalInputs the source topics that are not the app's own (its repartition topics are found by name)
     * @param outputs        topics whose read_committed end offsets must not move after the drain (a late write is reported)
     * @param beforeClose    runs on the drained, still running app (e.g. to query a store)
     */
    static Result run(String label, String appId, Topology topology, Properties settings, BenchCluster cluster, long lines,
                      Collection<String> externalInputs, Collection<String> outputs, Duration timeout,
                      Consumer<KafkaStreams> beforeClose) throws Exception {
        Properties props = new Properties();
        props.putAll(settings);
        Path stateDir = BenchCluster.tempDir("tlsmon-bench-state-");
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG), FirstRecordInterceptor.class.getName());
        double load = BenchCluster.loadAverage();
        System.out.printf(Locale.ROOT, "%n[%s] starting (application.id %s, %s, commit.interval.ms %s, num.stream.threads %s; load average %.2f)%n",
                label, appId, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG), props.getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "default"),
                props.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1), load);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicReference<Throwable> died = new AtomicReference<>();
        List<String> warnings = new java.util.ArrayList<>();
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            died.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try (Drain drain = new Drain(cluster.admin(), cluster.bootstrap(), appId, externalInputs)) {
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            streams.start();
            long lastReport = t0;
            Long done = null;
            while (done == null) {
                Thread.sleep(CHECK_MS);
                if (died.get() != null || streams.state() == KafkaStreams.State.ERROR
                        || streams.state() == KafkaStreams.State.PENDING_ERROR) {
                    throw new IllegalStateException("[" + label + "] the Streams app died", died.get());
                }
                done = drain.check();
                long now = System.nanoTime();
                if (done == null && now - lastReport > 5_000_000_000L) {
                    lastReport = now;
                    System.out.printf(Locale.ROOT, "  %6.1f s: %,d of %,d raw lines committed, %,d input records not yet committed, %,d processed, %s%n",
                            (now - t0) / 1e9, drain.externalCommitted(), lines, drain.remaining(), processed(streams), streams.state());
                }
                if (done == null && now - t0 > timeout.toNanos()) {
                    throw new IllegalStateException("[" + label + "] did not drain in " + timeout + ": " + drain.externalCommitted()
                            + " of " + lines + " raw lines committed, inputs " + drain.inputs());
                }
            }
            double streamCpu = streamThreadCpu(threads, appId);
            double processCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            long processed = processed(streams);
            long first = FirstRecordInterceptor.firstRecordNanos(appId);
            if (first < 0 || first > done) {
                throw new IllegalStateException("[" + label + "] no first record seen by the interceptor");
            }

            // nothing may be written after the drain (a late write means the end was called too early)
            Map<TopicPartition, Long> atDrain = cluster.endOffsets(outputs, true);
            Thread.sleep(Math.max(1_000, 2 * commitInterval(props)));
            Map<TopicPartition, Long> settled = cluster.endOffsets(outputs, true);
            if (!settled.equals(atDrain)) {
                warnings.add("outputs grew after the drain: " + atDrain + " -> " + settled);
            }
            if (beforeClose != null) {
                beforeClose.accept(streams);
            }
            Result r = new Result(label, appId, lines, (done - first) / 1e9, (first - t0) / 1e9, processed, streamCpu, processCpu, load,
                    warnings);
            System.out.println(r.describe());
            return r;
        } finally {
            streams.close(Duration.ofSeconds(60));
            streams.cleanUp();
            BenchCluster.deleteTree(stateDir);
        }
    }

    private static long commitInterval(Properties props) {
        Object v = props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        if (v != null) {
            return Long.parseLong(v.toString());
        }
        return StreamsConfig.AT_LEAST_ONCE.equals(String.valueOf(props.getOrDefault(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.AT_LEAST_ONCE))) ? 30_000 : 100;
    }

    /** Records processed by the app's stream threads (their {@code process-total}). */
    static long processed(KafkaStreams streams) {
        double n = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName m = e.getKey();
            if (m.group().equals("stream-thread-metrics") && m.name().equals("process-total")
                    && e.getValue().metricValue() instanceof Double d && !d.isNaN()) {
                n += d;
            }
        }
        return (long) n;
    }

    /** CPU time of the app's stream threads (named {@code <application.id>-<uuid>-StreamThread-<n>}). */
    private static double streamThreadCpu(ThreadMXBean threads, String appId) {
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(appId + "-") && info.getThreadName().contains("-StreamThread-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total / 1e9;
    }
}
