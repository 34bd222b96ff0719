package io.tlsmon.ingest.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

import io.tlsmon.logs.LineClock;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.exchange.ExchangeHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the files of some {@link TailSource}s and hands out their complete lines, in order per
 * file. Knows nothing of Kafka: the {@link ShipperLoop} decides when what was read counts as shipped
 * and may {@link #resetTo rewind} the tailer to the last acknowledged positions.
 *
 * <p>What it copes with, all decided at each {@link #scan()} from the file key (inode) and a CRC-32
 * of the first bytes of each file:
 * <ul>
 *   <li>files still being written: only lines ending in LF are taken; a partial last line waits;</li>
 *   <li>new files in watched folders (walked recursively, through the source's {@link LogFileFilter});</li>
 *   <li>rename-and-create rotation: the renamed file keeps its identity (same inode and first bytes),
 *       so it is read to its end under its new name, before the newly created file;</li>
 *   <li>copytruncate: a file shorter than its position, or whose first bytes changed, is read again
 *       from 0 as a new identity;</li>
 *   <li>circular logging: a file that is gone is forgotten (the lines it had when last read are
 *       shipped; lines appended after that and deleted before the next poll cannot be).</li>
 * </ul>
 * Not thread-safe: one thread polls.
 */
public final class FileTailer {
    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);
    /** Longest line kept whole; a longer one is cut there (a log line that long is not a protocol log line). */
    static final int MAX_LINE_BYTES = 1 << 20;
    private static final int READ_BUFFER = 256 * 1024;

    private final List<TailSource> sources;
    private final boolean readExistingFromStart;
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private final Map<String, FileState> pendingRestore = new HashMap<>();
    private long nextSeq;
    private boolean scannedOnce;
    private byte[] buffer = new byte[READ_BUFFER];

    /**
     * @param readExistingFromStart whether files found at the first scan that no checkpoint knows are
     *                              read from their start (true) or from their end (false)
     */
    public FileTailer(List<TailSource> sources, boolean readExistingFromStart) {
        this.sources = List.copyOf(sources);
        this.readExistingFromStart = readExistingFromStart;
    }

    /** One followed file. */
    private static final class Tracked {
        FileState state;
        TailSource source;
        final long seq;
        final long startPosition;
        long lastSize = -1;
        long lastMtime = -1;
        /** The #Log-type/#Fields lines of an Exchange file, sent with each of its lines. */
        final ExchangeHeader header = new ExchangeHeader();
        /** Per file: a syslog year moves on with the lines of one file, an Exchange layout is one file's. */
        LineClock clock;
        boolean headerLoaded;

        Tracked(FileState state, TailSource source, long seq, long mtime) {
            this.state = state;
            this.source = source;
            this.seq = seq;
            this.startPosition = state.position();
            newClock(mtime);
        }

        /**
         * A clock that has seen nothing yet, for a file taken up or read again from an earlier
         * position (a clock that read on would take a rewound January line for next year's).
         * {@code mtime} is near the last line, so it dates a first line without a year.
         */
        void newClock(long mtime) {
            clock = LineClock.of(source.format(), new StreamInfo(null, state.path(), source.zone(), mtime));
        }
    }

    private record Found(Path path, BasicFileAttributes attrs, TailSource source) {
    }

    /**
     * Sets the positions to resume from: the files of a checkpoint, or the acknowledged positions after
     * a failed send. A state whose file is followed already replaces its position (when the file still
     * has the same first bytes); one not followed yet is matched at the next scan. Followed files
     * absent from {@code states} go back to where the tailer first took them up.
     */
    public void resetTo(Collection<FileState> states) {
        Map<String, FileState> byKey = new HashMap<>();
        for (FileState s : states) {
            byKey.put(s.fileKey(), s);
        }
        for (Tracked t : tracked.values()) {
            FileState s = byKey.remove(t.state.fileKey());
            Path path = Path.of(t.state.path());
            if (s != null && matches(path, s.fingerprintLength(), s.fingerprint()) && size(path) >= s.position()) {
                t.state = t.state.at(s.position(), s.lineNumber(), s.lastTime());
            } else {
                t.state = t.state.at(t.startPosition, 0, -1);
            }
            // read again from the file's head what the lines to come need (Exchange header, clock layout)
            t.header.clear();
            t.headerLoaded = t.state.position() == 0;
            t.newClock(t.lastMtime >= 0 ? t.lastMtime : System.currentTimeMillis());
        }
        pendingRestore.clear();
        pendingRestore.putAll(byKey);
    }

    /** The position of every followed file (and of files of a restore not matched yet), by file key. */
    public Map<String, FileState> snapshot() {
        Map<String, FileState> out = new LinkedHashMap<>(pendingRestore);
        for (Tracked t : tracked.values()) {
            out.put(t.state.fileKey(), t.state);
        }
        return out;
    }

    public int followedFiles() {
        return tracked.size();
    }

    /** Walks the sources: takes up new files, notices renames, truncation, replacement and deletion. */
    public void scan() {
        Map<String, Found> found = new LinkedHashMap<>();
        for (TailSource source : sources) {
            for (Path root : source.paths()) {
                collect(source, root.toAbsolutePath().normalize(), found);
            }
        }
        tracked.entrySet().removeIf(e -> {
            if (!found.containsKey(e.getKey())) {
                LOG.info("{} is gone (deleted or moved away): finished with it at byte {}", e.getValue().state.path(),
                    e.getValue().state.position());
                return true;
            }
            return false;
        });
        List<Found> fresh = new ArrayList<>();
        for (Map.Entry<String, Found> e : found.entrySet()) {
            Tracked t = tracked.get(e.getKey());
            if (t == null) {
                fresh.add(e.getValue());
                continue;
            }
            Found f = e.getValue();
            t.source = f.source();
            if (!t.state.path().equals(f.path().toString())) {
                LOG.info("{} was renamed to {}: reading on to its end", t.state.path(), f.path());
                t.state = t.state.withPath(f.path().toString());
            }
            long size = f.attrs().size();
            long mtime = f.attrs().lastModifiedTime().toMillis();
            if (size != t.lastSize || mtime != t.lastMtime) {
                if (size < t.state.position() || !matches(f.path(), t.state.fingerprintLength(), t.state.fingerprint())) {
                    LOG.info("{} was truncated or replaced (size {} < position {} or new first bytes): reading it from the start",
                        f.path(), size, t.state.position());
                    Tracked replacement = new Tracked(newState(e.getKey(), f, 0), f.source(), t.seq, mtime);
                    replacement.headerLoaded = true;
                    tracked.put(e.getKey(), replacement);
                    t = replacement;
                }
                upgradeFingerprint(t, f.path(), size);
                t.lastSize = size;
                t.lastMtime = mtime;
            }
        }
        fresh.sort(Comparator.comparingLong((Found f) -> f.attrs().lastModifiedTime().toMillis())
            .thenComparing(f -> f.path().toString()));
        for (Found f : fresh) {
            String key = fileKey(f.path(), f.attrs());
            FileState restored = pendingRestore.remove(key);
            FileState state;
            if (restored != null && matches(f.path(), restored.fingerprintLength(), restored.fingerprint())
                    && f.attrs().size() >= restored.position()) {
                state = restored.withPath(f.path().toString());
            } else {
                if (restored != null) {
                    LOG.info("{} no longer holds the checkpointed content: reading it from the start", f.path());
                }
                long start = !scannedOnce && !readExistingFromStart && restored == null
                    ? lastCompleteLineEnd(f.path(), f.attrs().size()) : 0;
                state = newState(key, f, start);
            }
            Tracked t = new Tracked(state, f.source(), nextSeq++, f.attrs().lastModifiedTime().toMillis());
            t.headerLoaded = state.position() == 0;
            upgradeFingerprint(t, f.path(), f.attrs().size());
            t.lastSize = f.attrs().size();
            t.lastMtime = f.attrs().lastModifiedTime().toMillis();
            tracked.put(key, t);
            LOG.info("following {} ({}) from byte {}", f.path(), f.source().logKind(), state.position());
        }
        pendingRestore.clear();
        scannedOnce = true;
    }

    /**
     * Reads up to {@code maxLines} complete lines, taking files in the order they were taken up (a
     * renamed file before the file created in its place). Does not scan.
     */
    public List<TailLine> poll(int maxLines) {
        List<TailLine> out = new ArrayList<>();
        List<Tracked> order = new ArrayList<>(tracked.values());
        order.sort(Comparator.comparingLong(t -> t.seq));
        for (Tracked t : order) {
            if (out.size() >= maxLines) {
                break;
            }
            try {
                read(t, maxLines - out.size(), out);
            } catch (NoSuchFileException e) {
                LOG.debug("{} vanished while being read", t.state.path());
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", t.state.path(), e.toString());
            }
        }
        return out;
    }

    private void read(Tracked t, int maxLines, List<TailLine> out) throws IOException {
        Path path = Path.of(t.state.path());
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            // the path may have been rotated since the scan: read only the file we mean
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!t.state.fileKey().equals(fileKey(path, attrs)) || ch.size() <= t.state.position()) {
                return;
            }
            if (t.source.isExchange() && !t.headerLoaded) {
                loadHeader(t, ch);
            }
            long mtime = attrs.lastModifiedTime().toMillis();
            long bufStart = t.state.position();
            int len = 0;
            int taken = 0;
            while (taken < maxLines) {
                if (len == buffer.length) {
                    if (buffer.length < MAX_LINE_BYTES) {
                        buffer = java.util.Arrays.copyOf(buffer, Math.min(MAX_LINE_BYTES, buffer.length * 2));
                    } else {
                        // a line longer than MAX_LINE_BYTES: ship what we have as one line
                        emit(t, bufStart, buffer, 0, len, len, mtime, out);
                        taken++;
                        bufStart += len;
                        len = 0;
                        continue;
                    }
                }
                int n = ch.read(ByteBuffer.wrap(buffer, len, buffer.length - len), bufStart + len);
                if (n <= 0) {
                    break;
                }
                int scanFrom = len;
                len += n;
                int lineStart = 0;
                for (int i = scanFrom; i < len && taken < maxLines; i++) {
                    if (buffer[i] == '\n') {
                        emit(t, bufStart + lineStart, buffer, lineStart, i - lineStart, i + 1 - lineStart, mtime, out);
                        taken++;
                        lineStart = i + 1;
                    }
                }
                if (lineStart > 0) {
                    System.arraycopy(buffer, lineStart, buffer, 0, len - lineStart);
                    len -= lineStart;
                    bufStart += lineStart;
                }
            }
        }
    }

    private void emit(Tracked t, long offset, byte[] buf, int start, int textLen, int totalLen, long mtime,
                      List<TailLine> out) {
        int end = start + textLen;
        if (end > start && buf[end - 1] == '\r') {
            end--;
        }
        String text = new String(buf, start, end - start, StandardCharsets.UTF_8);
        if (t.source.isExchange()) {
            t.header.offer(text);
        }
        long read = t.clock.timeOf(text);
        long time = read == LineClock.NO_TIME ? -1 : read;
        long lastTime = time >= 0 ? time : t.state.lastTime();
        long timestamp = time >= 0 ? time : lastTime >= 0 ? lastTime : mtime;
        long lineNumber = t.state.lineNumber() + 1;
        t.state = t.state.at(offset + totalLen, lineNumber, lastTime);
        out.add(new TailLine(t.state, offset, offset + totalLen, lineNumber, text, time, timestamp,
            t.source.isExchange() ? t.header.text() : null));
    }

    /** Resuming mid-file: the Exchange header lines at the top give the context of the lines to come. */
    private void loadHeader(Tracked t, FileChannel ch) throws IOException {
        t.headerLoaded = true;
        int n = (int) Math.min(Math.min(t.state.position(), 64 * 1024), ch.size());
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // fill
        }
        String head = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        for (String line : head.split("\n")) {
            if (!t.header.offer(line)) {
                break;
            }
            t.clock.timeOf(line);
        }
    }

    private static FileState newState(String key, Found f, long position) {
        return new FileState(key, 0, 0L, f.path().toString(), f.source().logKind(), position, 0, -1);
    }

    private static void upgradeFingerprint(Tracked t, Path path, long size) {
        int want = (int) Math.min(FileState.FINGERPRINT_BYTES, size);
        if (want > t.state.fingerprintLength()) {
            long crc = crcOfFirst(path, want);
            if (crc >= 0) {
                t.state = t.state.withFingerprint(want, crc);
            }
        }
    }

    /** Whether the first {@code length} bytes of the file have this CRC (length 0 matches any file). */
    static boolean matches(Path path, int length, long crc) {
        return length == 0 || crcOfFirst(path, length) == crc;
    }

    /** CRC-32 of the first {@code length} bytes, or -1 when the file is shorter or unreadable. */
    static long crcOfFirst(Path path, int length) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (ch.read(b, b.position()) <= 0) {
                    return -1;
                }
            }
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, length);
            return crc.getValue();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long lastCompleteLineEnd(Path path, long size) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long pos = size;
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (pos > 0) {
                int n = (int) Math.min(8192, pos);
                b.clear().limit(n);
                ch.read(b, pos - n);
                for (int i = n - 1; i >= 0; i--) {
                    if (b.get(i) == '\n') {
                        return pos - n + i + 1;
                    }
                }
                pos -= n;
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The filesystem's file key (device and inode on Unix); the path and creation time where there is none. */
    static String fileKey(Path path, BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        return key != null ? key.toString() : path + "@" + attrs.creationTime().toMillis();
    }

    private static void collect(TailSource source, Path root, Map<String, Found> found) {
        try {
            BasicFileAttributes rootAttrs = Files.readAttributes(root, BasicFileAttributes.class);
            if (rootAttrs.isRegularFile()) {
                found.putIfAbsent(fileKey(root, rootAttrs), new Found(root, rootAttrs, source));
                return;
            }
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && source.filter().accept(root, file)) {
                        found.putIfAbsent(fileKey(file, attrs), new Found(file, attrs, source));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // vanished during the walk (circular logging)
                }
            });
        } catch (NoSuchFileException e) {
            LOG.debug("{} does not exist (yet)", root);
        } catch (IOException e) {
            LOG.warn("cannot walk {}: {}", root, e.toString());
        }
    }

    @Override
    public String toString() {
        return "FileTailer" + Objects.toString(sources);
    }
}
