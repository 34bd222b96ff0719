package io.tlsmon.engine;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;

/**
 * What the engine makes. The offline run prints these; the topology sends each kind to its topic.
 * The accessors of the other kinds return null, so an adapter routes without casts.
 */
public sealed interface EngineOutput {

    /** The kind, for routing. */
    Kind kind();

    /** The record key downstream: see each kind. */
    String key();

    default NegotiationAttempt attempt() {
        return null;
    }

    default Alert alert() {
        return null;
    }

    default DeadLetter deadLetter() {
        return null;
    }

    enum Kind { ATTEMPT, ALERT, DEAD_LETTER }

    /**
     * A classified attempt. Out of the session stage its key is whose TLS history it shares (the
     * sender stage's partitioning); out of the sender stage, the sender.
     */
    record AttemptOut(String key, NegotiationAttempt attempt) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.ATTEMPT;
        }
    }

    /** A RAISED, UPDATED or RESOLVED alert; keyed by its sender. */
    record AlertOut(Alert alert) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.ALERT;
        }

        @Override
        public String key() {
            return alert.getSender();
        }
    }

    /** A line the engine could not use, with its reason and source; it has no key. */
    record DeadLetterOut(DeadLetter deadLetter) implements EngineOutput {
        @Override
        public Kind kind() {
            return Kind.DEAD_LETTER;
        }

        @Override
        public String key() {
            return null;
        }
    }

    /** Where the engine puts what it makes. */
    @FunctionalInterface
    interface Sink {
        void accept(EngineOutput output);
    }
}
