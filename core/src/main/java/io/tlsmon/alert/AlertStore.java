package io.tlsmon.alert;

import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.Outcome;

import java.util.List;

/**
 * Where the alert engine keeps its deduplication state: a RocksDB store in Streams, a map offline.
 * State keys are {@code sender|rule-label|OUTCOME}: the format is in changelogs already, so it stays
 * byte for byte as it is. How the hourly counts are keyed is the store's own business
 * ({@link #rateKey} is the in-memory one's).
 */
public interface AlertStore {
    AlertState get(String key);

    void put(String key, AlertState state);

    /** Every state of one sender (a prefix scan of {@code sender|}). */
    List<AlertState> forSender(String sender);

    /** RAISED so far for a rule in the hour of event time starting at {@code hourStart}. */
    int raisedInHour(AlertRule rule, long hourStart);

    void countRaised(AlertRule rule, long hourStart);

    /**
     * Notes that the hourly cap held back the RAISED of the alert under {@code key} (see
     * {@link #key}) in the hour of event time starting at {@code hourStart}.
     *
     * @return true the first time for that key and hour, so that a suppressed alert counts once
     */
    boolean noteSuppressed(String key, long hourStart);

    static String key(String sender, AlertRule rule, Outcome outcome) {
        return join(sender, rule.label(), outcome);
    }

    /**
     * The key a state read from a store belongs under. It takes the rule label from the state as it
     * is, so that a state is always written back where it was read.
     */
    static String keyOf(AlertState state) {
        return join(state.getSender(), state.getRule(), state.getOutcome());
    }

    /** The key of the hourly RAISED count of a rule. */
    static String rateKey(AlertRule rule, long hourStart) {
        return rule.label() + '@' + hourStart;
    }

    private static String join(String sender, String ruleLabel, Outcome outcome) {
        return sender + '|' + ruleLabel + '|' + outcome.name();
    }
}
