package io.tlsmon.bench;

import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.TlsmonTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;

import javax.management.ObjectName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: the JVM whose memory {@link MemoryBenchmark} measures. It runs the tlsmon topology
 * ({@link TlsmonTopology#build} with {@code TlsmonConfig.streamsProperties()}) and nothing else, as a
 * production instance would; the broker, the schema registry and the load generator are in the
 * parent JVM. Arguments: {@code key=value} settings (tlsmon and Kafka Streams keys).
 *
 * <p>Commands on stdin, one a line: {@code report} prints this JVM's memory (lines starting with
 * {@code memory }), {@code stop} (or the end of stdin) closes the app and exits.
 */
public final class MemoryChild {
    private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern NMT_TOTAL = Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private MemoryChild() {
    }

    public static void main(String[] args) throws Exception {
        BenchCluster.quietLogs();
        Map<String, Object> settings = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value settings, not '" + a + "'");
            }
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        TlsmonConfig config = new TlsmonConfig(settings);
        StreamsBuilder builder = new StreamsBuilder();
        TlsmonTopology.build(builder, config);
        Properties props = config.streamsProperties();
        Topology topology = builder.build(props);
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            System.out.println("memory-child: stream thread died: " + e);
            e.printStackTrace(System.out);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        System.out.println("memory-child: started " + props.get("application.id") + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
            if (line.trim().equals("report")) {
                report(streams, topology);
            }
        }
        streams.close(Duration.ofSeconds(60));
        System.out.println("memory-child: closed");
        System.out.flush();
        System.exit(0);
    }

    private static void report(KafkaStreams streams, Topology topology) {
        // /proc/self/status: peak and current resident set of this JVM
        for (Map.Entry<String, Long> e : procStatus(Path.of("/proc/self/status")).entrySet()) {
            System.out.println("memory proc." + e.getKey() + " " + e.getValue());
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.println("memory heap.max " + (heap.getMax() >> 10));
        System.out.println("memory heap.committed " + (heap.getCommitted() >> 10));
        System.out.println("memory heap.used " + (heap.getUsed() >> 10));
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getPeakUsage() != null && pool.getType() == java.lang.management.MemoryType.HEAP) {
                System.out.println("memory heap.pool.peak.committed." + pool.getName().replace(' ', '_') + " " + (pool.getPeakUsage().getCommitted() >> 10));
            }
        }
        // Native Memory Tracking (-XX:NativeMemoryTracking=summary): what the JVM itself committed
        try {
            String nmt = (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            for (String l : nmt.split("\n")) {
                Matcher t = NMT_TOTAL.matcher(l.trim());
                if (t.find()) {
                    System.out.println("memory nmt.total " + t.group(2));
                }
                Matcher c = NMT_CATEGORY.matcher(l.trim());
                if (c.find()) {
                    System.out.println("memory nmt." + c.group(1).trim().replace(' ', '_') + " " + c.group(3));
                }
            }
        } catch (Exception e) {
            System.out.println("memory-child: no NMT summary (" + e + ")");
        }
        // RocksDB's own figures (Kafka Streams' RocksDB metrics, recording level INFO). The block cache is
        // shared by every store (BoundedMemoryRocksDbConfig): each store reports the same cache, so the
        // largest figure counts; memtables are charged to that cache by the write-buffer manager.
        Map<String, Double> rocks = new LinkedHashMap<>();
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> e : streams.metrics().entrySet()) {
            org.apache.kafka.common.MetricName n = e.getKey();
            if (!n.group().equals("stream-state-metrics") || !(e.getValue().metricValue() instanceof Number v)) {
                continue;
            }
            switch (n.name()) {
                case "block-cache-usage", "block-cache-capacity", "block-cache-pinned-usage" -> rocks.merge(n.name(), v.doubleValue(), Math::max);
                case "size-all-mem-tables", "estimate-table-readers-mem", "total-sst-files-size", "estimate-num-keys" ->
                        rocks.merge(n.name(), v.doubleValue(), Double::sum);
                default -> {
                }
            }
        }
        rocks.forEach((k, v) -> System.out.println("memory rocksdb." + k + " " + (k.equals("estimate-num-keys") ? v.longValue() : v.longValue() >> 10)));
        // how many keys the stores hold (RocksDB's estimate, summed over this instance's tasks)
        for (String store : storeNames(topology)) {
            try {
                long n = streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore())).approximateNumEntries();
                System.out.println("memory store." + store + " " + n);
            } catch (RuntimeException e) {
                System.out.println("memory-child: store " + store + " not queried (" + e.getClass().getSimpleName() + ")");
            }
        }
        System.out.println("memory end");
        System.out.flush();
    }

    private static TreeSet<String> storeNames(Topology topology) {
        TreeSet<String> names = new TreeSet<>();
        for (TopologyDescription.Subtopology s : topology.describe().subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                if (n instanceof TopologyDescription.Processor p) {
                    names.addAll(p.stores());
                }
            }
        }
        return names;
    }

    /** The kB figures of /proc/PID/status (VmHWM, VmRSS, RssAnon, RssFile, RssShmem, VmSwap). */
    static Map<String, Long> procStatus(Path file) {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String l : Files.readAllLines(file)) {
                for (String key : new String[] {"VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmSwap"}) {
                    if (l.startsWith(key + ":")) {
                        m.put(key, Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or no /proc: nothing to report
        }
        return m;
    }
}
