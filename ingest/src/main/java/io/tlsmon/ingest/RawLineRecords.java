package io.tlsmon.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.tlsmon.avro.RawLine;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The shape of a raw-line record, shared by the shipper and the replayer: key the
 * {@link io.tlsmon.logs.StreamKey} {@code sourceHost|logKind} (String), value {@link RawLine}, record
 * timestamp = the line's own time, and headers whose values are UTF-8 text.
 */
public final class RawLineRecords {
    /** File path (or archive path) of the line. */
    public static final String SOURCE_HEADER = "tlsmon.source";
    /** Byte offset of the line start, decimal. */
    public static final String OFFSET_HEADER = "tlsmon.offset";
    /** Byte offset after the line's LF, decimal (shipper only). */
    public static final String END_HEADER = "tlsmon.end";
    /** 1-based line number, decimal (shipper only). */
    public static final String LINE_HEADER = "tlsmon.line";
    /** File key (inode) of the file (shipper only). */
    public static final String FILE_HEADER = "tlsmon.file";
    /** Fingerprint {@code length:crc32hex} of the file's first bytes (shipper only). */
    public static final String FINGERPRINT_HEADER = "tlsmon.fp";
    /** The shipper id that sent the record (shipper only). */
    public static final String SHIPPER_HEADER = "tlsmon.shipper";

    private RawLineRecords() {
    }

    public static RawLine rawLine(String sourceHost, String logKind, String stream, long offset, long lineNumber,
                                  String line, long time, String header) {
        return RawLine.newBuilder()
            .setSourceHost(sourceHost)
            .setLogKind(logKind)
            .setStream(stream)
            .setOffset(offset)
            .setLineNumber(lineNumber)
            .setLine(line)
            .setTime(time >= 0 ? Instant.ofEpochMilli(time) : null)
            .setHeader(header)
            .build();
    }

    /**
     * The marker that ends a stream: the topology closes the sessions the stream left open, as the
     * offline {@code classify} does at the end of its input. Sent by a replay once its archive is read.
     */
    public static RawLine endOfStream(String sourceHost, String logKind) {
        return RawLine.newBuilder()
            .setSourceHost(sourceHost)
            .setLogKind(logKind)
            .setStream("")
            .setLine("")
            .setEndOfStream(true)
            .build();
    }

    public static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The header's text, or null when absent. */
    public static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
