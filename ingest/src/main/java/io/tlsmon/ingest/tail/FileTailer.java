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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
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
 * file. Knows nothing of Kafka: the {@link ShipperLoop} decides when what was read counts as shipped,
 * tells the tailer so ({@link #acknowledge}) and may {@link #resetTo rewind} it to the last
 * acknowledged positions.
 *
 * <h2>Open files</h2>
 * A followed file is read through a {@link FileChannel} kept open from the scan that takes it up until
 * the file is both read to its end and acknowledged, as Filebeat's harvesters keep theirs. The handle
 * is what makes deletion and renaming safe: a file deleted or renamed out of the filter between two
 * polls (Exchange's circular logging deletes the oldest {@code RECV*.LOG}) is still read to its end
 * through it, and read again through it if a failed transaction rewinds it. Such a <em>gone</em> file
 * is closed once it is read to its end, everything read from it is acknowledged, and its size did not
 * change between two scans (a writer may still hold a renamed file open). A trailing piece without a
 * line feed is not shipped; its size is logged.
 *
 * <p>Handles are bounded ({@code maxOpenFiles}). When a file needs one and none is free, the handle of
 * a <em>finished</em> file (present, read to its end, acknowledged) is closed, the one idle longest
 * first; such a file is opened again by its path when it grows. Gone files and files with unread or
 * unacknowledged lines keep theirs. When nothing can be closed, a new file waits without a handle (and
 * is read once one frees up); if it is deleted while it waits, what it held is lost and counted
 * ({@link #filesGoneUnread()}, {@link #bytesGoneUnread()}). On Windows, Java opens files with delete
 * sharing, so an open handle does not stop Exchange from deleting or renaming its files.
 *
 * <p>What else it copes with, decided at each {@link #scan()} from the file key (inode) and a CRC-32 of
 * the first bytes of each file:
 * <ul>
 *   <li>files still being written: only lines ending in LF are taken; a partial last line waits;</li>
 *   <li>new files in watched folders (walked recursively, through the source's {@link LogFileFilter});</li>
 *   <li>rename-and-create rotation: the renamed file keeps its identity (same inode, same handle), so
 *       it is read to its end under its new name, before the newly created file;</li>
 *   <li>copytruncate: a file shorter than its position, or whose first bytes changed, is read again
 *       from 0 as a new identity; the copy logrotate made of it (a new file with the same first
 *       {@value FileState#FINGERPRINT_BYTES} bytes, or the same bytes as far as the original had been
 *       read when it was shorter than that) is read on from where the original was left, after a
 *       rewind or a restart too, so that neither what was read already nor what the original had not
 *       been read up to is shipped twice or lost. A copy of a file still followed is not read (it is
 *       a duplicate). Not told apart: the copy of an Exchange file shorter than the fingerprint
 *       (Exchange files start alike and are never truncated), and a copy seen before its original
 *       was truncated when the original was shorter than the fingerprint: read from their start.</li>
 * </ul>
 * Not thread-safe: one thread scans and polls. {@link #close()} closes every handle.
 */
public final class FileTailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);
    /** Longest line kept whole; a longer one is cut there (a log line that long is not a protocol log line). */
    static final int MAX_LINE_BYTES = 1 << 20;
    private static final int READ_BUFFER = 256 * 1024;

    private final List<TailSource> sources;
    private final boolean readExistingFromStart;
    private final int maxOpenFiles;
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private final Map<String, FileState> pendingRestore = new HashMap<>();
    /**
     * Contents whose file no longer holds them (truncated, replaced; a checkpointed one found
     * changed), most recent last: where a copy of one of them is to be read on from.
     */
    private final ArrayDeque<Orphan> orphans = new ArrayDeque<>();
    private long nextSeq;
    /** Advances at every scan and poll: the order of activity, for closing the handle idle longest. */
    private long tick;
    private boolean scannedOnce;
    private byte[] buffer = new byte[READ_BUFFER];
    private int openHandles;
    private long filesGoneUnread;
    private long bytesGoneUnread;

    /**
     * @param readExistingFromStart whether files found at the first scan that no checkpoint knows are
     *                              read from their start (true) or from their end (false)
     */
    public FileTailer(List<TailSource> sources, boolean readExistingFromStart) {
        this(sources, readExistingFromStart, ShipperConfig.MAX_OPEN_FILES_DEFAULT);
    }

    /** @param maxOpenFiles most file handles held at once (at least 1) */
    public FileTailer(List<TailSource> sources, boolean readExistingFromStart, int maxOpenFiles) {
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException(ShipperConfig.MAX_OPEN_FILES_CONFIG + " must be at least 1: " + maxOpenFiles);
        }
        this.sources = List.copyOf(sources);
        this.readExistingFromStart = readExistingFromStart;
        this.maxOpenFiles = maxOpenFiles;
    }

    /** Orphans kept: far more than the rotations one scan interval can see. */
    static final int MAX_ORPHANS = 64;
    /** Marks a checkpointed content that its file no longer holds (see {@link #snapshot()}). */
    static final String ORPHAN_SUFFIX = "#copied";

    /** How long a content left by its file waits for a copy: logrotate copies before it truncates. */
    static final long ORPHAN_TTL_MS = 10 * 60_000L;

    /** A content left by its file, with where the tailer had first taken it up, and since when (wall clock). */
    private record Orphan(FileState state, FileState start, long since) {
    }

    /** One followed file. */
    private static final class Tracked {
        FileState state;
        TailSource source;
        final long seq;
        /** Where the tailer took this content up: what it goes back to when no acknowledged position is known. */
        FileState start;
        long lastSize = -1;
        long lastMtime = -1;
        /** The #Log-type/#Fields lines of an Exchange file, sent with each of its lines. */
        final ExchangeHeader header = new ExchangeHeader();
        /** Per file: a syslog year moves on with the lines of one file, an Exchange layout is one file's. */
        LineClock clock;
        boolean headerLoaded;
        /** Null while the file has no handle (not opened yet, or closed as finished). */
        FileChannel channel;
        /** No longer found by a scan (deleted, or renamed out of the filter): readable only through {@link #channel}. */
        boolean gone;
        /** The size seen by the previous scan that found it gone; a gone file still growing is kept open. */
        long goneSize = -1;
        /** The position up to which what was read is acknowledged as shipped. */
        long acknowledged;
        /** The last read found no complete line after the position. */
        boolean atEnd;
        /** Bytes after the last complete line at the last read (a line still being written). */
        long partialBytes;
        long lastActive;
        boolean waitLogged;

        Tracked(FileState state, FileState start, TailSource source, long seq, long mtime) {
            this.state = state;
            this.start = start;
            this.source = source;
            this.seq = seq;
            this.acknowledged = state.position();
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

        /** Whether its handle may be closed without risk: nothing unread, nothing unacknowledged. */
        boolean finished() {
            return atEnd && acknowledged >= state.position();
        }

        /** Whether the file holds more than was read from it, as far as the last read and scan tell. */
        boolean hasUnread() {
            return !atEnd || lastSize > state.position() + partialBytes;
        }
    }

    private record Found(Path path, BasicFileAttributes attrs, TailSource source) {
    }

    /**
     * Sets the positions to resume from: the files of a checkpoint, or the acknowledged positions after
     * a failed send. Positions belong to contents (a file key and the first bytes): a state goes to the
     * followed file holding its content, under its own key or, after copytruncate, in the copy; the
     * content of a truncated file not followed yet in its copy keeps its position for that copy. A
     * state of a file not followed yet is matched at the next scan. Contents given no state go back to
     * where the tailer first took them up. Files that are gone but still open are rewound too, through
     * their handles. The positions set count as acknowledged.
     */
    public void resetTo(Collection<FileState> states) {
        relocate();
        Map<String, FileState> byKey = new HashMap<>();
        for (FileState s : states) {
            byKey.put(s.fileKey(), s);
        }
        List<FileState> contentsLeft = new ArrayList<>();
        Map<Tracked, FileState> given = new HashMap<>();
        for (Tracked t : tracked.values()) {
            FileState s = byKey.remove(t.state.fileKey());
            if (s != null && sameContent(t, s)) {
                given.put(t, s);
            } else if (s != null) {
                contentsLeft.add(s);
            }
        }
        contentsLeft.addAll(byKey.values());
        for (FileState s : contentsLeft) {
            for (Tracked t : tracked.values()) {
                if (!given.containsKey(t) && isCopyOf(t.state, s)) {
                    given.put(t, s);
                    byKey.remove(s.fileKey());
                    break;
                }
            }
        }
        for (Tracked t : tracked.values()) {
            FileState s = given.getOrDefault(t, t.start);
            t.state = t.state.at(s.position(), s.lineNumber(), s.lastTime());
            t.acknowledged = t.state.position();
            t.atEnd = false;
            // read again from the file's head what the lines to come need (Exchange header, clock layout)
            t.header.clear();
            t.headerLoaded = t.state.position() == 0;
            t.newClock(t.lastMtime >= 0 ? t.lastMtime : System.currentTimeMillis());
        }
        // contents whose copy is not followed yet: back to their acknowledged position, or where first taken up
        List<Orphan> rewound = new ArrayList<>();
        for (Orphan o : orphans) {
            FileState s = contentsLeft.stream().filter(c -> c.fingerprintLength() == o.state().fingerprintLength()
                && c.fingerprint() == o.state().fingerprint()).findFirst().orElse(o.start());
            rewound.add(new Orphan(o.state().at(s.position(), s.lineNumber(), s.lastTime()), o.start(), o.since()));
        }
        orphans.clear();
        orphans.addAll(rewound);
        pendingRestore.clear();
        pendingRestore.putAll(byKey);
    }

    /** A checkpointed state that is the state of {@code t}'s content: the same identity, or the same first bytes in the file. */
    private static boolean sameContent(Tracked t, FileState s) {
        if (s.fingerprintLength() == t.state.fingerprintLength()) {
            // known without the disk; if the file was truncated since, the next scan finds it and the
            // position goes with the content to its copy
            return s.fingerprint() == t.state.fingerprint();
        }
        return matches(t, s.fingerprintLength(), s.fingerprint()) && currentSize(t) >= s.position();
    }

    /** Whether {@code copy} is another file holding the content {@code s} was read from, by their complete fingerprints. */
    private static boolean isCopyOf(FileState copy, FileState s) {
        return !copy.fileKey().equals(s.fileKey()) && s.fingerprintLength() == FileState.FINGERPRINT_BYTES
            && copy.fingerprintLength() == FileState.FINGERPRINT_BYTES && copy.fingerprint() == s.fingerprint();
    }

    /** Brings the paths of followed files up to date: a rotation since the last scan renamed them. */
    private void relocate() {
        if (tracked.isEmpty()) {
            return;
        }
        Map<String, Found> found = new LinkedHashMap<>();
        for (TailSource source : sources) {
            for (Path root : source.paths()) {
                collect(source, root.toAbsolutePath().normalize(), found);
            }
        }
        for (Map.Entry<String, Found> e : found.entrySet()) {
            Tracked t = tracked.get(e.getKey());
            if (t != null && !t.state.path().equals(e.getValue().path().toString())) {
                t.state = t.state.withPath(e.getValue().path().toString());
            }
        }
    }

    /**
     * Records that what was read up to these positions is shipped for good (committed). Only then may
     * a file that is gone, or finished, lose its handle: a rewind after a failed send must be able to
     * read it again. A state of an earlier identity of the file (before a truncation) is ignored; one
     * taken before the fingerprint grew is matched on the bytes it covers.
     */
    public void acknowledge(Collection<FileState> states) {
        for (FileState s : states) {
            Tracked t = tracked.get(s.fileKey());
            if (t != null && s.position() <= t.state.position() && sameIdentity(t, s)) {
                t.acknowledged = Math.max(t.acknowledged, s.position());
            }
        }
    }

    private static boolean sameIdentity(Tracked t, FileState s) {
        if (t.state.fingerprintLength() == s.fingerprintLength()) {
            return t.state.fingerprint() == s.fingerprint();
        }
        return t.state.fingerprintLength() > s.fingerprintLength() && matches(t, s.fingerprintLength(), s.fingerprint());
    }

    /**
     * The position of every followed file (and of files of a restore not matched yet), by file key; and
     * of each content whose file was truncated and whose copy is not followed yet, under its file key
     * with {@value #ORPHAN_SUFFIX}, so that a shipper restarted before it found the copy reads the copy on.
     */
    public Map<String, FileState> snapshot() {
        Map<String, FileState> out = new LinkedHashMap<>(pendingRestore);
        for (Orphan o : orphans) {
            String key = o.state().fileKey().endsWith(ORPHAN_SUFFIX) ? o.state().fileKey() : o.state().fileKey() + ORPHAN_SUFFIX;
            out.put(key, new FileState(key, o.state().fingerprintLength(), o.state().fingerprint(), o.state().path(),
                o.state().logKind(), o.state().position(), o.state().lineNumber(), o.state().lastTime()));
        }
        for (Tracked t : tracked.values()) {
            out.put(t.state.fileKey(), t.state);
        }
        return out;
    }

    /** Files followed: found by the last scan, or gone but still open to be read to their end. */
    public int followedFiles() {
        return tracked.size();
    }

    /** File handles held now; never more than {@code maxOpenFiles}. */
    public int openFiles() {
        return openHandles;
    }

    /** Followed files that are gone (deleted or renamed out of the filter) and still read through their handle. */
    public int goneFilesOpen() {
        return (int) tracked.values().stream().filter(t -> t.gone).count();
    }

    /** Followed files with unread lines that wait for a handle ({@code maxOpenFiles} reached). */
    public int filesWaitingForHandle() {
        return (int) tracked.values().stream().filter(t -> t.channel == null && !t.gone && t.hasUnread()).count();
    }

    /** Files that were gone before their lines could be read (they had no handle); zero unless the bound was reached. */
    public long filesGoneUnread() {
        return filesGoneUnread;
    }

    /** The bytes those files held after the last position read. */
    public long bytesGoneUnread() {
        return bytesGoneUnread;
    }

    /** Bytes of the followed files after the given positions (a checkpoint's): what is not shipped yet. */
    public long bytesAfter(Collection<FileState> positions) {
        Map<String, Long> done = new HashMap<>();
        positions.forEach(f -> done.put(f.fileKey(), f.position()));
        long total = 0;
        for (Tracked t : tracked.values()) {
            long size = currentSize(t);
            if (size >= 0) {
                total += Math.max(0, size - done.getOrDefault(t.state.fileKey(), t.start.position()));
            }
        }
        return total;
    }

    /** The paths of the files that have a handle now (for tests and diagnostics). */
    List<String> openPaths() {
        return tracked.values().stream().filter(t -> t.channel != null).map(t -> t.state.path()).toList();
    }

    /** Walks the sources: takes up new files, notices renames, truncation, replacement and deletion. */
    public void scan() {
        tick++;
        long now = System.currentTimeMillis();
        orphans.removeIf(o -> now - o.since() > ORPHAN_TTL_MS);
        Map<String, Found> found = new LinkedHashMap<>();
        for (TailSource source : sources) {
            for (Path root : source.paths()) {
                collect(source, root.toAbsolutePath().normalize(), found);
            }
        }
        for (Iterator<Map.Entry<String, Tracked>> it = tracked.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Tracked> e = it.next();
            if (!found.containsKey(e.getKey()) && finishedWithGone(e.getValue())) {
                it.remove();
            }
        }
        List<Found> fresh = new ArrayList<>();
        for (Map.Entry<String, Found> e : found.entrySet()) {
            Tracked t = tracked.get(e.getKey());
            if (t == null) {
                fresh.add(e.getValue());
                continue;
            }
            Found f = e.getValue();
            t.source = f.source();
            if (t.gone) {
                LOG.info("{} is back in the watched folders as {}", t.state.path(), f.path());
                t.gone = false;
                t.goneSize = -1;
            }
            if (!t.state.path().equals(f.path().toString())) {
                LOG.info("{} was renamed to {}: reading on to its end", t.state.path(), f.path());
                t.state = t.state.withPath(f.path().toString());
            }
            long size = f.attrs().size();
            long mtime = f.attrs().lastModifiedTime().toMillis();
            if (size != t.lastSize || mtime != t.lastMtime) {
                if (size < t.state.position() || !matches(t, t.state.fingerprintLength(), t.state.fingerprint())) {
                    LOG.info("{} was truncated or replaced (size {} < position {} or new first bytes): reading it from the start",
                        f.path(), size, t.state.position());
                    orphan(t.state, t.start);
                    startAgain(t, newState(e.getKey(), f, 0), mtime);
                }
                upgradeFingerprint(t, size);
                t.lastSize = size;
                t.lastMtime = mtime;
                t.lastActive = tick;
            }
        }
        fresh.sort(Comparator.comparingLong((Found f) -> f.attrs().lastModifiedTime().toMillis())
            .thenComparing(f -> f.path().toString()));
        List<Found> unmatched = new ArrayList<>();
        // handles opened for a checkpointed file that holds other content now: kept for the rules below
        Map<String, FileChannel> changedSinceCheckpoint = new HashMap<>();
        for (Found f : fresh) {
            if (!takeUpRestored(f, changedSinceCheckpoint)) {
                unmatched.add(f);
            }
        }
        // checkpointed contents of truncated files (the rest not found: deleted or moved away, forgotten)
        pendingRestore.values().stream().filter(r -> r.fileKey().endsWith(ORPHAN_SUFFIX)).forEach(r -> orphan(r, r));
        pendingRestore.clear();
        for (Found f : unmatched) {
            String key = fileKey(f.path(), f.attrs());
            boolean changed = changedSinceCheckpoint.containsKey(key);
            FileChannel opened = changedSinceCheckpoint.remove(key);
            Orphan original = takeOrphanCopiedTo(f);
            if (original != null) {
                long size = f.attrs().size();
                FileState o = original.state();
                // the copy is the original as it was when copied: what was read of it is not read again
                long position = Math.min(o.position(), size);
                FileState state = new FileState(key, o.fingerprintLength(), o.fingerprint(), f.path().toString(), f.source().logKind(),
                    position, o.lineNumber(), o.lastTime());
                FileState s = original.start();
                FileState start = s.position() <= position ? state.at(s.position(), s.lineNumber(), s.lastTime()) : state;
                if (o.fileKey().equals(key)) {
                    LOG.info("{} is back: reading on from byte {}", f.path(), position);
                } else {
                    LOG.info("{} is a copy of {} (copytruncate): reading on from byte {}", f.path(), o.path(), position);
                }
                takeUp(f, key, opened != null ? opened : openHandle(f, key), state, start);
            } else if (copyOfFollowed(f, key)) {
                LOG.debug("{} is a copy of a file followed: not read while that file holds the same content", f.path());
                if (opened != null) {
                    release(opened);
                }
            } else {
                FileChannel ch = opened != null ? opened : openHandle(f, key);
                long start = !scannedOnce && !readExistingFromStart && !changed
                    ? lastCompleteLineEnd(ch, f.path(), f.attrs().size()) : 0;
                FileState state = newState(key, f, start);
                takeUp(f, key, ch, state, state);
            }
        }
        scannedOnce = true;
    }

    private void orphan(FileState state, FileState start) {
        if (!identifiable(state)) {
            return;
        }
        orphans.addLast(new Orphan(state, start, System.currentTimeMillis()));
        while (orphans.size() > MAX_ORPHANS) {
            orphans.removeFirst();
        }
    }

    /**
     * Whether a copy of this content can be told from another file that starts alike: by its complete
     * fingerprint; or, for a file that was shorter than that, by a fingerprint that covers everything
     * read of it, except in Exchange logs, whose first lines (the header) are the same in every file.
     */
    private static boolean identifiable(FileState s) {
        if (s.fingerprintLength() == FileState.FINGERPRINT_BYTES) {
            return true;
        }
        return s.fingerprintLength() > 0 && s.fingerprintLength() >= s.position() && !"exchange".equals(s.logKind());
    }

    /** The most recent orphan whose first bytes (as far as its fingerprint goes) {@code f} starts with, taken out: {@code f} is its copy. */
    private Orphan takeOrphanCopiedTo(Found f) {
        Map<Integer, Long> crcs = new HashMap<>();
        for (var it = orphans.descendingIterator(); it.hasNext(); ) {
            Orphan o = it.next();
            int length = o.state().fingerprintLength();
            if (f.attrs().size() < length) {
                continue;
            }
            if (crcs.computeIfAbsent(length, n -> crcOfFirst(null, f.path(), n)) == o.state().fingerprint()) {
                it.remove();
                return o;
            }
        }
        return null;
    }

    /** Whether {@code f} starts as a followed file does: a copy (logrotate's, about to truncate it; a backup). */
    private boolean copyOfFollowed(Found f, String key) {
        if (f.attrs().size() < FileState.FINGERPRINT_BYTES) {
            return false;
        }
        long crc = crcOfFirst(null, f.path(), FileState.FINGERPRINT_BYTES);
        for (Tracked t : tracked.values()) {
            if (!t.state.fileKey().equals(key) && t.state.fingerprintLength() == FileState.FINGERPRINT_BYTES && t.state.fingerprint() == crc) {
                return true;
            }
        }
        return false;
    }

    /**
     * A followed file the scan did not find. Returns whether to forget it: at once when it has no
     * handle (nothing can read it any more), else once it is read to its end, acknowledged and no
     * longer growing.
     */
    private boolean finishedWithGone(Tracked t) {
        if (t.channel == null) {
            long unread = t.lastSize - t.state.position();
            if (t.hasUnread() && unread > 0) {
                filesGoneUnread++;
                bytesGoneUnread += unread;
                LOG.warn("{} is gone before it could be read (no free handle, max open files {}): {} bytes after byte {} are lost",
                    t.state.path(), maxOpenFiles, unread, t.state.position());
            } else {
                LOG.info("{} is gone (deleted or moved away): finished with it at byte {}", t.state.path(), t.state.position());
            }
            return true;
        }
        long size = currentSize(t);
        if (!t.gone) {
            t.gone = true;
            t.goneSize = size;
            LOG.info("{} is gone (deleted or moved out of the filter): reading it to its end through its open handle",
                t.state.path());
            return false;
        }
        if (size < t.state.position()) {
            LOG.warn("{} is gone and was truncated to {} bytes below its position {}: closing it", t.state.path(), size,
                t.state.position());
            close(t);
            return true;
        }
        boolean stillGrowing = size != t.goneSize;
        t.goneSize = size;
        if (stillGrowing || !t.finished()) {
            return false;
        }
        if (t.partialBytes > 0) {
            LOG.warn("{} is gone; its last {} bytes end without a line feed and are not shipped", t.state.path(), t.partialBytes);
        }
        LOG.info("{} is gone and read to its end (byte {}): closing it", t.state.path(), t.state.position());
        close(t);
        return true;
    }

    /**
     * Takes up a new file that a restored checkpoint knows and that still holds the checkpointed
     * content; returns false for any other file (left for the copy and new-file rules of the scan).
     */
    private boolean takeUpRestored(Found f, Map<String, FileChannel> changedSinceCheckpoint) {
        String key = fileKey(f.path(), f.attrs());
        FileState restored = pendingRestore.remove(key);
        if (restored == null) {
            return false;
        }
        // open before anything else: from here on a deletion cannot take the file away
        FileChannel ch = openHandle(f, key);
        if (matches(ch, f.path(), restored.fingerprintLength(), restored.fingerprint()) && f.attrs().size() >= restored.position()) {
            FileState state = restored.withPath(f.path().toString());
            takeUp(f, key, ch, state, state);
            return true;
        }
        LOG.info("{} no longer holds the checkpointed content: reading it from the start", f.path());
        orphan(restored, restored);
        changedSinceCheckpoint.put(key, ch);
        return false;
    }

    /** A handle on a file being taken up, if one is free; opened before anything else is read of it. */
    private FileChannel openHandle(Found f, String key) {
        return reserveHandle() ? openVerified(f.path(), key) : null;
    }

    /** Gives back a handle opened for a file that is not followed after all. */
    private void release(FileChannel ch) {
        closeQuietly(ch);
        openHandles--;
    }

    private void takeUp(Found f, String key, FileChannel ch, FileState state, FileState start) {
        long size = f.attrs().size();
        long mtime = f.attrs().lastModifiedTime().toMillis();
        Tracked t = new Tracked(state, start, f.source(), nextSeq++, mtime);
        t.channel = ch;
        t.headerLoaded = state.position() == 0;
        t.lastSize = size;
        t.lastMtime = mtime;
        t.lastActive = tick;
        upgradeFingerprint(t, size);
        tracked.put(key, t);
        LOG.info("following {} ({}) from byte {}{}", f.path(), f.source().logKind(), state.position(),
            ch == null ? ", once a file handle is free (max open files " + maxOpenFiles + " reached)" : "");
        t.waitLogged = ch == null;
    }

    /** The same inode holds new content (copytruncate, or a reused inode): a new identity from byte 0. */
    private void startAgain(Tracked t, FileState fresh, long mtime) {
        t.state = fresh;
        t.start = fresh;
        t.acknowledged = 0;
        t.atEnd = false;
        t.partialBytes = 0;
        t.header.clear();
        t.headerLoaded = true;
        t.newClock(mtime);
    }

    /**
     * Reads up to {@code maxLines} complete lines, taking files in the order they were taken up (a
     * renamed file before the file created in its place). Does not scan.
     */
    public List<TailLine> poll(int maxLines) {
        tick++;
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
                LOG.debug("{} vanished before it could be opened", t.state.path());
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", t.state.path(), e.toString());
            }
        }
        return out;
    }

    /** Closes every handle; the tailer is not used afterwards. */
    @Override
    public void close() {
        for (Tracked t : tracked.values()) {
            close(t);
        }
    }

    private void read(Tracked t, int maxLines, List<TailLine> out) throws IOException {
        FileChannel ch = handleFor(t);
        if (ch == null) {
            return;
        }
        long size = ch.size();
        if (size <= t.state.position()) {
            // shorter than the position is a truncation: the next scan starts the file again
            t.atEnd = true;
            t.partialBytes = 0;
            return;
        }
        if (!matches(ch, null, t.state.fingerprintLength(), t.state.fingerprint())) {
            return; // truncated and written again since the last scan: the next scan takes it up anew
        }
        // the fingerprint covers what is read (up to its full length), or a file truncated and
        // written past this position again could not be told from one that grew
        upgradeFingerprint(t, size);
        if (t.source.isExchange() && !t.headerLoaded) {
            loadHeader(t, ch);
        }
        long mtime = t.lastMtime >= 0 ? t.lastMtime : System.currentTimeMillis();
        long bufStart = t.state.position();
        int len = 0;
        int taken = 0;
        boolean eof = false;
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
                eof = true;
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
        t.atEnd = eof;
        t.partialBytes = eof ? len : 0;
        if (taken > 0) {
            t.lastActive = tick;
        }
    }

    /** The file's handle, opened now if it has none and one is free; null if it cannot be read now. */
    private FileChannel handleFor(Tracked t) throws IOException {
        if (t.channel != null) {
            return t.channel;
        }
        if (t.gone || !t.hasUnread()) {
            return null; // gone without a handle, or read to its end and not grown since: nothing to open it for
        }
        if (!reserveHandle()) {
            if (!t.waitLogged) {
                LOG.info("{} waits for a file handle (max open files {} reached)", t.state.path(), maxOpenFiles);
                t.waitLogged = true;
            }
            return null;
        }
        FileChannel ch = openVerified(Path.of(t.state.path()), t.state.fileKey());
        if (ch != null && !matches(ch, null, t.state.fingerprintLength(), t.state.fingerprint())) {
            closeQuietly(ch);
            ch = null; // the path holds other content now; the next scan sorts it out
        }
        t.channel = ch;
        t.waitLogged = false;
        return ch;
    }

    /** Makes room for one more handle, closing the handle of the finished file idle longest if need be. */
    private boolean reserveHandle() {
        if (openHandles < maxOpenFiles) {
            return true;
        }
        Tracked idlest = null;
        for (Tracked t : tracked.values()) {
            if (t.channel != null && !t.gone && t.finished() && currentSize(t) <= t.state.position() + t.partialBytes
                    && (idlest == null || t.lastActive < idlest.lastActive
                        || (t.lastActive == idlest.lastActive && t.seq < idlest.seq))) {
                idlest = t;
            }
        }
        if (idlest == null) {
            return false;
        }
        LOG.debug("closing the handle of {} (read to its end, idle longest) for another file", idlest.state.path());
        close(idlest);
        return true;
    }

    /**
     * Opens {@code path} if it is still the file of {@code key} (the path may have been rotated since
     * the scan); null otherwise. Counts the handle.
     */
    private FileChannel openVerified(Path path, String key) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            LOG.debug("cannot open {}: {}", path, e.toString());
            return null;
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!key.equals(fileKey(path, attrs))) {
                closeQuietly(ch);
                return null;
            }
        } catch (IOException e) {
            closeQuietly(ch);
            return null;
        }
        openHandles++;
        return ch;
    }

    private void close(Tracked t) {
        if (t.channel != null) {
            closeQuietly(t.channel);
            t.channel = null;
            openHandles--;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("closing a file handle: {}", e.toString());
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

    private static void upgradeFingerprint(Tracked t, long size) {
        int want = (int) Math.min(FileState.FINGERPRINT_BYTES, size);
        if (want > t.state.fingerprintLength()) {
            long crc = crcOfFirst(t.channel, Path.of(t.state.path()), want);
            if (crc >= 0) {
                t.state = t.state.withFingerprint(want, crc);
            }
        }
    }

    /** The size of the file through its handle, else by its path; -1 when neither can tell. */
    private static long currentSize(Tracked t) {
        if (t.channel != null) {
            try {
                return t.channel.size();
            } catch (IOException e) {
                return -1;
            }
        }
        return t.gone ? -1 : size(Path.of(t.state.path()));
    }

    private static boolean matches(Tracked t, int length, long crc) {
        if (t.channel == null && t.gone) {
            return false;
        }
        return matches(t.channel, Path.of(t.state.path()), length, crc);
    }

    /** Whether the first {@code length} bytes have this CRC, read through {@code ch} if given, else by path (length 0 matches any file). */
    static boolean matches(FileChannel ch, Path path, int length, long crc) {
        return length == 0 || crcOfFirst(ch, path, length) == crc;
    }

    /** CRC-32 of the first {@code length} bytes, or -1 when the file is shorter or unreadable. */
    static long crcOfFirst(FileChannel ch, Path path, int length) {
        if (ch != null) {
            return crcOfFirst(ch, length);
        }
        try (FileChannel opened = FileChannel.open(path, StandardOpenOption.READ)) {
            return crcOfFirst(opened, length);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long crcOfFirst(FileChannel ch, int length) {
        try {
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

    private static long lastCompleteLineEnd(FileChannel ch, Path path, long size) {
        if (ch == null) {
            try (FileChannel opened = FileChannel.open(path, StandardOpenOption.READ)) {
                return lastCompleteLineEnd(opened, size);
            } catch (IOException e) {
                return 0;
            }
        }
        return lastCompleteLineEnd(ch, size);
    }

    private static long lastCompleteLineEnd(FileChannel ch, long size) {
        try {
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
