package io.tlsmon.http;

import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.SenderState;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API reads: the engine's state of all instances together. Live it is
 * {@link ClusterStateView} over the Kafka Streams stores of every instance; in the unit tests a
 * map. Each answer says whether some of it came from a standby copy that may lag behind.
 */
public interface StateView {

    /** A value and whether some of it was read from a standby (possibly behind the active copy). */
    record Answer<T>(T value, boolean stale) {
    }

    /** The state of one sender, and its alert states. */
    record SenderFacts(SenderState state, List<AlertState> alerts) {
    }

    Answer<Optional<SenderFacts>> sender(String senderId);

    Answer<List<SenderState>> senders();

    Answer<List<AlertState>> alertStates();

    /** Each log's clock (the latest line time taken from it), by the session stage's log name. */
    Answer<Map<String, Long>> logClocks();

    /** Lines parsed from each log, by the same log name as {@link #logClocks()}. */
    Answer<Map<String, Long>> logLines();

    /** Attempts per hour, outcome and partition, by {@link io.tlsmon.topology.OutcomeHistory}'s keys. */
    Answer<Map<String, Long>> outcomeHistory();
}
