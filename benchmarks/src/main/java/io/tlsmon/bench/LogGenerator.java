package io.tlsmon.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes a realistic, deterministic log of many interleaved SMTP sessions, for benchmarks and for
 * heap-bounded runs over gigabytes. The same format, seed and start give the same lines.
 *
 * <p>Sessions are interleaved {@link #DEFAULT_DEPTH} deep: the generator keeps that many sessions
 * open and writes the next line of a randomly chosen one, so every session's lines are spread among
 * those of dozens of others, as on a busy server. Time only moves forward (milliseconds apart for
 * Exchange, the syslog second for Postfix). Memory is bounded by the open sessions, never by the
 * length of the output.
 *
 * <p>An Exchange server writes receive and send sessions to two logs. One output file holds both as
 * a shipper would forward them: alternating blocks of receive and send lines, each block starting
 * with its log's {@code #}-header (so the parser knows the side), the blocks a few seconds of log
 * time long. Within a block time increases; the next block of the other log starts a few seconds
 * earlier, less than any idle gap.
 *
 * <p>CLI: {@code java -cp benchmarks.jar io.tlsmon.bench.LogGenerator --format exchange|postfix
 * (--lines N | --bytes SIZE) --out FILE [--seed S] [--depth D] [--start ISO-INSTANT]}.
 */
public final class LogGenerator {
    public enum Format { EXCHANGE, POSTFIX }

    /** Sessions open at once. */
    public static final int DEFAULT_DEPTH = 48;
    public static final long DEFAULT_SEED = 20261128L;
    /** Log time of the first line: {@code 2026-11-28T00:00:00Z}. */
    public static final long DEFAULT_START = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
    /** Exchange: receive and send lines per block (see the class comment). */
    static final int BLOCK_LINES = 8192;

    private final SplittableRandom random;
    private final SessionSource source;
    private final Timestamps timestamps = new Timestamps();
    private final Script[] open;
    /** Mean log time between two lines, in milliseconds. */
    private final int meanGapMillis;
    private long clock;

    private final List<List<String>> blocks = new ArrayList<>();
    private final long[] blockStart;
    private int blocked;
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private final Stats stats = new Stats();
    /** The log of the line {@link #interleave()} made last. */
    private int lastLog;

    public LogGenerator(Format format, long seed, long startMillis, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be positive: " + depth);
        }
        this.random = new SplittableRandom(seed);
        this.source = format == Format.EXCHANGE ? new ExchangeSessions(random) : new PostfixFlows(random);
        this.meanGapMillis = format == Format.EXCHANGE ? 3 : 4;
        this.clock = startMillis;
        this.open = new Script[depth];
        for (int i = 0; i < depth; i++) {
            open[i] = start(source.next(clock));
        }
        for (int log = 0; log < source.logs(); log++) {
            blocks.add(new ArrayList<>(BLOCK_LINES));
        }
        this.blockStart = new long[source.logs()];
    }

    public LogGenerator(Format format, long seed) {
        this(format, seed, DEFAULT_START, DEFAULT_DEPTH);
    }

    /** The first {@code count} lines of a log, in memory (benchmarks). */
    public static String[] lines(Format format, int count, long seed) {
        LogGenerator g = new LogGenerator(format, seed);
        String[] lines = new String[count];
        for (int i = 0; i < count; i++) {
            lines[i] = g.nextLine();
        }
        return lines;
    }

    /** The next line of the output, without its line terminator. */
    public String nextLine() {
        String line;
        if (source.logs() == 1) {
            line = interleave();
        } else {
            while (ready.isEmpty()) {
                fillBlocks();
            }
            line = ready.poll();
        }
        stats.lines++;
        stats.bytes += line.length() + 1; // every generated line is ASCII
        if (line.charAt(0) == '#') {
            stats.headerLines++;
        }
        return line;
    }

    /** Log time of the latest line made, epoch milliseconds. */
    public long clock() {
        return clock;
    }

    public Stats stats() {
        return stats;
    }

    /**
     * Writes lines until {@code maxLines} lines or {@code maxBytes} bytes (whichever comes first; a
     * non-positive limit means none). Returns the number of lines written.
     */
    public long write(Writer out, long maxLines, long maxBytes) throws IOException {
        long lines = 0;
        long bytes = 0;
        while ((maxLines <= 0 || lines < maxLines) && (maxBytes <= 0 || bytes < maxBytes)) {
            String line = nextLine();
            out.write(line);
            out.write('\n');
            lines++;
            bytes += line.length() + 1;
        }
        return lines;
    }

    // ------------------------------------------------------------------ the interleaving

    /** The next line of a randomly chosen open session, stamped with the advanced clock. */
    private String interleave() {
        // Uniform gaps in [0, 2*mean]: the mean rate is fixed, bursts and lulls happen.
        clock += random.nextInt(2 * meanGapMillis + 1);
        int i = random.nextInt(open.length);
        Script script = open[i];
        boolean tls = script.nextIsTls();
        String body = script.take();
        lastLog = script.log;
        if (tls) {
            stats.tlsLines++;
        }
        if (script.done()) {
            if (script.onEnd != null) {
                script.onEnd.run();
            }
            open[i] = start(script.followUp != null ? script.followUp : source.next(clock));
        }
        return source.stamp(timestamps, clock, body);
    }

    /** Exchange: interleaves one block's worth of lines, then releases each log's block behind its header. */
    private void fillBlocks() {
        while (blocked < BLOCK_LINES) {
            String line = interleave();
            List<String> block = blocks.get(lastLog);
            if (block.isEmpty()) {
                blockStart[lastLog] = clock;
            }
            block.add(line);
            blocked++;
        }
        for (int log = 0; log < blocks.size(); log++) {
            List<String> block = blocks.get(log);
            if (!block.isEmpty()) {
                ready.addAll(source.header(log, blockStart[log]));
                ready.addAll(block);
                block.clear();
            }
        }
        blocked = 0;
    }

    private Script start(Script script) {
        stats.sessions++;
        stats.intents.merge(script.intent, 1L, Long::sum);
        return script;
    }

    /** What has been generated so far. */
    public static final class Stats {
        long lines;
        long bytes;
        long tlsLines;
        long headerLines;
        long sessions;
        final Map<String, Long> intents = new TreeMap<>();

        public long lines() { return lines; }
        public long bytes() { return bytes; }
        /** Lines that are TLS evidence: STARTTLS, handshake results, certificates, TLS-required replies. */
        public long tlsLines() { return tlsLines; }
        public long headerLines() { return headerLines; }
        /** Sessions started (some may still be open when the output stops). */
        public long sessions() { return sessions; }
        /** Sessions started, by the outcome they were composed to show. */
        public Map<String, Long> intents() { return intents; }

        /** Share of non-header lines that say nothing about TLS. */
        public double nonTlsShare() {
            long body = lines - headerLines;
            return body == 0 ? 0 : 1.0 - (double) tlsLines / body;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d lines, %d bytes (%.1f bytes/line), %.1f%% non-TLS lines, %d sessions started%n"
                    + "sessions by composed outcome: %s", lines, bytes, lines == 0 ? 0.0 : (double) bytes / lines,
                    100 * nonTlsShare(), sessions, intents);
        }
    }

    // ------------------------------------------------------------------ command line

    public static void main(String[] args) throws IOException {
        Format format = null;
        long lines = 0;
        long bytes = 0;
        Path out = null;
        long seed = DEFAULT_SEED;
        int depth = DEFAULT_DEPTH;
        long start = DEFAULT_START;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--format" -> format = Format.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT));
                    case "--lines" -> lines = Long.parseLong(value(args, ++i, a).replace("_", ""));
                    case "--bytes" -> bytes = parseSize(value(args, ++i, a));
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--depth" -> depth = Integer.parseInt(value(args, ++i, a));
                    case "--start" -> start = Instant.parse(value(args, ++i, a)).toEpochMilli();
                    case "-h", "--help" -> {
                        usage(null);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (format == null || out == null || (lines <= 0 && bytes <= 0)) {
                throw new IllegalArgumentException("--format, --out and --lines or --bytes are required");
            }
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            System.exit(2);
            return;
        }
        LogGenerator generator = new LogGenerator(format, seed, start, depth);
        long t0 = System.nanoTime();
        try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.US_ASCII), 1 << 20)) {
            generator.write(w, lines, bytes);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "LogGenerator: %s %s in %.1f s; log time %s .. %s%n", format.name().toLowerCase(Locale.ROOT),
                generator.stats(), seconds, Instant.ofEpochMilli(start), Instant.ofEpochMilli(generator.clock()));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** {@code 2000000}, {@code 500M}, {@code 2G} (binary multiples). */
    static long parseSize(String s) {
        String v = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = v.charAt(v.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            v = v.substring(0, v.length() - 1);
        }
        return Long.parseLong(v) * unit;
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("LogGenerator: " + problem);
        }
        System.err.println("usage: java -cp benchmarks.jar io.tlsmon.bench.LogGenerator --format exchange|postfix"
                + " (--lines N | --bytes SIZE[K|M|G]) --out FILE [--seed S] [--depth SESSIONS] [--start 2026-11-28T00:00:00Z]");
    }
}
