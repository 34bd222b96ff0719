package io.tlsmon.bench;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.Parsers;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.pipeline.LogPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of the pure pipeline on one core, per log line: {@code pipeline} runs parse, stitch
 * and classify ({@link LogPipeline}) over {@value #LINES} generated lines; {@code parseOnly} runs
 * just the format's parser over the same lines. {@link OperationsPerInvocation} makes each score
 * lines per second, and makes {@code -prof gc}'s {@code gc.alloc.rate.norm} bytes per line.
 *
 * <p>JMH scores wall-clock throughput. On a machine shared with other work the benchmark thread is
 * not always on a CPU, so {@link CpuTime} also prints, per iteration, lines per CPU-second of the
 * benchmark thread and of the whole JVM (GC and JIT threads included): the latter is what one
 * dedicated core would sustain.
 *
 * <p>The lines are made once per trial by {@link LogGenerator} (same seed every run) and held in
 * memory, so no I/O or decoding is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ParseStitchClassifyBenchmark {
    /** Lines per invocation. */
    public static final int LINES = 200_000;

    @Param({"exchange", "postfix"})
    public String format;

    private String[] lines;
    private LogFormat logFormat;
    private String stream;
    private long reference;

    @Setup(Level.Trial)
    public void generate() {
        LogGenerator.Format generated = LogGenerator.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        LogGenerator generator = new LogGenerator(generated, LogGenerator.DEFAULT_SEED);
        lines = new String[LINES];
        for (int i = 0; i < LINES; i++) {
            lines[i] = generator.nextLine();
        }
        logFormat = LogFormat.fromLabel(format);
        stream = generated == LogGenerator.Format.EXCHANGE ? "/logs/bench/exchange.log" : "/logs/bench/mail.log";
        // Syslog lines carry no year: it is inferred from a time near the end of the stream.
        reference = generator.clock();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long pipeline(Blackhole blackhole, CpuTime cpu) {
        cpu.invocations++;
        LogPipeline.Listener listener = new LogPipeline.Listener() {
            @Override
            public void attempt(NegotiationAttempt attempt) {
                blackhole.consume(attempt);
            }

            @Override
            public void parseError(String source, long lineNumber, String reason, String line) {
                blackhole.consume(reason);
            }
        };
        LogPipeline.Options options = LogPipeline.Options.defaults().withFormat(logFormat);
        try (LogPipeline pipeline = new LogPipeline(options, listener)) {
            try (LogPipeline.StreamReader reader = pipeline.openStream(stream, reference)) {
                String[] ls = lines;
                for (int i = 0; i < ls.length; i++) {
                    reader.line(ls[i], i + 1);
                }
            }
            pipeline.endGroup();
            return pipeline.counters().attempts();
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void parseOnly(Blackhole blackhole, CpuTime cpu) {
        cpu.invocations++;
        LineParser parser = Parsers.forFormat(logFormat, new StreamInfo(null, stream, ZoneOffset.UTC, reference));
        String[] ls = lines;
        for (int i = 0; i < ls.length; i++) {
            blackhole.consume(parser.parse(ls[i], i + 1));
        }
    }

    /** CPU time used during one iteration, printed with the iteration (see the class comment). */
    @State(Scope.Thread)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        long invocations;
        private long threadStart;
        private long processStart;
        private long wallStart;

        @Setup(Level.Iteration)
        public void start() {
            invocations = 0;
            wallStart = System.nanoTime();
            threadStart = THREADS.getCurrentThreadCpuTime();
            processStart = OS.getProcessCpuTime();
        }

        @TearDown(Level.Iteration)
        public void report() {
            double wall = (System.nanoTime() - wallStart) / 1e9;
            double thread = (THREADS.getCurrentThreadCpuTime() - threadStart) / 1e9;
            double process = (OS.getProcessCpuTime() - processStart) / 1e9;
            double lines = (double) invocations * LINES;
            System.out.printf(Locale.ROOT, "[cpu] %.0f lines/s of benchmark-thread CPU, %.0f lines/s of JVM CPU;"
                    + " thread on CPU %.0f%% of wall time%n", lines / thread, lines / process, 100 * thread / wall);
        }
    }
}
