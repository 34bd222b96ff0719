package io.tlsmon.engine;

import io.tlsmon.logs.LogFormat;

/**
 * One line as it reaches the engine, with what is known of where it came from.
 *
 * @param streamKey   the log the line belongs to ({@code host|logKind}, the raw-lines key; offline,
 *                    the group of files read as one log): an end-of-stream closes its sessions
 * @param sourceHost  the mail server the line was read on, or null when unknown
 * @param stream      the file (or stream) the line was read from: one parser each
 * @param format      the log's format when the shipper or the user said it, else null (detected)
 * @param header      Exchange {@code #Fields}/{@code #Log-type} lines of the file, when the shipper
 *                    sent them beside the line (a parser made mid-file needs them), else null
 * @param line        the text, without its terminator
 * @param lineNumber  1-based line number in the stream (or an offset), carried into the evidence
 * @param referenceMillis a time near the line's own, from which a syslog year is inferred when the
 *                    line has none: the file's modification time offline; live, the time the
 *                    shipper read off the line (with the same inference) or else the arrival time
 * @param arrivalMillis when the line was read: the file's modification time offline, the record's
 *                    append time live; a line's own time may not be far after it
 * @param position    where a live line sits in Kafka, for its dead letter; null offline
 */
public record LineInput(String streamKey, String sourceHost, String stream, LogFormat format, String header,
                        String line, long lineNumber, long referenceMillis, long arrivalMillis,
                        RecordPosition position) {

    /** A topic, partition and offset. */
    public record RecordPosition(String topic, int partition, long offset) {
    }
}
