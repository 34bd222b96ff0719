package io.tlsmon.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes Exchange receive logs the way circular logging treats them, under a shipper: files are
 * created one after another ({@code RECV2024030110-<n>.LOG}), a few at a time are written to in
 * pieces (often cutting a line in two), and when the oldest is full it gets its last lines and is
 * deleted at once, so that the deletion comes between two polls of the shipper and those last lines
 * are readable only through a handle kept open. A file lives at least {@code minLifeMs} (real ones
 * live hours), so that a scan of the shipper sees it before it goes.
 */
public final class CircularLogWriter implements Runnable {
    private final Path folder;
    private final int files;
    private final int linesPerFile;
    private final int concurrent;
    private final long minLifeMs;
    private final long maxPauseMs;
    private final Random random;
    private final List<String> written = new ArrayList<>();
    private final AtomicInteger deleted = new AtomicInteger();
    private volatile boolean done;

    public CircularLogWriter(Path folder, int files, int linesPerFile, int concurrent, long minLifeMs, long maxPauseMs, long seed) {
        this.folder = folder;
        this.files = files;
        this.linesPerFile = linesPerFile;
        this.concurrent = concurrent;
        this.minLifeMs = minLifeMs;
        this.maxPauseMs = maxPauseMs;
        this.random = new Random(seed);
    }

    private final class Log {
        final Path path;
        final String prefix;
        final long created = System.currentTimeMillis();
        /** The lines written last, right before the deletion. */
        final int body = linesPerFile - 1 - random.nextInt(5);
        int next;
        String held = "";

        Log(int n) {
            this.prefix = "c" + n;
            this.path = folder.resolve("RECV2024030110-" + n + ".LOG");
            LogWriter.append(path, "");
        }

        boolean bodyWritten() {
            return next >= body;
        }

        void writePiece() {
            write(Math.min(body - next, 1 + random.nextInt(20)), random.nextInt(3) != 0);
        }

        /** The last lines, complete, for the deletion to follow at once. */
        void writeLast() {
            write(linesPerFile - next, false);
        }

        private void write(int n, boolean mayCut) {
            String lines = LogWriter.lines(prefix, next, next + n);
            synchronized (written) {
                written.addAll(List.of(lines.split("\n")));
            }
            next += n;
            String text = held + lines;
            int cut = mayCut ? random.nextInt(text.length()) : text.length();
            LogWriter.append(path, text.substring(0, cut));
            held = text.substring(cut);
        }
    }

    @Override
    public void run() {
        try {
            Files.createDirectories(folder);
            Deque<Log> live = new ArrayDeque<>();
            int created = 0;
            while (created < files || !live.isEmpty()) {
                while (live.size() < concurrent && created < files) {
                    live.add(new Log(created++));
                }
                List<Log> open = live.stream().filter(l -> !l.bodyWritten()).toList();
                if (!open.isEmpty()) {
                    open.get(random.nextInt(open.size())).writePiece();
                }
                Log oldest = live.peek();
                if (oldest.bodyWritten() && System.currentTimeMillis() - oldest.created >= minLifeMs) {
                    oldest.writeLast();
                    Files.delete(oldest.path);
                    live.poll();
                    deleted.incrementAndGet();
                }
                Thread.sleep(open.isEmpty() ? 5 : random.nextInt((int) maxPauseMs + 1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            done = true;
        }
    }

    /** The lines written so far, each as the shipper should ship it. */
    public List<String> written() {
        synchronized (written) {
            return List.copyOf(written);
        }
    }

    public int deleted() {
        return deleted.get();
    }

    public boolean done() {
        return done;
    }
}
