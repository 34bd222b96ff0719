package io.tlsmon.ingest.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.replay.ArchiveReplayer;
import io.tlsmon.ingest.replay.PeriodicProgressLine;
import io.tlsmon.ingest.replay.ReplayConfig;
import io.tlsmon.ingest.replay.ReplaySource;
import io.tlsmon.ingest.replay.ReplaySummary;
import io.tlsmon.ingest.tail.LogFileFilter;
import io.tlsmon.ingest.tail.ShipperConfig;
import io.tlsmon.ingest.tail.ShipperLoop;
import io.tlsmon.ingest.tail.TailSource;
import io.tlsmon.ingest.testing.AvroRawLineSerde;

/**
 * Not a test: measures, against the embedded broker, (1) lines/s from a file to committed,
 * broker-acknowledged transactions by the {@link ShipperLoop}, and (2) lines/s of an
 * {@link ArchiveReplayer} replay of the same file. Args: [lines (default 1000000)] [compression (lz4)].
 *
 * <pre>
 * mvn -B -o -q -pl ingest -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -cp ingest/target/test-classes:ingest/target/classes:$(cat /tmp/cp.txt) io.tlsmon.ingest.bench.ShipBenchmark
 * </pre>
 */
public final class ShipBenchmark {
    private ShipBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String compression = args.length > 1 ? args[1] : "lz4";
        Path dir = Files.createTempDirectory("tlsmon-bench-");
        Path logs = Files.createDirectories(dir.resolve("FrontEnd/ProtocolLog/SmtpReceive"));
        Path file = logs.resolve("RECV2024030110-1.LOG");
        long bytes = generate(file, lines);
        System.out.printf(Locale.ROOT, "generated %,d lines, %.1f MB (Exchange-like, composed)%n", lines, bytes / 1e6);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(1, "bench-ship", "bench-replay");

            ShipperConfig config = ShipperConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic("bench-ship")
                .shipperId("bench")
                .sourceHost("bench")
                .checkpointDir(dir.resolve("checkpoints"))
                .source(new TailSource("exchange", List.of(dir), LogFileFilter.exchange(), java.time.ZoneOffset.UTC))
                .producerSetting("compression.type", compression)
                .build();
            long start = System.nanoTime();
            try (ShipperLoop loop = new ShipperLoop(config, AvroRawLineSerde.serializer())) {
                Thread t = new Thread(loop, "bench-shipper");
                t.start();
                while (loop.metrics().linesShipped() < lines) {
                    Thread.sleep(20);
                }
                double s = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "ship:   %,d lines in %.2f s = %,.0f lines/s (%.1f MB/s), %d transactions, compression %s%n",
                    lines, s, lines / s, bytes / 1e6 / s, loop.metrics().transactions(), compression);
            }

            ReplayConfig rc = ReplayConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .topic("bench-replay")
                .source(ReplaySource.of("bench", "exchange", List.of(dir.resolve("FrontEnd"))))
                .producerSetting("compression.type", compression)
                .build();
            ReplaySummary summary = new ArchiveReplayer(rc, AvroRawLineSerde.serializer())
                .run(new PeriodicProgressLine(System.out, java.time.Duration.ofSeconds(5)));
            double s = summary.elapsed().toNanos() / 1e9;
            System.out.printf(Locale.ROOT, "replay: %,d lines in %.2f s = %,.0f lines/s (%.1f MB/s), errors %d%n",
                summary.linesSent(), s, summary.linesSent() / s, bytes / 1e6 / s, summary.errors());
        } finally {
            deleteTree(dir);
        }
    }

    private static long generate(Path file, int lines) throws IOException {
        Instant t0 = Instant.parse("2024-03-01T10:00:00Z");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("#Software: Microsoft Exchange Server\n#Version: 15.0.0.0\n#Log-type: SMTP Receive Protocol Log\n"
                + "#Date: 2024-03-01T10:00:00.000Z\n#Fields: date-time,connector-id,session-id,sequence-number,"
                + "local-endpoint,remote-endpoint,event,data,context\n");
            for (int i = 0; i < lines - 5; i++) {
                w.write(t0.plusMillis(i * 7L).toString());
                w.write(",EX1\\Default Frontend EX1,08D50D3D");
                w.write(String.format(Locale.ROOT, "%08X,%d,10.0.0.1:25,192.0.2.%d:%d,<,EHLO mail%d.example.net,%n",
                    i / 12, i % 12, i % 250, 40000 + i % 20000, i % 997));
            }
        }
        return Files.size(file);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
