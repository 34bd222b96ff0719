package io.tlsmon.topology;

import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.RawLine;
import io.tlsmon.classify.AttemptClassifier;
import io.tlsmon.classify.ProbableCause;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.session.SessionFold;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses raw lines, stitches them into sessions in the {@value StoreNames#SESSIONS} store, and
 * forwards each ended session's classified attempt (keyed by whose TLS history it shares) or a
 * {@link DeadLetter} for a line that does not parse. Sessions end on their last line (after the
 * close grace) or when idle; both are found by a range scan of the {@value StoreNames#SESSION_DEADLINES}
 * index when stream time passes their deadline. The index holds an entry per session written when it
 * opens and when it ends; an entry may lag behind the session's real deadline (it is not moved on
 * every line, which cost two store writes and two changelog records per line), never run ahead of it.
 */
final class SessionProcessor implements Processor<String, RawLine, String, SpecificRecord> {
    private final TlsmonConfig config;
    private final long idleGap;
    private final long grace;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, OpenSession> sessions;
    private KeyValueStore<String, String> deadlines;
    private StreamParsers parsers;

    SessionProcessor(TlsmonConfig config) {
        this.config = config;
        this.idleGap = config.getLong(TlsmonConfig.SESSION_IDLE_GAP_MS_CONFIG);
        this.grace = config.getLong(TlsmonConfig.SESSION_CLOSE_GRACE_MS_CONFIG);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.sessions = context.getStateStore(StoreNames.SESSIONS);
        this.deadlines = context.getStateStore(StoreNames.SESSION_DEADLINES);
        this.parsers = new StreamParsers(config.zone());
        context.schedule(Duration.ofMillis(config.getLong(TlsmonConfig.SESSION_PUNCTUATE_MS_CONFIG)),
                PunctuationType.STREAM_TIME, this::closeDue);
    }

    @Override
    public void process(Record<String, RawLine> record) {
        RawLine raw = record.value();
        if (raw == null) {
            return;
        }
        long lineNumber = raw.getLineNumber() != null ? raw.getLineNumber()
                : raw.getOffset() != null ? raw.getOffset()
                : context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        ParseResult result = parsers.parse(raw, lineNumber, record.timestamp());
        if (result.isError()) {
            TopologyCounters.PARSE_ERRORS.incrementAndGet();
            context.forward(new Record<>(null, deadLetter(raw, lineNumber, result.error(), record.timestamp()), record.timestamp()));
            return;
        }
        if (!result.isLine()) {
            return;
        }
        ParsedLine line = result.line();
        String key = line.stitchKey();
        OpenSession session = sessions.get(key);
        if (session != null && line.opensSession()) {
            close(session);
            session = null;
        }
        boolean opened = session == null;
        boolean wasEnded = !opened && session.getDisconnected();
        if (opened) {
            session = SessionFold.open(line);
        } else {
            SessionFold.add(session, line);
        }
        if (line.closesSession()) {
            session.setDisconnected(true);
        }
        if (session.getDisconnected() && grace == 0) {
            close(session);
            return;
        }
        sessions.put(key, session);
        // One deadline entry when the session opens and one when it ends, not one move per line:
        // closeDue re-reads the session and puts the entry back at its real deadline if it has had
        // lines since. An entry is never later than the real deadline, so no session closes late.
        if (opened || (session.getDisconnected() && !wasEnded)) {
            deadlines.put(deadlineKey(deadline(session), key), key);
        }
    }

    /**
     * Closes every session whose real deadline is at or before stream time {@code now}, in deadline
     * order. Due entries of sessions that have had lines since (or are already gone) are moved or dropped.
     */
    private void closeDue(long now) {
        Map<String, String> dueEntries = new LinkedHashMap<>(); // session key -> an entry of it that is due
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, String> it = deadlines.range(pad(0) + "|", pad(now) + "|~")) {
            while (it.hasNext()) {
                var entry = it.next();
                if (dueEntries.putIfAbsent(entry.value, entry.key) != null) {
                    stale.add(entry.key);
                }
            }
        }
        stale.forEach(deadlines::delete);
        List<OpenSession> toClose = new ArrayList<>();
        for (Map.Entry<String, String> e : dueEntries.entrySet()) {
            deadlines.delete(e.getValue());
            OpenSession s = sessions.get(e.getKey());
            if (s == null) {
                continue;
            }
            long due = deadline(s);
            if (due <= now) {
                toClose.add(s);
            } else {
                deadlines.put(deadlineKey(due, e.getKey()), e.getKey());
            }
        }
        // the order the index gave before entries could lag behind their session: by deadline, then key
        toClose.sort(Comparator.comparingLong(this::deadline).thenComparing(OpenSession::getKey));
        for (OpenSession s : toClose) {
            close(s);
        }
    }

    /** Removes the session and forwards its attempt; its deadline entries are dropped when they come due. */
    private void close(OpenSession session) {
        sessions.delete(session.getKey());
        NegotiationAttempt attempt = AttemptClassifier.classify(session);
        if (attempt != null) {
            context.forward(new Record<>(ProbableCause.historyKey(attempt), attempt, attempt.getEndTime().toEpochMilli()));
        }
    }

    /** When the session is to be closed: the close grace after its last line once ended, else the idle gap. */
    private long deadline(OpenSession s) {
        return s.getLastTime() + (s.getDisconnected() ? grace : idleGap);
    }

    private static String deadlineKey(long due, String sessionKey) {
        return pad(due) + '|' + sessionKey;
    }

    /** Zero-padded so that string order is time order (negative times are clamped to 0). */
    private static String pad(long t) {
        String digits = Long.toString(Math.max(0, t));
        return "0".repeat(Math.max(0, 15 - digits.length())) + digits;
    }

    private DeadLetter deadLetter(RawLine raw, long lineNumber, String reason, long timestamp) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        return DeadLetter.newBuilder()
                .setStage("parse")
                .setReason(reason)
                .setSourceHost(raw.getSourceHost())
                .setSource(raw.getStream())
                .setLineNumber(lineNumber)
                .setTopic(meta == null ? null : meta.topic())
                .setPartition(meta == null ? null : meta.partition())
                .setOffset(meta == null ? null : meta.offset())
                .setValue(ByteBuffer.wrap(raw.getLine().getBytes(StandardCharsets.UTF_8)))
                .setTime(Instant.ofEpochMilli(Math.max(0, timestamp)))
                .build();
    }
}
