package io.tlsmon.session;

import io.tlsmon.avro.OpenSession;
import io.tlsmon.logs.ParsedLine;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Groups the parsed lines of interleaved SMTP sessions into sessions, in memory: the offline
 * {@code classify} command and the benchmarks use it; the Streams topology keeps the same
 * {@link OpenSession} states in a RocksDB store instead.
 *
 * <p>Memory is bounded by the sessions open at once, never by the length of the log: a session
 * leaves as soon as its last line arrives (after {@code closeGraceMillis}, so that a line logged
 * just before the disconnect but read just after still joins it), or when it has been idle for
 * {@code idleGapMillis} of log time.
 */
public final class SessionStitcher {
    private final long idleGapMillis;
    private final long closeGraceMillis;
    private final BiConsumer<OpenSession, CloseReason> onClose;
    /** Access-ordered: the eldest entry is the session updated longest ago. */
    private final LinkedHashMap<String, OpenSession> open = new LinkedHashMap<>(256, 0.75f, true);
    private final ArrayDeque<OpenSession> ending = new ArrayDeque<>();
    private long clock = Long.MIN_VALUE;
    private long lastSweep = Long.MIN_VALUE;

    public SessionStitcher(long idleGapMillis, long closeGraceMillis, BiConsumer<OpenSession, CloseReason> onClose) {
        if (idleGapMillis <= 0) {
            throw new IllegalArgumentException("idle gap must be positive: " + idleGapMillis);
        }
        if (closeGraceMillis < 0) {
            throw new IllegalArgumentException("close grace must not be negative: " + closeGraceMillis);
        }
        this.idleGapMillis = idleGapMillis;
        this.closeGraceMillis = closeGraceMillis;
        this.onClose = onClose;
    }

    /** Adds one line; may close this line's session, older sessions of the same key, and idle ones. */
    public void accept(ParsedLine line) {
        if (line.time() > clock) {
            clock = line.time();
        }
        String key = line.stitchKey();
        OpenSession session = open.get(key);
        if (session != null && line.opensSession()) {
            open.remove(key);
            onClose.accept(session, session.getDisconnected() ? CloseReason.ENDED : CloseReason.REOPENED);
            session = null;
        }
        if (session == null) {
            session = SessionFold.open(line);
            open.put(key, session);
        } else {
            SessionFold.add(session, line);
        }
        if (line.closesSession()) {
            session.setDisconnected(true);
            if (closeGraceMillis == 0) {
                open.remove(key);
                onClose.accept(session, CloseReason.ENDED);
            } else {
                ending.add(session);
            }
        }
        if (clock >= lastSweep + 1000 || !ending.isEmpty()) {
            sweep();
        }
    }

    /** Closes sessions whose grace or idle gap has passed at {@code clock}. */
    private void sweep() {
        lastSweep = clock;
        while (!ending.isEmpty() && ending.peekFirst().getLastTime() + closeGraceMillis <= clock) {
            OpenSession s = ending.pollFirst();
            if (open.get(s.getKey()) == s) {
                open.remove(s.getKey());
                onClose.accept(s, CloseReason.ENDED);
            }
        }
        Iterator<Map.Entry<String, OpenSession>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            OpenSession s = it.next().getValue();
            if (s.getLastTime() + idleGapMillis > clock) {
                break;
            }
            it.remove();
            onClose.accept(s, s.getDisconnected() ? CloseReason.ENDED : CloseReason.IDLE);
        }
    }

    /** Closes every open session: the input has ended. */
    public void flush() {
        ending.clear();
        for (OpenSession s : open.values()) {
            onClose.accept(s, s.getDisconnected() ? CloseReason.ENDED : CloseReason.END_OF_INPUT);
        }
        open.clear();
    }

    public int openSessions() {
        return open.size();
    }

    /** The log time of the latest line seen. */
    public long clock() {
        return clock;
    }
}
