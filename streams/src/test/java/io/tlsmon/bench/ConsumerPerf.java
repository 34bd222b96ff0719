package io.tlsmon.bench;

import org.apache.kafka.tools.ConsumerPerformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka's own {@code org.apache.kafka.tools.ConsumerPerformance}, called in this JVM over the raw
 * topic with a fresh group, its CSV output echoed and parsed.
 *
 * <p>ConsumerPerformance times from before {@code subscribe} to the poll that returned the last record;
 * {@code fetch.nMsg.sec} leaves out the group join (from {@code subscribe} to the first assignment),
 * so it is the rate from (about) the first record to the last, which is what the Streams runs are
 * timed by. It commits nothing and deserialises nothing (byte arrays).
 */
final class ConsumerPerf {
    private ConsumerPerf() {
    }

    /** One run: records, seconds from the first assignment to the last record, and the rates. */
    record Result(long records, double fetchSeconds, double fetchRate, double rateWithJoin, long joinMs, double mbPerSec, double load,
                  double cpuSeconds) {
        String describe() {
            return String.format(Locale.ROOT, "ConsumerPerformance: %,d records in %.2f s from assignment = %,.0f records/s "
                            + "(%,.0f records/s with the %d ms group join), %.1f MB/s; CPU of its polling thread %.2f s",
                    records, fetchSeconds, fetchRate, rateWithJoin, joinMs, mbPerSec, cpuSeconds);
        }
    }

    static Result run(String bootstrap, String topic, long records, String group) {
        double load = BenchCluster.loadAverage();
        String[] args = {"--bootstrap-server", bootstrap, "--topic", topic, "--num-records", Long.toString(records),
            "--group", group, "--timeout", "120000"};
        System.out.printf(Locale.ROOT, "ConsumerPerformance %s   (load average %.2f)%n", String.join(" ", args), load);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        // ConsumerPerformance polls in the calling thread (the classic consumer fetches in poll())
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        try {
            ConsumerPerformance.main(args);
        } finally {
            System.out.flush();
            System.setOut(original);
        }
        double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;
        List<String> out = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(",")).toList();
        if (out.size() < 2) {
            throw new IllegalStateException("unexpected ConsumerPerformance output: " + out);
        }
        String[] names = out.get(out.size() - 2).split(",");
        String[] values = out.get(out.size() - 1).split(",");
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            m.put(names[i].trim(), values[i].trim());
        }
        long read = Long.parseLong(m.get("data.consumed.in.nMsg"));
        if (read != records) {
            throw new IllegalStateException("ConsumerPerformance read " + read + " of " + records + " records: " + m);
        }
        long fetchMs = Long.parseLong(m.get("fetch.time.ms"));
        Result r = new Result(read, fetchMs / 1e3, Double.parseDouble(m.get("fetch.nMsg.sec")), Double.parseDouble(m.get("nMsg.sec")),
                Long.parseLong(m.get("rebalance.time.ms")), Double.parseDouble(m.get("fetch.MB.sec")), load, cpu);
        System.out.println(r.describe());
        return r;
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
