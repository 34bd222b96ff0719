package io.tlsmon.alert;

import io.tlsmon.avro.AlertState;

import java.util.List;

/**
 * Where the alert engine keeps its deduplication state: a RocksDB store in Streams, a map offline.
 * Keys are {@code sender|rule|outcome}.
 */
public interface AlertStore {
    AlertState get(String key);

    void put(String key, AlertState state);

    /** Every state of one sender (a prefix scan of {@code sender|}). */
    List<AlertState> forSender(String sender);

    /** RAISED so far for a rule in the hour of event time starting at {@code hourStart}. */
    int raisedInHour(String rule, long hourStart);

    void countRaised(String rule, long hourStart);

    static String key(String sender, String rule, String outcome) {
        return sender + '|' + rule + '|' + outcome;
    }
}
