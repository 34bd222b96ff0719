package io.tlsmon.ingest.envelope;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tlsmon.avro.RawLine;
import io.tlsmon.logs.LineClock;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.StreamKey;
import io.tlsmon.logs.syslog.SyslogHost;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Turns a record of the shipped-lines topic into a {@link RawLine}. The records come from the log
 * shippers people already run; the shape is recognised per record:
 * <ul>
 *   <li>a JSON object (the value starts with <code>{</code>): Filebeat, Fluent Bit, Vector, NXLog
 *       {@code to_json()}, an rsyslog JSON template, or any object with a message field
 *       ({@code message}, {@code log}, {@code raw_event}, {@code Message}, {@code msg}, first wins);</li>
 *   <li>anything else is the line itself (rsyslog text templates, Fluent Bit {@code format raw}, kcat).</li>
 * </ul>
 * See {@code docs/shippers.md} for the configurations that produce each shape.
 *
 * <p>Stream identity: the host comes from the envelope, else from the record key ({@code host} or
 * {@code host|kind}), else, for a plain syslog line, from the line's own host field, else
 * {@code unknown}. The log kind comes from an explicit field ({@code fields.log_kind},
 * {@code fields.tlsmon_kind}, {@code log_kind}, {@code tlsmon_kind}, {@code LogKind}), else the key,
 * else the file path, else an ECS module/dataset, a tag, a syslog program name or an NXLog module
 * name, else null (the parser detects it). The stream is the file path, else the topic.
 *
 * <p>Time: the envelope's time (ISO-8601 with a zone, or epoch seconds/millis/micros/nanos), else
 * the Kafka record timestamp, else null.
 *
 * <p>The decoder never throws and holds no state: one instance may serve every thread.
 */
public final class EnvelopeDecoder {
    /** Default largest value accepted: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;
    /** The {@code stage} of dead letters made from {@link Decoded.Failure}s. */
    public static final String DEAD_LETTER_STAGE = "envelope";
    /** Host of lines whose record says nothing of their origin. */
    public static final String UNKNOWN_HOST = "unknown";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final int maxValueBytes;

    private EnvelopeDecoder(int maxValueBytes) {
        if (maxValueBytes < 1) {
            throw new IllegalArgumentException("maxValueBytes must be at least 1, was " + maxValueBytes);
        }
        this.maxValueBytes = maxValueBytes;
    }

    /** A decoder accepting values up to {@link #DEFAULT_MAX_VALUE_BYTES}. */
    public static EnvelopeDecoder create() {
        return new EnvelopeDecoder(DEFAULT_MAX_VALUE_BYTES);
    }

    /** A decoder accepting values up to {@code maxValueBytes} (at least 1). */
    public static EnvelopeDecoder withMaxValueBytes(int maxValueBytes) {
        return new EnvelopeDecoder(maxValueBytes);
    }

    public int maxValueBytes() {
        return maxValueBytes;
    }

    /**
     * The record key of a decoded line, its stream identity: the {@link StreamKey} of its host and
     * kind, {@code auto} when the kind is left to the parser.
     */
    public static String streamKey(RawLine line) {
        String kind = line.getLogKind();
        return StreamKey.of(line.getSourceHost(), kind == null ? null : LogFormat.fromLabel(kind)).format();
    }

    /**
     * Decodes one record. Never throws.
     *
     * @param key            record key, may be null
     * @param value          record value, may be null (then a failure)
     * @param topic          the topic read; the stream name of lines without a file path
     * @param kafkaTimestamp the record timestamp, used only when the envelope carries no time;
     *                       negative for none
     */
    public Decoded decode(byte[] key, byte[] value, String topic, long kafkaTimestamp) {
        try {
            return decodeUnchecked(key, value, topic, kafkaTimestamp);
        } catch (RuntimeException bug) {
            return fail(FailureReason.UNEXPECTED, Texts.shorten(bug.getClass().getName() + ": " + bug.getMessage(), 300));
        }
    }

    private Decoded decodeUnchecked(byte[] keyBytes, byte[] value, String topic, long kafkaTimestamp) {
        if (value == null) {
            return fail(FailureReason.NULL_VALUE, "record has no value (tombstone)");
        }
        if (value.length == 0) {
            return fail(FailureReason.EMPTY_VALUE, "record value has 0 bytes");
        }
        if (value.length > maxValueBytes) {
            return fail(FailureReason.VALUE_TOO_LARGE,
                    "value of " + value.length + " bytes exceeds the limit of " + maxValueBytes + " bytes");
        }
        // Malformed UTF-8 becomes U+FFFD here, before Jackson, which would refuse it.
        String text = new String(value, StandardCharsets.UTF_8);
        RecordKey key = RecordKey.parse(keyBytes);
        if (key.kindProblem() != null) {
            return fail(FailureReason.UNKNOWN_LOG_KIND, key.kindProblem());
        }
        String stream = topic == null || topic.isBlank() ? "unknown" : topic;
        Instant recordTime = kafkaTimestamp >= 0 ? Instant.ofEpochMilli(kafkaTimestamp) : null;
        int start = skipBomAndSpace(text);
        if (start < text.length() && text.charAt(start) == '{') {
            return decodeJson(text.substring(start), key, stream, recordTime);
        }
        return decodePlain(text, key, stream, recordTime);
    }

    private Decoded decodePlain(String text, RecordKey key, String stream, Instant recordTime) {
        String line = stripTerminators(text);
        Decoded problem = checkLine(line, "value");
        if (problem != null) {
            return problem;
        }
        String host = key.host() != null ? key.host() : SyslogHost.of(line);
        return line(host, key.kind(), stream, null, line, ownTime(line, recordTime), Shipper.PLAIN_TEXT);
    }

    private Decoded decodeJson(String text, RecordKey key, String topicStream, Instant recordTime) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return fail(FailureReason.INVALID_JSON, Texts.shorten(String.valueOf(e.getOriginalMessage()), 200) + where);
        }
        if (root == null || !root.isObject()) {
            return fail(FailureReason.INVALID_JSON, "value starts with '{' but is no JSON object");
        }
        JsonEnvelope envelope = new JsonEnvelope(root);
        String field = envelope.messageField();
        if (field == null) {
            return fail(FailureReason.NO_MESSAGE_FIELD, "JSON object has none of the message fields "
                    + JsonEnvelope.MESSAGE_FIELDS + "; its fields: " + envelope.fieldNames());
        }
        JsonNode message = envelope.field(field);
        if (!message.isTextual()) {
            return fail(FailureReason.MESSAGE_NOT_TEXT, "field '" + field + "' holds " + describe(message) + ", not text");
        }
        Shipper shipper = envelope.shipper(field);
        String line = stripTerminators(message.textValue());
        Decoded problem = checkLine(line, "field '" + field + "'");
        if (problem != null) {
            return problem;
        }
        if (shipper == Shipper.RSYSLOG_JSON) {
            line = RsyslogLine.rebuild(envelope, line);
        }

        JsonEnvelope.NamedKind named = envelope.explicitKind();
        LogFormat kind;
        if (named != null) {
            LogKinds.Explicit explicit = LogKinds.explicit(named.value());
            if (!explicit.known()) {
                return fail(FailureReason.UNKNOWN_LOG_KIND, "field '" + named.field() + "' is '"
                        + Texts.shorten(named.value(), 40) + "'; " + StreamKey.UnknownLogKindException.EXPECTED);
            }
            kind = explicit.kind();
        } else {
            kind = key.kind();
        }
        String path = envelope.path();
        if (kind == null) {
            kind = LogKinds.fromPath(path);
        }
        if (kind == null) {
            kind = envelope.hintedKind();
        }
        String host = envelope.host();
        if (host == null) {
            host = key.host();
        }
        Instant time = envelope.time();
        return line(host, kind, path != null ? path : topicStream, envelope.offset(), line,
                time != null ? time : ownTime(line, recordTime), shipper);
    }

    /**
     * The time a line gives itself (Exchange's leading ISO time, a syslog header), else the record
     * timestamp. tlsmon's topics use LogAppendTime, so a record timestamp is when the line arrived,
     * not when it was logged: taking it first would move stream time to now.
     */
    private static Instant ownTime(String line, Instant recordTime) {
        // A record is read alone, so a yearless syslog date takes its year from the arrival time (a
        // line arrives after it was written), as a parser's first line takes it from its reference.
        long reference = recordTime != null ? recordTime.toEpochMilli() : System.currentTimeMillis();
        long t = LineClock.ofAnyFormat(new StreamInfo(null, null, ZoneOffset.UTC, reference)).timeOf(line);
        return t != LineClock.NO_TIME ? Instant.ofEpochMilli(t) : recordTime;
    }

    private static Decoded line(String host, LogFormat kind, String stream, Long offset, String line, Instant time,
                                Shipper shipper) {
        RawLine raw = RawLine.newBuilder()
                .setSourceHost(host == null ? UNKNOWN_HOST : host)
                .setLogKind(kind == null ? null : kind.label())
                .setStream(stream)
                .setOffset(offset)
                .setLineNumber(null) // no shipper counts lines
                .setLine(line)
                .setTime(time)
                .setHeader(null)     // no shipper knows the Exchange header of the file
                .build();
        return new Decoded.Line(raw, shipper);
    }

    private static Decoded checkLine(String line, String where) {
        if (line.isEmpty()) {
            return fail(FailureReason.EMPTY_LINE, where + " is empty once its line terminator is removed");
        }
        int lf = line.indexOf('\n');
        if (lf >= 0) {
            return fail(FailureReason.MULTIPLE_LINES, where + " holds a line feed at character " + lf
                    + " (one line per record; turn off multiline joining in the shipper)");
        }
        return null;
    }

    /** Removes the line's terminator: any trailing CR and LF characters. */
    static String stripTerminators(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    private static int skipBomAndSpace(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == '\uFEFF' || s.charAt(i) == ' ' || s.charAt(i) == '\t'
                || s.charAt(i) == '\r' || s.charAt(i) == '\n')) {
            i++;
        }
        return i;
    }

    private static String describe(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isNumber()) {
            return "the number " + Texts.shorten(n.asText(), 40);
        }
        if (n.isBoolean()) {
            return "the boolean " + n.asText();
        }
        return "a " + n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static Decoded fail(FailureReason reason, String message) {
        return new Decoded.Failure(reason, message == null ? "(no detail)" : message);
    }
}
