package io.tlsmon.ingest.tail;

import static io.tlsmon.ingest.testing.LogWriter.append;
import static io.tlsmon.ingest.testing.LogWriter.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailer keeps the handles of the files it follows: lines appended to a file that is then deleted
 * or renamed out of the filter before the next poll are still read, a rewind still reaches them, and
 * the number of handles stays within its bound. "Acknowledge" here stands for the shipper's commit.
 */
class FileTailerHandlesTest {
    @TempDir
    Path dir;

    private static FileTailer tailer(TailSource source, int maxOpenFiles) {
        return new FileTailer(List.of(source), true, maxOpenFiles);
    }

    private TailSource exchange() {
        return new TailSource("exchange", List.of(dir), LogFileFilter.exchange(), ZoneOffset.UTC);
    }

    private TailSource postfix() {
        return new TailSource("postfix", List.of(dir), LogFileFilter.postfix(), ZoneOffset.UTC);
    }

    private TailSource all() {
        return new TailSource("postfix", List.of(dir), LogFileFilter.all(), ZoneOffset.UTC);
    }

    private static List<String> texts(List<TailLine> lines) {
        return lines.stream().map(TailLine::text).toList();
    }

    /** {@code lines(prefix, from, to)} as the texts the tailer hands out. */
    private static List<String> expected(String prefix, int from, int to) {
        return List.of(lines(prefix, from, to).split("\n"));
    }

    /** Polls until nothing more comes, acknowledging after each poll as a commit would. */
    private static List<String> drain(FileTailer t, int chunk) {
        List<String> out = new ArrayList<>();
        while (true) {
            List<TailLine> got = t.poll(chunk);
            if (got.isEmpty()) {
                return out;
            }
            out.addAll(texts(got));
            t.acknowledge(t.snapshot().values());
        }
    }

    private Path receiveLog(String name) throws Exception {
        return Files.createDirectories(dir.resolve("SmtpReceive")).resolve(name);
    }

    @Test
    void linesAppendedThenTheFileDeletedBeforeTheNextPollAreRead() throws Exception {
        Path log = receiveLog("RECV2024030110-1.LOG");
        append(log, lines("a", 0, 10));
        FileTailer t = tailer(exchange(), 8);
        t.scan();
        assertThat(drain(t, 100)).isEqualTo(expected("a", 0, 10));

        append(log, lines("a", 10, 15));
        Files.delete(log); // circular logging, between two polls

        assertThat(drain(t, 100)).isEqualTo(expected("a", 10, 15));
    }

    @Test
    void aDeletionSeenByAScanBeforeThePollStillLetsTheFileBeReadToItsEnd() throws Exception {
        Path log = receiveLog("RECV2024030110-1.LOG");
        append(log, lines("a", 0, 10));
        FileTailer t = tailer(exchange(), 8);
        t.scan();
        drain(t, 100);

        append(log, lines("a", 10, 15));
        Files.delete(log);
        t.scan();

        assertThat(t.goneFilesOpen()).isEqualTo(1);
        assertThat(t.snapshot()).hasSize(1); // still checkpointed while it is read
        assertThat(drain(t, 3)).isEqualTo(expected("a", 10, 15));
    }

    @Test
    void linesAppendedThenTheFileRenamedOutOfTheFilterAreRead() throws Exception {
        Path log = dir.resolve("mail.log");
        append(log, lines("p", 0, 10));
        FileTailer t = tailer(postfix(), 8);
        t.scan();
        drain(t, 100);

        append(log, lines("p", 10, 14));
        Files.move(log, dir.resolve("mail.log.old")); // not a name the postfix filter takes
        t.scan();

        assertThat(drain(t, 100)).isEqualTo(expected("p", 10, 14));
    }

    @Test
    void aGoneFileIsReadAgainAfterARewindAndClosedOnlyOnceAcknowledgedAndNoLongerGrowing() throws Exception {
        Path log = receiveLog("RECV2024030110-1.LOG");
        append(log, lines("a", 0, 10));
        FileTailer t = tailer(exchange(), 8);
        t.scan();
        drain(t, 100);
        var acknowledged = List.copyOf(t.snapshot().values());

        append(log, lines("a", 10, 15));
        Files.delete(log);
        t.scan();
        List<String> firstTry = texts(t.poll(100)); // sent, then the transaction fails: not acknowledged
        t.scan();
        t.scan();
        assertThat(t.openFiles()).as("unacknowledged lines keep the handle").isEqualTo(1);

        t.resetTo(acknowledged);
        List<String> secondTry = texts(t.poll(100));
        t.acknowledge(t.snapshot().values());
        t.scan();

        assertThat(firstTry).isEqualTo(expected("a", 10, 15));
        assertThat(secondTry).isEqualTo(firstTry);
        assertThat(t.openFiles()).isZero();
        assertThat(t.followedFiles()).isZero();
        assertThat(t.snapshot()).isEmpty();
    }

    @Test
    void aRenamedFileStillWrittenThroughAnOpenDescriptorStaysOpenWhileItGrows() throws Exception {
        Path log = dir.resolve("mail.log");
        FileTailer t = tailer(postfix(), 8);
        try (FileChannel writer = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            write(writer, lines("w", 0, 5));
            t.scan();
            drain(t, 100);
            Files.move(log, dir.resolve("mail.log.moved"));
            write(writer, lines("w", 5, 10));
            t.scan(); // gone
            List<String> second = drain(t, 100);
            write(writer, lines("w", 10, 15)); // the writer has not reopened its log yet
            t.scan(); // grew since the scan that found it gone: kept open
            assertThat(t.openFiles()).isEqualTo(1);
            List<String> third = drain(t, 100);
            t.scan();

            assertThat(second).isEqualTo(expected("w", 5, 10));
            assertThat(third).isEqualTo(expected("w", 10, 15));
            assertThat(t.openFiles()).isZero();
        }
    }

    @Test
    void renameAndCreateBetweenTwoPollsReadsTheRenamedFileThroughItsHandleBeforeTheNewOne() throws Exception {
        Path log = dir.resolve("mail.log");
        append(log, lines("old", 0, 10));
        FileTailer t = tailer(postfix(), 8);
        t.scan();
        drain(t, 100);

        append(log, lines("old", 10, 15));
        Files.move(log, dir.resolve("mail.log.1"));
        append(log, lines("new", 0, 3));
        List<String> beforeScan = drain(t, 100);
        t.scan();
        List<String> afterScan = drain(t, 100);

        assertThat(beforeScan).isEqualTo(expected("old", 10, 15));
        assertThat(afterScan).isEqualTo(expected("new", 0, 3));
        assertThat(t.snapshot().values()).extracting(FileState::path)
            .containsExactlyInAnyOrder(dir.resolve("mail.log.1").toString(), log.toString());
    }

    @Test
    void copytruncateThroughTheHandleStartsAgainFromByteZero() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, lines("before", 0, 10));
        FileTailer t = tailer(all(), 8);
        t.scan();
        drain(t, 100);

        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, lines("after", 0, 4));
        t.scan();
        List<TailLine> after = t.poll(100);

        assertThat(texts(after)).isEqualTo(expected("after", 0, 4));
        assertThat(after.get(0).offset()).isZero();
        assertThat(after.get(0).lineNumber()).isEqualTo(1L);
    }

    @Test
    void handlesNeverExceedTheBoundAndEveryLineOfEveryFileIsReadOnce() throws Exception {
        List<String> written = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            Path p = dir.resolve("f" + f + ".log");
            append(p, lines("f" + f, 0, 10));
            Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2024-03-01T10:00:00Z").plusSeconds(f)));
            written.addAll(expected("f" + f, 0, 10));
        }
        FileTailer t = tailer(all(), 2);
        t.scan();
        assertThat(t.openFiles()).isEqualTo(2);
        assertThat(t.filesWaitingForHandle()).isEqualTo(4);

        List<String> read = new ArrayList<>();
        int maxOpen = 0;
        for (int i = 0; i < 100; i++) {
            List<TailLine> got = t.poll(7);
            maxOpen = Math.max(maxOpen, t.openFiles());
            read.addAll(texts(got));
            t.acknowledge(t.snapshot().values());
            if (i % 3 == 0) {
                t.scan();
                maxOpen = Math.max(maxOpen, t.openFiles());
            }
        }

        assertThat(maxOpen).isEqualTo(2);
        assertThat(read).hasSameSizeAs(written).containsExactlyInAnyOrderElementsOf(written);
        assertThat(t.filesWaitingForHandle()).isZero();
    }

    @Test
    void atTheBoundTheFinishedFileIdleLongestLosesItsHandleFirst() throws Exception {
        Path a = dir.resolve("a.log");
        Path b = dir.resolve("b.log");
        append(a, lines("a", 0, 3));
        append(b, lines("b", 0, 3));
        FileTailer t = tailer(all(), 2);
        t.scan();
        drain(t, 100);
        append(b, lines("b", 3, 5)); // b was active more recently than a
        t.scan();
        drain(t, 100);

        append(dir.resolve("c.log"), lines("c", 0, 2));
        t.scan();

        assertThat(t.openPaths()).containsExactlyInAnyOrder(b.toString(), dir.resolve("c.log").toString());
        append(a, lines("a", 3, 6)); // a, closed, grows: opened again by its path
        t.scan();
        List<String> rest = drain(t, 100);
        assertThat(rest).containsExactlyInAnyOrderElementsOf(concat(expected("c", 0, 2), expected("a", 3, 6)));
        assertThat(t.openFiles()).isLessThanOrEqualTo(2);
    }

    @Test
    void aFileWithUnacknowledgedLinesKeepsItsHandleAndANewFileWaits() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, lines("a", 0, 3));
        FileTailer t = tailer(all(), 1);
        t.scan();
        List<String> first = texts(t.poll(100)); // read, not acknowledged
        Path b = dir.resolve("b.log");
        append(b, lines("b", 0, 4));
        t.scan();

        assertThat(t.openPaths()).containsExactly(a.toString());
        assertThat(t.filesWaitingForHandle()).isEqualTo(1);
        assertThat(t.poll(100)).isEmpty();

        t.acknowledge(t.snapshot().values());
        List<String> second = drain(t, 100);

        assertThat(first).isEqualTo(expected("a", 0, 3));
        assertThat(second).isEqualTo(expected("b", 0, 4));
        assertThat(t.openPaths()).containsExactly(b.toString());
    }

    @Test
    void aFileDeletedWhileItWaitsForAHandleIsCountedAsLost() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, lines("a", 0, 3));
        FileTailer t = tailer(all(), 1);
        t.scan();
        t.poll(100); // a keeps the only handle: not acknowledged
        Path b = dir.resolve("b.log");
        append(b, lines("b", 0, 4));
        t.scan();
        long size = Files.size(b);
        Files.delete(b);
        t.scan();

        assertThat(t.filesGoneUnread()).isEqualTo(1);
        assertThat(t.bytesGoneUnread()).isEqualTo(size);
    }

    /**
     * Exchange circular logging under the tailer: files are created one after another, every live file
     * is appended to (often half a line at a time), and the oldest gets its last lines and is deleted
     * at once, before the next poll; sometimes a scan sees the deletion first, sometimes not.
     */
    @Test
    void circularLoggingDeletingTheOldestFileUnderTheTailerLosesAndRepeatsNoLine() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path folder = Files.createDirectories(dir.resolve("SmtpReceive"));
        FileTailer t = tailer(exchange(), 10);
        Deque<Path> live = new ArrayDeque<>();
        Map<Path, Integer> next = new HashMap<>();
        Map<Path, String> held = new HashMap<>(); // the rest of a line written in half
        List<String> written = new ArrayList<>();
        List<String> read = new ArrayList<>();
        int maxOpen = 0;
        for (int step = 0; step < 40; step++) {
            Path file = folder.resolve(String.format("RECV20240301%02d-%d.LOG", step % 24, step));
            live.add(file);
            next.put(file, 0);
            append(file, "");
            t.scan();
            for (Path p : live) {
                writeSome(p, 1 + random.nextInt(8), next, held, written, random);
            }
            if (live.size() > 3) {
                Path oldest = live.poll();
                writeSome(oldest, 1 + random.nextInt(5), next, held, written, random);
                finish(oldest, held);
                Files.delete(oldest);
            }
            if (random.nextBoolean()) {
                t.scan();
            }
            read.addAll(drain(t, 1 + random.nextInt(20)));
            maxOpen = Math.max(maxOpen, t.openFiles());
        }
        for (Path p : live) {
            finish(p, held);
            Files.delete(p);
        }
        read.addAll(drain(t, 1000));
        t.scan();
        t.scan();

        assertThat(read).as("seed %d", seed).hasSameSizeAs(written).containsExactlyInAnyOrderElementsOf(written);
        assertThat(read).as("seed %d", seed).doesNotHaveDuplicates();
        assertThat(maxOpen).isLessThanOrEqualTo(10);
        assertThat(t.openFiles()).as("every deleted file closed once read and acknowledged").isZero();
    }

    private static void writeSome(Path p, int n, Map<Path, Integer> next, Map<Path, String> held, List<String> written,
                                  Random random) {
        int from = next.get(p);
        String text = held.getOrDefault(p, "") + lines(p.getFileName().toString(), from, from + n);
        written.addAll(expected(p.getFileName().toString(), from, from + n));
        next.put(p, from + n);
        int cut = random.nextBoolean() ? text.length() : text.length() - 1 - random.nextInt(10);
        append(p, text.substring(0, cut));
        held.put(p, text.substring(cut));
    }

    private static void finish(Path p, Map<Path, String> held) {
        append(p, held.getOrDefault(p, ""));
        held.put(p, "");
    }

    private static void write(FileChannel ch, String text) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
