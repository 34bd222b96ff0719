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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The first half of the engine, per stream: raw line, parsed line, stitched session, classified
 * attempt. Sessions live in {@code sessions} until they end.
 *
 * <p>Each log has its own clock, the latest line time accepted from it, and that clock alone closes
 * the log's sessions: a session that logged its last line closes a close grace after it, an idle
 * one an idle gap after its last line, and the end of its stream closes the rest. A log is one
 * writer within a stream (a server's log: the raw-lines key live, a group of files offline): an
 * Exchange server's receive and send logs share a stream key but are written, and may be shipped,
 * independently, so each has a clock. Servers whose clocks differ, files read one after the other,
 * or a shipper catching up one file before the next, so never close each other's sessions.
 *
 * <p>Every decision is made on a line's arrival, from the state and the clocks alone, never from
 * the wall clock or Kafka's punctuation schedule, so the offline run and the topology close the
 * same sessions at the same lines and emit the same attempts in the same order.
 */
public final class SessionEngine {
    /** Between a stream key and a log's kind in a log's name; no stream key or kind holds it. */
    private static final char LOG_SEPARATOR = '\u0001';

    private final EngineSettings settings;
    private final KeyValueState<OpenSession> sessions;
    private final KeyValueState<Long> clocks;
    private final KeyValueState<Long> lines;
    private final StreamParsers parsers;
    private final EngineCounters counters;
    /** By log name ({@code streamKey + LOG_SEPARATOR + sourceKind}), so a stream's logs are adjacent. */
    private final TreeMap<String, LogSessions> logs = new TreeMap<>();

    /** The open sessions of one log by deadline, and the log's clock. */
    private static final class LogSessions {
        final DueIndex deadlines = new DueIndex();
        long clock = Long.MIN_VALUE;
    }

    /**
     * @param sessions     the open sessions, by {@link ParsedLine#stitchKey()}
     * @param clocks       each log's clock, by log name
     * @param lines        lines parsed from each log, by log name: what the API says each server sent
     * @param parserMemory what each stream's parser remembers of its earlier lines, by stream ({@link StreamParsers})
     */
    public SessionEngine(EngineSettings settings, KeyValueState<OpenSession> sessions, KeyValueState<Long> clocks,
                         KeyValueState<Long> lines, KeyValueState<String> parserMemory, EngineCounters counters) {
        this.settings = settings;
        this.sessions = sessions;
        this.clocks = clocks;
        this.lines = lines;
        this.counters = counters;
        this.parsers = new StreamParsers(settings.zone(), parserMemory);
        clocks.forEach((log, t) -> logOf(log).clock = t);
        sessions.forEach((key, s) -> logOf(logName(s.getOrigin(), s.getSourceKind())).deadlines.put(key, deadline(s)));
    }

    /** For the engine's own tests, which look at sessions and clocks only: the line counts and the parsers' memory are maps. */
    SessionEngine(EngineSettings settings, KeyValueState<OpenSession> sessions, KeyValueState<Long> clocks, EngineCounters counters) {
        this(settings, sessions, clocks, new MapState<>(), new MapState<>(), counters);
    }

    /** The latest line time accepted from any log of {@code streamKey}, or {@link Long#MIN_VALUE} before the first. */
    public long clock(String streamKey) {
        long max = Long.MIN_VALUE;
        for (LogSessions log : logsOf(streamKey).values()) {
            max = Math.max(max, log.clock);
        }
        return max;
    }

    public int openSessions() {
        int n = 0;
        for (LogSessions log : logs.values()) {
            n += log.deadlines.size();
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
            // a clock set years ahead would close every open session of its log at once
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
        String logName = logName(streamKey, line.kind().label());
        LogSessions log = logOf(logName);
        Long seen = lines.get(logName);
        lines.put(logName, seen == null ? 1L : seen + 1);
        if (log.clock != Long.MIN_VALUE && line.time() < log.clock - settings.idleGapMs()) {
            resetClock(logName, log, line.time(), out);
        }
        // first what this line's time closes, so that a line long after its session's last one starts a new session
        advance(logName, log, line.time(), out);
        String key = line.stitchKey();
        OpenSession session = sessions.get(key);
        // A session ends once; another last line under its key within the grace is the next
        // session's (a second delivery over one Postfix smtp process, a second one-line attempt).
        boolean endsAgain = session != null && session.getDisconnected() && line.closesSession();
        boolean startsNew = line.opensSession() || endsAgain;
        if (session != null && startsNew && !SessionFold.onlyProcessProblem(session)) {
            close(session, session.getDisconnected() ? CloseReason.ENDED : CloseReason.REOPENED, out);
            // what the closed session leaves behind: its process's TLS setup problem, if it had one
            session = sessions.get(key);
        }
        OpenSession processProblem = null;
        if (session != null && startsNew) {
            // the process's own TLS setup problem, logged before this connection: it is this session's too
            processProblem = session;
            sessions.delete(key);
            logOf(logName(session.getOrigin(), session.getSourceKind())).deadlines.remove(key);
            session = null;
        }
        if (session == null) {
            session = SessionFold.open(line);
            session.setOrigin(streamKey);
            if (processProblem != null) {
                SessionFold.carryProcessProblem(processProblem, session);
            }
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
        logOf(logName(session.getOrigin(), session.getSourceKind())).deadlines.put(key, deadline(session));
    }

    /**
     * The log's clock went back by more than an idle gap (a server's clock corrected, local time
     * logged across the end of daylight saving): no line of an open session can be that late, so
     * the log starts again from this line's time. Its open sessions end as at the end of an input
     * (one cut off mid-handshake is counted, not called a drop); kept open, each would be closed by
     * the old clock at the next line, and every session after the jump with it.
     */
    private void resetClock(String logName, LogSessions log, long time, EngineOutput.Sink out) {
        counters.clockResets++;
        endLog(log, out);
        log.clock = time;
        clocks.put(logName, time);
    }

    /**
     * The stream {@code streamKey} has ended (an archive replayed to its end, a group of files read
     * to its end offline): the open sessions of its logs are closed as at the end of the input, in
     * deadline order.
     */
    public void endOfStream(String streamKey, EngineOutput.Sink out) {
        for (LogSessions log : List.copyOf(logsOf(streamKey).values())) {
            endLog(log, out);
        }
    }

    private void endLog(LogSessions log, EngineOutput.Sink out) {
        for (String key : log.deadlines.keys()) {
            OpenSession s = sessions.get(key);
            log.deadlines.remove(key);
            if (s != null) {
                close(s, s.getDisconnected() ? CloseReason.ENDED : CloseReason.END_OF_INPUT, out, false);
            }
        }
    }

    /** A file is read to its end; the stream's next file gets a parser of its own, as offline. */
    public void endOfFile(String sourceHost, String stream) {
        parsers.end(sourceHost, stream);
    }

    /** Every input has ended: closes every open session, log by log in name order. */
    public void endOfInput(EngineOutput.Sink out) {
        for (LogSessions log : List.copyOf(logs.values())) {
            endLog(log, out);
        }
    }

    /**
     * Moves the clocks of {@code streamKey}'s logs forward to {@code time} (never back) and closes
     * the sessions due by then: the topology's rule for a stream gone quiet.
     */
    public void advanceTo(String streamKey, long time, EngineOutput.Sink out) {
        for (Map.Entry<String, LogSessions> e : List.copyOf(logsOf(streamKey).entrySet())) {
            advance(e.getKey(), e.getValue(), time, out);
        }
    }

    private void advance(String logName, LogSessions log, long time, EngineOutput.Sink out) {
        if (time > log.clock) {
            log.clock = time;
            clocks.put(logName, time);
        }
        for (String key : log.deadlines.takeDue(log.clock)) {
            OpenSession s = sessions.get(key);
            if (s != null) {
                close(s, s.getDisconnected() ? CloseReason.ENDED : CloseReason.IDLE, out);
            }
        }
    }

    /** The stream keys known: for the topology's quiet-stream check. */
    public Set<String> streamKeys() {
        Set<String> keys = new TreeSet<>();
        logs.keySet().forEach(name -> keys.add(name.substring(0, name.indexOf(LOG_SEPARATOR))));
        return keys;
    }

    private static String logName(String streamKey, String sourceKind) {
        return streamKey + LOG_SEPARATOR + sourceKind;
    }

    private SortedMap<String, LogSessions> logsOf(String streamKey) {
        return logs.subMap(streamKey + LOG_SEPARATOR, streamKey + (char) (LOG_SEPARATOR + 1));
    }

    private LogSessions logOf(String logName) {
        return logs.computeIfAbsent(logName, k -> new LogSessions());
    }

    private void close(OpenSession session, CloseReason reason, EngineOutput.Sink out) {
        close(session, reason, out, true);
    }

    /** {@code inputGoesOn}: false when the whole log ends, so no process lives on to serve another session. */
    private void close(OpenSession session, CloseReason reason, EngineOutput.Sink out, boolean inputGoesOn) {
        String key = session.getKey();
        sessions.delete(key);
        LogSessions log = logs.get(logName(session.getOrigin(), session.getSourceKind()));
        if (log != null) {
            log.deadlines.remove(key);
        }
        if (reason == CloseReason.END_OF_INPUT && cutOffMidHandshake(session)) {
            // the input ends, not the session: its outcome is unknown, not a drop
            counters.cutOff++;
            return;
        }
        if (session.getReported() && SessionFold.onlyProcessProblem(session)) {
            // a process problem already reported, that no later session of the process took over
            return;
        }
        NegotiationAttempt attempt = AttemptClassifier.classify(session);
        if (attempt != null) {
            counters.attempts++;
            out.accept(new EngineOutput.AttemptOut(ProbableCause.historyKey(attempt), attempt));
        }
        if (inputGoesOn && session.getProcessProblem() && !SessionFold.onlyProcessProblem(session)) {
            // the process goes on serving sessions without TLS: its next one has the same problem
            OpenSession kept = SessionFold.processProblemAfter(session);
            sessions.put(key, kept);
            if (log != null) {
                log.deadlines.put(key, deadline(kept));
            }
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
