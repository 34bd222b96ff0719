package io.tlsmon.engine;

import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.SenderState;

/**
 * The whole engine over in-memory maps, both halves chained directly: what {@code tlsmon classify},
 * the benchmarks and the tests run. The topology runs the same two halves over its state stores,
 * with a repartition by sender between them.
 */
public final class OfflineEngine {
    private final EngineCounters counters = new EngineCounters();
    private final SessionEngine sessions;
    private final SenderEngine senders;
    private final EngineOutput.Sink toSenders;

    /** @param out receives the dead letters, the completed attempts (keyed by sender) and the alerts */
    public OfflineEngine(EngineSettings settings, EngineOutput.Sink out) {
        this.sessions = new SessionEngine(settings, new MapState<OpenSession>(), new MapState<Long>(), new MapState<Long>(),
                new MapState<String>(), counters);
        this.senders = new SenderEngine(settings, new MapState<SenderState>(), new MapState<Long>(),
                new MapState<AlertState>(), new MapState<Long>(), new MapState<Long>(), counters);
        this.toSenders = o -> {
            if (o.kind() == EngineOutput.Kind.ATTEMPT) {
                senders.accept(o.attempt(), out);
            } else {
                out.accept(o);
            }
        };
    }

    public void accept(LineInput in) {
        sessions.accept(in, toSenders);
    }

    /** See {@link SessionEngine#endOfFile}. */
    public void endOfFile(String sourceHost, String stream) {
        sessions.endOfFile(sourceHost, stream);
    }

    /** See {@link SessionEngine#endOfStream}. */
    public void endOfStream(String streamKey) {
        sessions.endOfStream(streamKey, toSenders);
    }

    /** Every input has ended: the sessions still open are closed. */
    public void endOfInput() {
        sessions.endOfInput(toSenders);
    }

    public EngineCounters counters() {
        return counters;
    }

    public int openSessions() {
        return sessions.openSessions();
    }
}
