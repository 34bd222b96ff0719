package io.tlsmon.ingest.replay;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

import io.tlsmon.logs.LineClock;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.exchange.ExchangeHeader;

/**
 * One archived file read line by line, with the time used to merge it with the other streams. A
 * line without its own time takes the time of the line before it in the stream; lines at the start
 * of a stream without time (an Exchange header) take the time of the first timed line after them,
 * so they stay just before it.
 */
final class ArchiveStream implements AutoCloseable {
    /** Untimed lines held at the start of a stream while looking for the first time. */
    private static final int MAX_LOOKAHEAD = 10_000;

    record Line(long offset, long lineNumber, String text, long time, long effectiveTime) {
    }

    final int index;
    final ReplaySource source;
    final Path path;
    private final long fallbackTime;
    private final InputStream in;
    private final ArrayDeque<Line> ahead = new ArrayDeque<>();
    private byte[] buf = new byte[8192];
    private final byte[] chunk = new byte[65536];
    private int chunkPos;
    private int chunkLen;
    private long offset;
    private long lineNumber;
    private long lastTime = Long.MIN_VALUE;
    private boolean eof;
    /** Per file, as the parser of the file's lines would read them. */
    private final LineClock clock;
    private final ExchangeHeader header;

    ArchiveStream(int index, ReplaySource source, Path path, AtomicLong bytesRead) throws IOException {
        this.index = index;
        this.source = source;
        this.path = path;
        this.fallbackTime = Files.getLastModifiedTime(path).toMillis();
        InputStream raw = new CountingInputStream(Files.newInputStream(path), bytesRead);
        InputStream decoded = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")
            ? new GZIPInputStream(raw, 65536) : raw;
        this.in = decoded;
        this.clock = LineClock.of(source.format(), new StreamInfo(source.sourceHost(), path.toString(), source.zone(),
            fallbackTime));
        this.header = source.format() == LogFormat.EXCHANGE ? new ExchangeHeader() : null;
    }

    /** The next line without taking it, or null at the end. */
    Line peek() throws IOException {
        if (ahead.isEmpty()) {
            fill();
        }
        return ahead.peekFirst();
    }

    Line take() throws IOException {
        Line l = peek();
        if (l != null) {
            ahead.removeFirst();
            noteHeader(l.text());
        }
        return l;
    }

    /** Exchange {@code #Log-type:}/{@code #Fields:} context of the lines taken so far, or null. */
    String header() {
        return header == null ? null : header.text();
    }

    private void noteHeader(String text) {
        if (header != null) {
            header.offer(text);
        }
    }

    private void fill() throws IOException {
        ArrayDeque<long[]> untimedStarts = null;
        while (ahead.isEmpty() || untimedStarts != null) {
            long start = offset;
            String text = readLine();
            if (text == null) {
                if (untimedStarts != null) {
                    resolveAhead(fallbackTime);
                }
                return;
            }
            long read = clock.timeOf(text);
            long time = read == LineClock.NO_TIME ? -1 : read;
            lineNumber++;
            if (time >= 0) {
                lastTime = time;
                if (untimedStarts != null) {
                    resolveAhead(time);
                    untimedStarts = null;
                }
                ahead.addLast(new Line(start, lineNumber, text, time, time));
            } else if (lastTime != Long.MIN_VALUE) {
                ahead.addLast(new Line(start, lineNumber, text, -1, lastTime));
            } else {
                // no time seen yet in this stream: hold the line until one appears
                untimedStarts = untimedStarts == null ? new ArrayDeque<>() : untimedStarts;
                ahead.addLast(new Line(start, lineNumber, text, -1, Long.MIN_VALUE));
                if (ahead.size() >= MAX_LOOKAHEAD) {
                    resolveAhead(fallbackTime);
                    lastTime = fallbackTime;
                    untimedStarts = null;
                }
            }
        }
    }

    private void resolveAhead(long time) {
        ArrayDeque<Line> fixed = new ArrayDeque<>();
        for (Line l : ahead) {
            fixed.addLast(l.effectiveTime() == Long.MIN_VALUE ? new Line(l.offset(), l.lineNumber(), l.text(), -1, time) : l);
        }
        ahead.clear();
        ahead.addAll(fixed);
    }

    /** The next line without LF (and without a CR before it); the last line may lack its LF. */
    private String readLine() throws IOException {
        if (eof) {
            return null;
        }
        int len = 0;
        while (true) {
            if (chunkPos == chunkLen) {
                chunkLen = in.read(chunk, 0, chunk.length);
                chunkPos = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    eof = true;
                    return len == 0 ? null : decode(len);
                }
            }
            int lf = -1;
            for (int i = chunkPos; i < chunkLen; i++) {
                if (chunk[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int end = lf >= 0 ? lf : chunkLen;
            int n = end - chunkPos;
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            System.arraycopy(chunk, chunkPos, buf, len, n);
            len += n;
            offset += n;
            chunkPos = end;
            if (lf >= 0) {
                chunkPos++;
                offset++;
                return decode(len);
            }
        }
    }

    private String decode(int len) {
        if (len > 0 && buf[len - 1] == '\r') {
            len--;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    long fallbackTime() {
        return fallbackTime;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Counts the bytes read from disk, for progress. */
    private static final class CountingInputStream extends FilterInputStream {
        private final AtomicLong counter;

        CountingInputStream(InputStream in, AtomicLong counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.addAndGet(n);
            }
            return n;
        }
    }
}
