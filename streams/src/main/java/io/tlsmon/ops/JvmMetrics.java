package io.tlsmon.ops;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The JVM's own figures, named as Prometheus' Java client names its gauges (its GC summary is two
 * counters here, {@code jvm_gc_collections_total} and {@code jvm_gc_collection_seconds_total}), so
 * most dashboards and alert rules operators have for Java services apply: heap and non-heap memory, direct and
 * mapped buffers (where RocksDB's block cache is not: it is native memory, see the Kafka Streams
 * RocksDB metrics), garbage collections and threads, process uptime and CPU time.
 */
final class JvmMetrics {
    private JvmMetrics() {
    }

    static void writeTo(Exposition out) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        out.family("jvm_memory_bytes_used", Exposition.Type.GAUGE, "Memory the JVM uses, by area.")
                .sample("jvm_memory_bytes_used", List.of("area", "heap"), heap.getUsed())
                .sample("jvm_memory_bytes_used", List.of("area", "nonheap"), nonHeap.getUsed());
        out.family("jvm_memory_bytes_committed", Exposition.Type.GAUGE, "Memory the JVM has from the operating system, by area.")
                .sample("jvm_memory_bytes_committed", List.of("area", "heap"), heap.getCommitted())
                .sample("jvm_memory_bytes_committed", List.of("area", "nonheap"), nonHeap.getCommitted());
        out.family("jvm_memory_bytes_max", Exposition.Type.GAUGE, "The most memory the JVM may use, by area (-1 when unbounded).")
                .sample("jvm_memory_bytes_max", List.of("area", "heap"), heap.getMax())
                .sample("jvm_memory_bytes_max", List.of("area", "nonheap"), nonHeap.getMax());
        out.family("jvm_buffer_pool_used_bytes", Exposition.Type.GAUGE, "Direct and mapped buffer memory in use, by pool.");
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            out.sample("jvm_buffer_pool_used_bytes", List.of("pool", pool.getName()), pool.getMemoryUsed());
        }
        out.family("jvm_gc_collections_total", Exposition.Type.COUNTER, "Garbage collections, by collector.");
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (GarbageCollectorMXBean gc : collectors) {
            out.sample("jvm_gc_collections_total", List.of("gc", gc.getName()), Math.max(0, gc.getCollectionCount()));
        }
        out.family("jvm_gc_collection_seconds_total", Exposition.Type.COUNTER, "Time spent in garbage collections, by collector.");
        for (GarbageCollectorMXBean gc : collectors) {
            out.sample("jvm_gc_collection_seconds_total", List.of("gc", gc.getName()), Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        out.family("jvm_threads_current", Exposition.Type.GAUGE, "Live threads of the JVM.")
                .sample("jvm_threads_current", List.of(), threads.getThreadCount());
        out.family("jvm_threads_daemon", Exposition.Type.GAUGE, "Live daemon threads of the JVM.")
                .sample("jvm_threads_daemon", List.of(), threads.getDaemonThreadCount());
        long startMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        out.family("process_start_time_seconds", Exposition.Type.GAUGE, "When the process started, in seconds since the epoch.")
                .sample("process_start_time_seconds", List.of(), startMs / 1000.0);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os && os.getProcessCpuTime() >= 0) {
            out.family("process_cpu_seconds_total", Exposition.Type.COUNTER, "CPU time the process has used.")
                    .sample("process_cpu_seconds_total", List.of(), os.getProcessCpuTime() / 1e9);
        }
    }
}
