package io.tlsmon.ingest.tail;

import static io.tlsmon.ingest.testing.LogWriter.append;
import static io.tlsmon.ingest.testing.LogWriter.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.testing.AvroRawLineSerde;
import io.tlsmon.ingest.testing.CircularLogWriter;
import io.tlsmon.ingest.testing.LineCounts;
import io.tlsmon.ingest.testing.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipper on a real broker keeps the handles of the files it follows: files deleted (Exchange
 * circular logging) or renamed out of the filter right after lines were appended lose nothing, the
 * handles stay within max.open.files, and a restart after such a deletion neither loses what was
 * committed nor ships anything twice. Every line is counted against what was written.
 */
class ShipperHandlesIT {
    static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** A running shipper; closing it stops the loop. */
    record Running(ShipperLoop loop, Thread thread) implements AutoCloseable {
        @Override
        public void close() {
            loop.close();
        }
    }

    private ShipperConfig.Builder config(String topic, TailSource source) {
        broker.createTopics(1, topic);
        return ShipperConfig.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(topic)
            .shipperId(topic)
            .sourceHost("mx1")
            .checkpointDir(dir.resolve("checkpoints"))
            .source(source)
            .pollIntervalMs(20)
            .scanIntervalMs(100)
            .commitIntervalMs(50);
    }

    private static Running start(ShipperConfig config) {
        ShipperLoop loop = new ShipperLoop(config, AvroRawLineSerde.serializer());
        Thread t = new Thread(loop, "shipper-" + config.topic());
        t.start();
        return new Running(loop, t);
    }

    private static void awaitShipped(ShipperLoop loop, long n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> loop.metrics().linesShipped() >= n);
    }

    private LineCounts counts(String topic, List<String> written) {
        return LineCounts.of(written, TopicReader.readAll(broker.bootstrapServers(), topic, written.size(), Duration.ofSeconds(30)));
    }

    private TailSource exchange(Path root) {
        return new TailSource("exchange", List.of(root), LogFileFilter.exchange(), ZoneOffset.UTC);
    }

    private static List<String> expected(String prefix, int from, int to) {
        return List.of(lines(prefix, from, to).split("\n"));
    }

    @Test
    void exchangeCircularLoggingDeletingTheOldestReceiveLogUnderTheShipperLosesAndRepeatsNoLine() throws Exception {
        Path folder = dir.resolve("FrontEnd/ProtocolLog/SmtpReceive");
        CircularLogWriter writer = new CircularLogWriter(folder, 24, 400, 3, 600, 4, System.nanoTime());
        try (Running r = start(config("circular", exchange(dir.resolve("FrontEnd"))).maxOpenFiles(8).build())) {
            Thread w = new Thread(writer, "circular-writer");
            w.start();
            w.join(120_000);
            assertThat(writer.done()).isTrue();
            awaitShipped(r.loop(), writer.written().size());
            await().atMost(Duration.ofSeconds(10)).until(() -> r.loop().metrics().openFiles() == 0);
            assertThat(r.loop().metrics().filesGoneUnread()).isZero();
        }
        assertThat(writer.deleted()).isEqualTo(24);
        LineCounts c = counts("circular", writer.written());
        System.out.println("circular logging under the shipper: " + c + ", files deleted " + writer.deleted());
        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
    }

    @Test
    void linesAppendedThenTheFileRenamedOutOfTheFilterAreShippedOnce() throws Exception {
        Path log = Files.createDirectories(dir.resolve("var")).resolve("mail.log");
        TailSource postfix = new TailSource("postfix", List.of(log.getParent()), LogFileFilter.postfix(), ZoneOffset.UTC);
        List<String> written = new ArrayList<>();
        try (Running r = start(config("renamed", postfix).build())) {
            for (int round = 0; round < 10; round++) {
                String prefix = "r" + round;
                append(log, lines(prefix, 0, 50));
                awaitShipped(r.loop(), written.size() + 50);
                append(log, lines(prefix, 50, 60));
                // out of the filter (not mail.log.N), then a new mail.log, before the shipper polls again
                Files.move(log, log.resolveSibling("mail.log.moved-" + round));
                append(log, "");
                written.addAll(expected(prefix, 0, 60));
            }
            awaitShipped(r.loop(), written.size());
        }
        LineCounts c = counts("renamed", written);
        System.out.println("renamed out of the filter: " + c);
        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
    }

    @Test
    void theHandlesStayWithinMaxOpenFilesWhileManyFilesAreShipped() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts descriptors through /proc");
        Path folder = Files.createDirectories(dir.resolve("many"));
        List<String> written = new ArrayList<>();
        for (int f = 0; f < 30; f++) {
            append(folder.resolve("f" + f + ".log"), lines("f" + f, 0, 200));
            written.addAll(expected("f" + f, 0, 200));
        }
        TailSource all = new TailSource("postfix", List.of(folder), LogFileFilter.all(), ZoneOffset.UTC);
        AtomicLong maxHeld = new AtomicLong();
        AtomicInteger maxDescriptors = new AtomicInteger();
        try (Running r = start(config("bounded", all).maxOpenFiles(3).transactionMaxLines(150).build())) {
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    maxHeld.accumulateAndGet(r.loop().metrics().openFiles(), Math::max);
                    maxDescriptors.accumulateAndGet(descriptorsUnder(folder), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fd-sampler");
            sampler.start();
            awaitShipped(r.loop(), written.size());
            sampler.interrupt();
            sampler.join();
        }
        LineCounts c = counts("bounded", written);
        System.out.println("30 files, max.open.files=3: " + c + ", most handles held " + maxHeld + ", most descriptors seen " + maxDescriptors);
        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
        assertThat(maxHeld.get()).isLessThanOrEqualTo(3);
        // besides the handles held, a file without one is opened for a moment to check its first bytes
        assertThat(maxDescriptors.get()).isLessThanOrEqualTo(3 + 1);
    }

    @Test
    void aRestartAfterADeletionLosesNothingCommittedAndShipsNothingTwice() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("Hub/ProtocolLog/SmtpReceive"));
        Path first = folder.resolve("RECV2024030110-1.LOG");
        Path second = folder.resolve("RECV2024030111-2.LOG");
        append(first, lines("one", 0, 100));
        append(second, lines("two", 0, 50));
        ShipperConfig config = config("restart-deleted", exchange(dir.resolve("Hub"))).build();
        Path staleCheckpoint = dir.resolve("stale.json");
        try (Running r = start(config)) {
            awaitShipped(r.loop(), 150);
            Files.copy(r.loop().checkpointFile(), staleCheckpoint);
            append(first, lines("one", 100, 120));
            Files.delete(first); // circular logging, right after the append
            awaitShipped(r.loop(), 170);
            append(second, lines("two", 50, 60));
            awaitShipped(r.loop(), 180);
        }
        // as if killed between a commit and its checkpoint: the checkpoint knows neither the lines
        // after it nor that the first file is gone; the topic does
        Files.copy(staleCheckpoint, config.checkpointDir().resolve("restart-deleted.checkpoint.json"),
            StandardCopyOption.REPLACE_EXISTING);
        append(second, lines("two", 60, 75));
        long reconciled;
        try (Running r = start(config)) {
            awaitShipped(r.loop(), 15);
            Thread.sleep(500);
            reconciled = r.loop().metrics().reconciledLines();
        }
        List<String> written = new ArrayList<>(expected("one", 0, 120));
        written.addAll(expected("two", 0, 75));
        LineCounts c = counts("restart-deleted", written);
        System.out.println("restart after a deletion, from a stale checkpoint: " + c + ", reconciled " + reconciled);
        assertThat(reconciled).as("lines found in the topic beyond the stale checkpoint").isEqualTo(30);
        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
    }

    @Test
    void aGracefulRestartAfterADeletionForgetsTheDeletedFileAndShipsTheRestOnce() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("Edge/ProtocolLog/SmtpReceive"));
        Path first = folder.resolve("RECV2024030110-1.LOG");
        Path second = folder.resolve("RECV2024030111-2.LOG");
        append(first, lines("one", 0, 40));
        append(second, lines("two", 0, 40));
        ShipperConfig config = config("restart-graceful", exchange(dir.resolve("Edge"))).build();
        try (Running r = start(config)) {
            awaitShipped(r.loop(), 80);
            append(first, lines("one", 40, 45));
            Files.delete(first);
            awaitShipped(r.loop(), 85);
            // read to its end and committed: its handle goes, and the next checkpoint no longer lists it
            await().atMost(Duration.ofSeconds(10)).until(() -> r.loop().metrics().openFiles() == 1);
            append(second, lines("two", 40, 42));
            awaitShipped(r.loop(), 87);
            assertThat(r.loop().lastCheckpoint().files()).extracting(FileState::path).containsExactly(second.toString());
        }
        append(second, lines("two", 42, 50));
        try (Running r = start(config)) {
            awaitShipped(r.loop(), 8);
            Thread.sleep(500);
            assertThat(r.loop().metrics().linesShipped()).isEqualTo(8);
        }
        List<String> written = new ArrayList<>(expected("one", 0, 45));
        written.addAll(expected("two", 0, 50));
        LineCounts c = counts("restart-graceful", written);
        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
    }

    /** Descriptors of this JVM open on files under {@code folder}. */
    private static int descriptorsUnder(Path folder) {
        int n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    // files only: the shipper's scans of its folders hold descriptors of the folders themselves
                    if (target.startsWith(folder) && !Files.isDirectory(target)) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return n;
    }
}
