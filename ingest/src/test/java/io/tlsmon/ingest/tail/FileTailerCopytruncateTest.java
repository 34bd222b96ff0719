package io.tlsmon.ingest.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * logrotate's copytruncate in a followed folder: {@code mail.log} is copied to {@code mail.log.1},
 * then truncated and written on. The copy is a new file that the folder's filter takes, holding
 * what the original held; it must be read on from where the original was left, neither from its
 * start (every line read already again) nor not at all (the lines not read yet lost). Found by the
 * fault campaign (ChaosCampaignIT), which shipped each copy whole a second time.
 */
class FileTailerCopytruncateTest {
    @TempDir
    Path dir;

    private FileTailer tailer() {
        return new FileTailer(List.of(new TailSource("postfix", List.of(dir), LogFileFilter.postfix(), ZoneOffset.UTC)), true);
    }

    private static String lines(int from, int to) {
        StringBuilder b = new StringBuilder();
        IntStream.range(from, to).forEach(i -> b.append("Dec  1 10:").append(String.format("%02d:%02d", i / 60 % 60, i % 60))
            .append(" mx1 postfix/smtpd[").append(1000 + i).append("]: connect from host-").append(i).append("[192.0.2.7]\n"));
        return b.toString();
    }

    private static List<String> expected(int from, int to) {
        return lines(from, to).lines().toList();
    }

    private Path log() {
        return dir.resolve("mail.log");
    }

    private void append(String text) throws IOException {
        Files.writeString(log(), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void copy() throws IOException {
        Files.copy(log(), dir.resolve("mail.log.1"));
    }

    private void truncate() throws IOException {
        try (FileChannel ch = FileChannel.open(log(), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    private static List<String> texts(List<TailLine> lines) {
        return lines.stream().map(TailLine::text).toList();
    }

    private static List<String> drain(FileTailer t) {
        t.scan();
        List<String> out = new ArrayList<>();
        for (List<TailLine> batch = t.poll(1000); !batch.isEmpty(); batch = t.poll(1000)) {
            out.addAll(texts(batch));
        }
        return out;
    }

    @Test
    void theCopyIsReadOnFromWhereTheOriginalWasLeft() throws Exception {
        append(lines(0, 30));
        FileTailer t = tailer();
        List<String> read = new ArrayList<>(drain(t));
        append(lines(30, 40)); // written, not read yet when logrotate comes
        copy();
        truncate();
        append(lines(40, 50));
        read.addAll(drain(t));

        assertThat(read).containsExactlyInAnyOrderElementsOf(expected(0, 50));
        assertThat(read).doesNotHaveDuplicates();
    }

    @Test
    void aCopySeenBeforeTheTruncationWaitsForIt() throws Exception {
        append(lines(0, 30));
        FileTailer t = tailer();
        List<String> read = new ArrayList<>(drain(t));
        append(lines(30, 40));
        copy();
        // a scan between logrotate's copy and its truncation: the copy is the same content
        read.addAll(drain(t));
        truncate();
        append(lines(40, 50));
        read.addAll(drain(t));

        assertThat(read).containsExactlyInAnyOrderElementsOf(expected(0, 50));
        assertThat(read).doesNotHaveDuplicates();
    }

    @Test
    void aShipperRestartedAfterACopytruncateReadsTheCopyOnFromItsCheckpoint() throws Exception {
        append(lines(0, 30));
        FileTailer before = tailer();
        List<String> read = new ArrayList<>(drain(before));
        var checkpoint = before.snapshot().values();
        append(lines(30, 40));
        copy();
        truncate();
        append(lines(40, 50));

        FileTailer after = tailer();
        after.resetTo(checkpoint);
        read.addAll(drain(after));

        assertThat(read).containsExactlyInAnyOrderElementsOf(expected(0, 50));
        assertThat(read).doesNotHaveDuplicates();
    }

    @Test
    void aFailedSendRewindsTheCopyToTheLastAcknowledgedPositionOfItsContent() throws Exception {
        append(lines(0, 30));
        FileTailer t = tailer();
        List<String> acknowledged = new ArrayList<>(drain(t));
        var committed = t.snapshot().values();
        append(lines(30, 40));
        drain(t); // read and sent, never committed
        copy();
        truncate();
        append(lines(40, 50));
        drain(t); // the copy is taken up where the original was read to; still nothing committed

        t.resetTo(committed);
        acknowledged.addAll(drain(t));

        assertThat(acknowledged).containsExactlyInAnyOrderElementsOf(expected(0, 50));
        assertThat(acknowledged).doesNotHaveDuplicates();
    }

    @Test
    void aShipperRestartedAfterItSawTheTruncationButNotYetTheCopyReadsTheCopyOn() throws Exception {
        append(lines(0, 30));
        FileTailer before = tailer();
        List<String> read = new ArrayList<>(drain(before));
        append(lines(30, 40));
        // the copy lands in the folder only after the scan that sees the truncation (a walk racing logrotate)
        Path elsewhere = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-staging")).resolve("mail.log.1");
        Files.copy(log(), elsewhere);
        truncate();
        append(lines(40, 50));
        read.addAll(drain(before));
        var checkpoint = before.snapshot().values();

        FileTailer after = tailer();
        after.resetTo(checkpoint);
        Files.move(elsewhere, dir.resolve("mail.log.1"));
        read.addAll(drain(after));

        assertThat(read).containsExactlyInAnyOrderElementsOf(expected(0, 50));
        assertThat(read).doesNotHaveDuplicates();
    }

    @Test
    void aCopyOfAFileStillWrittenIsNotShipped() throws Exception {
        append(lines(0, 30));
        FileTailer t = tailer();
        List<String> read = new ArrayList<>(drain(t));
        copy(); // a backup, not a rotation: the original goes on
        append(lines(30, 40));
        read.addAll(drain(t));
        read.addAll(drain(t));

        assertThat(read).containsExactlyElementsOf(expected(0, 40));
    }
}
