package io.tlsmon.engine;

import io.tlsmon.avro.DeadLetterStage;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.classify.AttemptClassifier;
import io.tlsmon.classify.ProbableCause;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.session.CloseReason;
import io.tlsmon.session.SessionFold;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The first half of the engine, per stream: raw line, parsed line, stitched session, classified
 * attempt. Sessions live in {@code sessions} until they end. Each stream (a server's log: the
 * raw-lines key live, a group of files offline) has its own clock, the latest line time accepted
 * from it, and that clock alone closes the stream's sessions: a session that logged its last line
 * closes a close grace after it, an idle one an idle gap after its last line, and the end of its
 * stream closes the rest. Servers whose clocks differ, or files read one after the other, so never
 * close each other's sessions.
 *
 * <p>Every decision is made on a line's arrival, from the state and the clocks alone, never from
 * the wall clock or Kafka's punctuation schedule, so the offline run and the topology close the
 * same sessions at the same lines and emit the same attempts in the same order.
 */
public final class SessionEngine {
    private final EngineSettings settings;
    private final KeyValueState<OpenSession> sessions;
    private final KeyValueState<Long> clocks;
    private final StreamParsers parsers;
    private final EngineCounters counters;
    private final Map<String, StreamSessions> streams = new HashMap<>();

    /** The open sessions of one stream by deadline, and the stream's clock. */
    private static final class StreamSessions {
        final DueIndex deadlines = new DueIndex();
        long clock = Long.MIN_VALUE;
    }

    /**
     * @param sessions the open sessions, by {@link ParsedLine#stitchKey()}
     * @param clocks   each stream's clock, by stream key
     */
    public SessionEngine(EngineSettings settings, KeyValueState<OpenSession> sessions, KeyValueState<Long> clocks,
                         EngineCounters counters) {
        this.settings = settings;
        this.sessions = sessions;
        this.clocks = clocks;
        this.counters = counters;
        this.parsers = new StreamParsers(settings.zone());
        clocks.forEach((stream, t) -> streamOf(stream).clock = t);
        sessions.forEach((key, s) -> streamOf(s.getOrigin()).deadlines.put(key, deadline(s)));
    }

    /** The latest line time accepted from {@code streamKey}, or {@link Long#MIN_VALUE} before its first. */
    public long clock(String streamKey) {
        StreamSessions s = streams.get(streamKey);
        return s == null ? Long.MIN_VALUE : s.clock;
    }

    public int openSessions() {
        int n = 0;
        for (StreamSessions s : streams.values()) {
            n += s.deadlines.size();
        }
        return n;
    }

    /** Takes one line: may emit a dead letter, and the attempts of the sessions it closes. */
    public void accept(LineInput in, EngineOutput.Sink out) {
        counters.lines++;
        ParseResult r = parsers.parse(in);
        if (r.isError()) {
            counters.parseErrors++;
            out.accept(new EngineOutput.DeadLetterOut(DeadLetters.ofLine(DeadLetterStage.PARSE, r.error(), in)));
            return;
        }
        if (!r.isLine()) {
            counters.ignored++;
            return;
        }
        ParsedLine line = r.line();
        if (line.time() > in.arrivalMillis() + settings.maxAheadMs()) {
            // a clock set years ahead would close every open session of its stream at once
            counters.clockErrors++;
            out.accept(new EngineOutput.DeadLetterOut(DeadLetters.ofLine(DeadLetterStage.CLOCK,
                    "line time " + Instant.ofEpochMilli(line.time()) + " is more than "
                            + settings.maxAheadMs() / 60_000 + " min after the line arrived ("
                            + Instant.ofEpochMilli(in.arrivalMillis()) + "): the server's clock is wrong", in)));
            return;
        }
        counters.parsed++;
        stitch(in.streamKey(), line, out);
    }

    /** Folds one parsed line of {@code streamKey} into its session. */
    void stitch(String streamKey, ParsedLine line, EngineOutput.Sink out) {
        // first what this line's time closes, so that a line long after its session's last one starts a new session
        advanceTo(streamKey, line.time(), out);
        String key = line.stitchKey();
        OpenSession session = sessions.get(key);
        // A session ends once; another last line under its key within the grace is the next
        // session's (a second delivery over one Postfix smtp process, a second one-line attempt).
        boolean endsAgain = session != null && session.getDisconnected() && line.closesSession();
        if (session != null && (line.opensSession() || endsAgain)) {
            close(session, session.getDisconnected() ? CloseReason.ENDED : CloseReason.REOPENED, out);
            session = null;
        }
        if (session == null) {
            session = SessionFold.open(line);
            session.setOrigin(streamKey);
        } else {
            SessionFold.add(session, line);
        }
        if (line.closesSession()) {
            session.setDisconnected(true);
        }
        if (session.getDisconnected() && settings.closeGraceMs() == 0) {
            close(session, CloseReason.ENDED, out);
            return;
        }
        sessions.put(key, session);
        streamOf(session.getOrigin()).deadlines.put(key, deadline(session));
    }

    /**
     * The stream {@code streamKey} has ended (an archive replayed to its end, a group of files read
     * to its end offline): its open sessions are closed as at the end of the input, in deadline order.
     */
    public void endOfStream(String streamKey, EngineOutput.Sink out) {
        StreamSessions stream = streams.get(streamKey);
        if (stream == null) {
            return;
        }
        for (String key : stream.deadlines.keys()) {
            OpenSession s = sessions.get(key);
            stream.deadlines.remove(key);
            if (s != null) {
                close(s, s.getDisconnected() ? CloseReason.ENDED : CloseReason.END_OF_INPUT, out);
            }
        }
    }

    /** A file is read to its end; the stream's next file gets a parser of its own, as offline. */
    public void endOfFile(String sourceHost, String stream) {
        parsers.end(sourceHost, stream);
    }

    /** Every input has ended: closes every open session, stream by stream in key order. */
    public void endOfInput(EngineOutput.Sink out) {
        for (String stream : new java.util.TreeSet<>(streams.keySet())) {
            endOfStream(stream, out);
        }
    }

    /**
     * Moves the clock of {@code streamKey} forward to {@code time} (never back) and closes the
     * stream's sessions due by then. The topology also calls this for a stream gone quiet.
     */
    public void advanceTo(String streamKey, long time, EngineOutput.Sink out) {
        StreamSessions stream = streamOf(streamKey);
        if (time > stream.clock) {
            stream.clock = time;
            clocks.put(streamKey, time);
        }
        for (String key : stream.deadlines.takeDue(stream.clock)) {
            OpenSession s = sessions.get(key);
            if (s != null) {
                close(s, s.getDisconnected() ? CloseReason.ENDED : CloseReason.IDLE, out);
            }
        }
    }

    /** The streams known, with their clocks: for the topology's quiet-stream check. */
    public Map<String, Long> clocks() {
        Map<String, Long> all = new HashMap<>();
        streams.forEach((k, v) -> all.put(k, v.clock));
        return all;
    }

    private StreamSessions streamOf(String streamKey) {
        return streams.computeIfAbsent(streamKey, k -> new StreamSessions());
    }

    private void close(OpenSession session, CloseReason reason, EngineOutput.Sink out) {
        String key = session.getKey();
        sessions.delete(key);
        StreamSessions stream = streams.get(session.getOrigin());
        if (stream != null) {
            stream.deadlines.remove(key);
        }
        if (reason == CloseReason.END_OF_INPUT && cutOffMidHandshake(session)) {
            // the input ends, not the session: its outcome is unknown, not a drop
            counters.cutOff++;
            return;
        }
        NegotiationAttempt attempt = AttemptClassifier.classify(session);
        if (attempt != null) {
            counters.attempts++;
            out.accept(new EngineOutput.AttemptOut(ProbableCause.historyKey(attempt), attempt));
        }
    }

    private static boolean cutOffMidHandshake(OpenSession s) {
        return s.getStarttlsSent() && !s.getEstablished() && s.getFailureRank() == 0 && !s.getDisconnected();
    }

    /** When the session is to be closed: the close grace after its last line once ended, else the idle gap. */
    private long deadline(OpenSession s) {
        return s.getLastTime() + (s.getDisconnected() ? settings.closeGraceMs() : settings.idleGapMs());
    }
}
