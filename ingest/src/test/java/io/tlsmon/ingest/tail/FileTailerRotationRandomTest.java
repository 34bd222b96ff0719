package io.tlsmon.ingest.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tailer as the shipper drives it, against a log that logrotate rotates by turns with
 * rename-and-create and copytruncate while it is written: lines read and "committed" at random,
 * sends that fail (a rewind to the last commit, as after a broker outage), restarts from the last
 * checkpoint (a new tailer), now and then a scan between logrotate's copy and its truncation. What
 * was committed must be every line written, each once. The fault campaign (ChaosCampaignIT) found a
 * copy shipped whole a second time, then, after the first fix, a copy read again from its start
 * after a rewind; this test finds such sequences in milliseconds (it found three more: a rewind
 * with paths stale after a rename, a file truncated and written past its position before its
 * fingerprint covered what had been read, a restart with a checkpoint taken while the file was
 * shorter than a fingerprint).
 */
class FileTailerRotationRandomTest {
    @TempDir
    Path dir;

    private final List<String> written = new ArrayList<>();
    private final List<Path> rotated = new ArrayList<>();
    private FileChannel log;
    private int n;

    private FileTailer tailer() {
        return new FileTailer(List.of(new TailSource("postfix", List.of(dir), LogFileFilter.postfix(), ZoneOffset.UTC)), true);
    }

    private Path current() {
        return dir.resolve("mail.log");
    }

    private void write(Random r) throws IOException {
        for (int i = r.nextInt(30); i > 0; i--) {
            String line = String.format("Dec  1 10:%02d:%02d mx1 postfix/smtpd[%d]: connect from host-%d[192.0.2.7]", n / 60 % 60, n % 60, 1000 + n, n);
            n++;
            written.add(line);
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            int cut = r.nextInt(8) == 0 ? 1 + r.nextInt(b.length - 1) : b.length;
            log.write(ByteBuffer.wrap(b, 0, cut));
            if (cut < b.length) {
                log.write(ByteBuffer.wrap(b, cut, b.length - cut));
            }
        }
    }

    private void rotate(boolean copy, Runnable betweenCopyAndTruncate) throws IOException {
        for (int i = rotated.size() - 1; i >= 0; i--) {
            Path to = dir.resolve("mail.log." + (i + 2));
            Files.move(rotated.get(i), to);
            rotated.set(i, to);
        }
        Path first = dir.resolve("mail.log.1");
        if (copy) {
            Files.copy(current(), first);
            betweenCopyAndTruncate.run();
            log.truncate(0);
        } else {
            Files.move(current(), first);
            log.close();
            log = FileChannel.open(current(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        rotated.add(0, first);
    }

    /** 50 sequences by default; {@code -Dtailer.random.sequences=2000} for a long search (about 7 minutes). */
    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("tailer.random.sequences", 50));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyLineIsCommittedOnceThroughRotationsRewindsAndRestarts(long seed) throws Exception {
        Random r = new Random(seed);
        log = FileChannel.open(current(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        List<String> committedLines = new ArrayList<>();
        List<String> open = new ArrayList<>();
        FileTailer t = tailer();
        Collection<FileState> checkpoint = List.of();
        t.resetTo(checkpoint);
        boolean copyNext = r.nextBoolean();
        List<String> trace = new ArrayList<>();
        for (int step = 0; step < 1000; step++) {
            switch (r.nextInt(10)) {
                case 0, 1, 2 -> {
                    int before = n;
                    write(r);
                    trace.add("write " + before + ".." + n);
                }
                case 3 -> {
                    if (r.nextInt(4) == 0) {
                        // now and then the shipper scans between logrotate's copy and its truncation
                        boolean scanBetween = r.nextInt(3) == 0;
                        FileTailer current = t;
                        rotate(copyNext, () -> {
                            if (scanBetween) {
                                current.scan();
                            }
                        });
                        trace.add(copyNext ? "copytruncate" + (scanBetween ? " (scan between)" : "") : "rename-and-create");
                        copyNext = !copyNext;
                    }
                }
                case 4, 5 -> {
                    t.scan();
                    trace.add("scan");
                }
                case 6, 7 -> {
                    List<TailLine> got = t.poll(1 + r.nextInt(40));
                    got.forEach(l -> open.add(l.text()));
                    StringBuilder what = new StringBuilder("poll " + got.size());
                    String file = null;
                    for (TailLine l : got) {
                        String f = Path.of(l.file().path()).getFileName() + "@" + l.offset();
                        if (file == null || !l.file().path().equals(file)) {
                            what.append(' ').append(f).append(' ').append(l.text().substring(l.text().indexOf("host-") + 5, l.text().indexOf('[', l.text().indexOf("host-"))));
                            file = l.file().path();
                        }
                    }
                    if (!got.isEmpty()) {
                        String x = got.get(got.size() - 1).text();
                        what.append("..").append(x.substring(x.indexOf("host-") + 5, x.indexOf('[', x.indexOf("host-"))));
                    }
                    trace.add(what.toString());
                }
                case 8 -> {
                    // commit: the positions of what was sent, taken before the commit as the shipper does
                    checkpoint = List.copyOf(t.snapshot().values());
                    committedLines.addAll(open);
                    open.clear();
                    trace.add("commit " + checkpoint);
                }
                default -> {
                    open.clear();
                    if (r.nextBoolean()) {
                        t.resetTo(checkpoint); // a send failed: back to the last commit
                        trace.add("rewind");
                    } else {
                        t = tailer(); // killed and restarted from the checkpoint file
                        t.resetTo(checkpoint);
                        trace.add("restart");
                    }
                }
            }
        }
        // the end: everything read and committed
        for (int i = 0; i < 5; i++) {
            t.scan();
            for (List<TailLine> b = t.poll(1000); !b.isEmpty(); b = t.poll(1000)) {
                b.forEach(l -> open.add(l.text()));
            }
        }
        committedLines.addAll(open);
        log.close();

        Map<String, Integer> counts = new HashMap<>();
        committedLines.forEach(l -> counts.merge(l, 1, Integer::sum));
        List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        List<String> lost = written.stream().filter(l -> !counts.containsKey(l)).toList();
        String steps = String.join("\n", trace.subList(Math.max(0, trace.size() - 400), trace.size()));
        assertThat(duplicated).as("duplicated (seed %d) after (last steps)\n%s", seed, steps).isEmpty();
        assertThat(lost).as("lost (seed %d) after (last steps)\n%s", seed, steps).isEmpty();
        assertThat(committedLines).hasSameSizeAs(written);
    }
}
