package io.tlsmon.it;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted for one test, to fill a state directory for real. Mounting needs root
 * (and a kernel that allows it): where it cannot be mounted the test is skipped, saying why.
 */
final class SmallFilesystem implements AutoCloseable {
    private final Path mountPoint;
    private final Path filler;
    private volatile Thread topUp;

    private SmallFilesystem(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Mounts a tmpfs of {@code megabytes} at {@code mountPoint} (created), or skips the test. */
    static SmallFilesystem mount(Path mountPoint, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        String why = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(why == null, () -> "cannot mount a " + megabytes + " MB tmpfs at " + mountPoint
                + " (needs root and mount rights): " + why);
        return new SmallFilesystem(mountPoint);
    }

    Path root() {
        return mountPoint;
    }

    long usableBytes() throws IOException {
        FileStore store = Files.getFileStore(mountPoint);
        return store.getUsableSpace();
    }

    /**
     * Writes a filler file until the filesystem refuses more, and keeps it full: whatever is freed
     * later (Kafka Streams wipes a store it finds corrupt and restores it, which would fit in the
     * space the wipe freed) is taken again within a few milliseconds, as by another writer of the
     * same disk, until {@link #free()} or {@link #remount(int)}.
     */
    void fill() throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (usableBytes() > chunk.length) {
                throw new IOException("the filler stopped with " + usableBytes() + " bytes still free", e);
            }
        }
        Thread t = new Thread(this::keepFull, "small-filesystem-filler");
        t.setDaemon(true);
        topUp = t;
        t.start();
    }

    private void keepFull() {
        byte[] block = new byte[4096];
        long n = 0;
        while (topUp == Thread.currentThread()) {
            // one file per round: a file whose write failed may hold a partial block
            try (OutputStream out = Files.newOutputStream(mountPoint.resolve("filler-tail-" + n++))) {
                while (true) {
                    out.write(block);
                    out.flush();
                }
            } catch (IOException full) {
                // full again
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void stopKeepingFull() throws IOException {
        Thread t = topUp;
        topUp = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the filler", e);
            }
        }
    }

    /** Deletes the filler: the space it took is free again. */
    void free() throws IOException {
        stopKeepingFull();
        Files.deleteIfExists(filler);
        try (var tails = Files.list(mountPoint)) {
            for (Path tail : tails.filter(p -> p.getFileName().toString().startsWith("filler-tail-")).toList()) {
                Files.deleteIfExists(tail);
            }
        }
    }

    /** Grows the filesystem in place, without touching what it holds. */
    void remount(int megabytes) throws IOException, InterruptedException {
        stopKeepingFull();
        String why = run("mount", "-o", "remount,size=" + megabytes + "m", mountPoint.toString());
        if (why != null) {
            throw new IOException("cannot remount " + mountPoint + ": " + why);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stopKeepingFull();
        String why = run("umount", "-l", mountPoint.toString());
        if (why != null) {
            throw new IOException("cannot unmount " + mountPoint + ": " + why);
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out.trim();
    }
}
