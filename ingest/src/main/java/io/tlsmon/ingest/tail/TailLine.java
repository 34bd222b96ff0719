package io.tlsmon.ingest.tail;

/**
 * One complete line read by the {@link FileTailer}.
 *
 * @param file       the state of its file right after this line (position = {@code endOffset})
 * @param offset     byte offset of the line start
 * @param endOffset  byte offset after its LF
 * @param lineNumber 1-based
 * @param text       without LF and without a CR before it; malformed UTF-8 replaced
 * @param time       the line's own time (epoch ms), or -1
 * @param timestamp  the time to stamp the record with: {@code time}, else the file's last line time, else its mtime
 * @param header     Exchange {@code #Log-type:}/{@code #Fields:} lines of the file (joined by LF), or null
 */
public record TailLine(FileState file, long offset, long endOffset, long lineNumber, String text, long time,
                       long timestamp, String header) {
}
