package io.tlsmon.logs;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What a parser knows of the stream it reads before seeing a line: where it comes from, and how to
 * read times that lack a year or a zone (RFC 3164 syslog).
 *
 * @param sourceHost the host the lines were read on; null when unknown (offline files)
 * @param stream     file path or stream identity, used in evidence
 * @param zone       zone of timestamps that carry none
 * @param referenceEpochMillis a time near the end of the stream (file modification time, or now),
 *                   from which a missing syslog year is inferred
 */
public record StreamInfo(String sourceHost, String stream, ZoneId zone, long referenceEpochMillis) {

    public static StreamInfo of(String sourceHost, String stream) {
        return new StreamInfo(sourceHost, stream, ZoneOffset.UTC, System.currentTimeMillis());
    }
}
