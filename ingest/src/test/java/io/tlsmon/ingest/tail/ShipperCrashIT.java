package io.tlsmon.ingest.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.testing.LogWriter;
import io.tlsmon.ingest.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipper runs in a child JVM that is killed with SIGKILL at random moments while lines are
 * appended (in pieces, so partial lines are common) and the file is rotated; after the last restart
 * every line must be in the topic exactly once.
 */
class ShipperCrashIT {
    private static final int LINES = 20_000;
    private static final String TOPIC = "crash";
    static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(2, TOPIC);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void killMinusNineAtRandomMomentsLosesAndDuplicatesNothing() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("mail.log");
        Thread writer = new Thread(() -> writeLines(log, new Random(seed + 1)), "writer");
        writer.start();
        int kills = 0;
        for (int i = 0; i < 6; i++) {
            Process child = startChild(logs);
            Thread.sleep(700 + random.nextInt(1800));
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            kills++;
        }
        Process last = startChild(logs);
        try {
            writer.join(60_000);
            assertThat(writer.isAlive()).isFalse();
            List<ConsumerRecord<String, RawLine>> records =
                TopicReader.readAll(broker.bootstrapServers(), TOPIC, LINES, Duration.ofSeconds(90));
            Map<String, Integer> counts = new HashMap<>();
            for (ConsumerRecord<String, RawLine> r : records) {
                counts.merge(r.value().getLine(), 1, Integer::sum);
            }
            List<String> duplicates = new ArrayList<>();
            counts.forEach((line, c) -> {
                if (c > 1) {
                    duplicates.add(line + " x" + c);
                }
            });
            assertThat(duplicates).as("duplicated lines (seed %d, %d kills)", seed, kills).isEmpty();
            assertThat(counts).as("distinct lines shipped (seed %d)", seed).hasSize(LINES);
            assertThat(records).hasSize(LINES);
            for (int i = 0; i < LINES; i++) {
                assertThat(counts).containsKey(line(i));
            }
        } finally {
            last.destroyForcibly();
            last.waitFor(20, TimeUnit.SECONDS);
            // evidence for the reader: how often a restart found committed lines the checkpoint missed
            Path childLog = dir.resolve("child.log");
            if (Files.exists(childLog)) {
                try (var l = Files.lines(childLog)) {
                    l.filter(x -> x.contains("beyond the checkpoint")).forEach(System.out::println);
                }
            }
        }
    }

    private static String line(int i) {
        return "2024-03-01T10:00:00.000Z,c-" + i + ",some,payload";
    }

    /** Appends all lines in random pieces (often splitting a line), rotating the file half way. */
    private static void writeLines(Path log, Random random) {
        try {
            int i = 0;
            while (i < LINES) {
                int n = Math.min(LINES - i, 1 + random.nextInt(60));
                String text = LogWriter.lines("c", i, i + n);
                int cut = random.nextInt(text.length());
                LogWriter.append(log, text.substring(0, cut));
                Thread.sleep(random.nextInt(5));
                LogWriter.append(log, text.substring(cut));
                i += n;
                if (i >= LINES / 2 && !Files.exists(log.resolveSibling("mail.log.1"))) {
                    Files.move(log, log.resolveSibling("mail.log.1"));
                }
                Thread.sleep(2 + random.nextInt(8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Process startChild(Path logs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), ShipperChild.class.getName(),
            broker.bootstrapServers(), TOPIC, "crash-shipper", dir.resolve("checkpoints").toString(), logs.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child.log").toFile()));
        return pb.start();
    }
}
