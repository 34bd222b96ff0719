package io.tlsmon.it.chaos;

import io.tlsmon.topology.MixedLogWorkload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The mail servers of the campaign, writing their logs while it runs: a Postfix relay {@code mx1}
 * ({@code mail.log}, rotated by logrotate, by turns rename-and-create and copytruncate) and an
 * Exchange server {@code ex1} (receive and send protocol logs, a new file at a size limit, the
 * oldest deleted by circular logging). The lines are {@link MixedLogWorkload}'s, from the project's
 * fixtures, in its time order; they are appended in bursts, a line sometimes in two writes.
 *
 * <p>Everything written is recorded, per host, for the count at the end. A rotated or circular file
 * is deleted only once all its lines are committed in raw-lines: a server deletes its old logs days
 * later, and a file deleted before any shipper could read it loses its lines whatever the shipper
 * does.
 */
final class MailLogs {
    static final String POSTFIX_HOST = "mx1";
    static final String EXCHANGE_HOST = "ex1";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** What can tell whether a line is shipped (the campaign's follower of raw-lines). */
    interface Shipped {
        int count(String host, String text);
    }

    enum Rotation { RENAME_AND_CREATE, COPYTRUNCATE, CIRCULAR_DELETE }

    /** One file on disk, with what is needed to know when all its lines are shipped. */
    private static final class LogFile {
        Path path;
        String lastText;
        int lastOccurrence;

        LogFile(Path path) {
            this.path = path;
        }
    }

    /** One log being written: its current file and its closed ones, oldest first. */
    private final class Log {
        final String host;
        final Path dir;
        final List<LogFile> closed = new ArrayList<>();
        LogFile current;
        FileChannel channel;
        long bytesInFile;
        long linesInFile;
        long rotateAt;

        Log(String host, Path dir) {
            this.host = host;
            this.dir = dir;
        }

        void write(String text) throws IOException {
            byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(25) == 0 && b.length > 2) {
                // a line in two writes: a shipper polling in between must wait for the rest
                int cut = 1 + random.nextInt(b.length - 1);
                writeFully(ByteBuffer.wrap(b, 0, cut));
                pause(1 + random.nextInt(3));
                writeFully(ByteBuffer.wrap(b, cut, b.length - cut));
            } else {
                writeFully(ByteBuffer.wrap(b));
            }
            bytesInFile += b.length;
            linesInFile++;
            Map<String, Integer> seen = occurrences.computeIfAbsent(host, h -> new HashMap<>());
            int n = seen.merge(text, 1, Integer::sum);
            current.lastText = text;
            current.lastOccurrence = n;
            written.computeIfAbsent(host, h -> new ArrayList<>()).add(text);
        }

        private void writeFully(ByteBuffer buf) throws IOException {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }

        void open(Path path) throws IOException {
            current = new LogFile(path);
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            bytesInFile = 0;
            linesInFile = 0;
        }
    }

    private final Random random;
    private final Iterator<MixedLogWorkload.Line> lines;
    private final Shipped shipped;
    private final int linesPerSecond;
    private final Log postfix;
    private final Log receive;
    private final Log send;
    private final Map<String, List<String>> written = new HashMap<>();
    private final Map<String, Map<String, Integer>> occurrences = new HashMap<>();
    private final Map<Rotation, Integer> rotations = new EnumMap<>(Rotation.class);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private boolean nextPostfixRotationCopies;
    private int exchangeFileNumber;

    MailLogs(Path root, List<MixedLogWorkload.Line> workload, long seed, int linesPerSecond, Shipped shipped) throws IOException {
        this.random = new Random(seed);
        this.lines = workload.iterator();
        this.shipped = shipped;
        this.linesPerSecond = linesPerSecond;
        this.postfix = new Log(POSTFIX_HOST, Files.createDirectories(root.resolve("mx1")));
        Path protocolLog = root.resolve("ex1").resolve("ProtocolLog");
        this.receive = new Log(EXCHANGE_HOST, Files.createDirectories(protocolLog.resolve("SmtpReceive")));
        this.send = new Log(EXCHANGE_HOST, Files.createDirectories(protocolLog.resolve("SmtpSend")));
        this.nextPostfixRotationCopies = random.nextBoolean();
        postfix.open(postfixPath(0));
        postfix.rotateAt = nextPostfixRotation();
        this.thread = new Thread(this::writeAll, "mail-logs");
        thread.setDaemon(true);
    }

    Path postfixDir() {
        return postfix.dir;
    }

    Path exchangeDir() {
        return receive.dir.getParent();
    }

    void start() {
        thread.start();
    }

    /** Stops writing, closes the files; returns every line written, per host, in order. */
    Map<String, List<String>> stop() throws InterruptedException {
        stopping = true;
        thread.join(60_000);
        if (failure != null) {
            throw new IllegalStateException("the log writer failed", failure);
        }
        return written;
    }

    Map<Rotation, Integer> rotations() {
        synchronized (rotations) {
            return new EnumMap<>(rotations);
        }
    }

    long linesWritten() {
        synchronized (this) {
            return written.values().stream().mapToLong(List::size).sum();
        }
    }

    /** Deletes what is fully shipped and beyond what is kept; what the campaign calls at the end too. */
    synchronized void deleteShipped(int keep) throws IOException {
        for (Log log : List.of(postfix, receive, send)) {
            while (log.closed.size() > keep && fullyShipped(log, log.closed.get(0))) {
                LogFile f = log.closed.remove(0);
                Files.deleteIfExists(f.path);
                if (log != postfix) {
                    count(Rotation.CIRCULAR_DELETE);
                }
            }
        }
    }

    private boolean fullyShipped(Log log, LogFile f) {
        // a shipper reads a file in order and commits its batches in order: the last line in means all are
        return f.lastText == null || shipped.count(log.host, f.lastText) >= f.lastOccurrence;
    }

    private void writeAll() {
        try {
            long start = System.nanoTime();
            long done = 0;
            while (!stopping && lines.hasNext()) {
                long due = (System.nanoTime() - start) * linesPerSecond / 1_000_000_000L;
                synchronized (this) {
                    while (done < due && lines.hasNext()) {
                        writeOne(lines.next());
                        done++;
                    }
                }
                deleteShipped(3);
                pause(20 + random.nextInt(40));
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            for (Log log : List.of(postfix, receive, send)) {
                try {
                    if (log.channel != null) {
                        log.channel.close();
                    }
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private void writeOne(MixedLogWorkload.Line line) throws IOException {
        if (line.sourceHost().equals(POSTFIX_HOST)) {
            postfix.write(line.text());
            if (postfix.linesInFile >= postfix.rotateAt) {
                rotatePostfix();
            }
            return;
        }
        if (line.text().startsWith("#")) {
            return; // each Exchange file gets its own header, written when it is created
        }
        Log log = line.file().contains("SmtpSend") ? send : receive;
        if (log.channel == null || log.bytesInFile >= log.rotateAt) {
            newExchangeFile(log, line.text());
        }
        log.write(line.text());
    }

    /** logrotate: the numbered files move up one, then mail.log is renamed or copied and truncated. */
    private void rotatePostfix() throws IOException {
        // oldest first, so that no move lands on a file not moved yet
        for (int i = 0; i < postfix.closed.size(); i++) {
            LogFile f = postfix.closed.get(i);
            Path to = postfixPath(postfix.closed.size() - i + 1);
            Files.move(f.path, to);
            f.path = to;
        }
        Path first = postfixPath(1);
        if (nextPostfixRotationCopies) {
            Files.copy(postfix.current.path, first, StandardCopyOption.COPY_ATTRIBUTES);
            LogFile copy = new LogFile(first);
            copy.lastText = postfix.current.lastText;
            copy.lastOccurrence = postfix.current.lastOccurrence;
            postfix.closed.add(copy);
            postfix.channel.truncate(0);
            postfix.current.lastText = null;
            postfix.bytesInFile = 0;
            postfix.linesInFile = 0;
            count(Rotation.COPYTRUNCATE);
        } else {
            Files.move(postfix.current.path, first);
            postfix.current.path = first;
            // the daemon writes on into the renamed file until it is told to reopen its log
            int late = random.nextInt(12);
            for (int i = 0; i < late && lines.hasNext(); i++) {
                MixedLogWorkload.Line l = lines.next();
                if (l.sourceHost().equals(POSTFIX_HOST)) {
                    postfix.write(l.text());
                } else {
                    writeOne(l);
                }
            }
            postfix.channel.close();
            postfix.closed.add(postfix.current);
            postfix.open(postfixPath(0));
            count(Rotation.RENAME_AND_CREATE);
        }
        nextPostfixRotationCopies = !nextPostfixRotationCopies;
        postfix.rotateAt = nextPostfixRotation();
    }

    private void newExchangeFile(Log log, String firstLine) throws IOException {
        if (log.channel != null) {
            log.channel.close();
            log.closed.add(log.current);
        }
        boolean isSend = log == send;
        String time = firstLine.substring(0, firstLine.indexOf(','));
        String name = (isSend ? "SEND" : "RECV") + HOUR.format(Instant.parse(time)) + "-" + (++exchangeFileNumber) + ".LOG";
        log.open(log.dir.resolve(name));
        log.rotateAt = 80_000 + random.nextInt(120_000);
        log.write("#Software: Microsoft Exchange Server");
        log.write("#Version: 15.2.1544.4");
        log.write("#Log-type: SMTP " + (isSend ? "Send" : "Receive") + " Protocol Log");
        log.write("#Date: " + time);
        log.write("#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context");
    }

    private Path postfixPath(int n) {
        return postfix.dir.resolve(n == 0 ? "mail.log" : "mail.log." + n);
    }

    private long nextPostfixRotation() {
        return 600 + random.nextInt(900);
    }

    private void count(Rotation r) {
        synchronized (rotations) {
            rotations.merge(r, 1, Integer::sum);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
