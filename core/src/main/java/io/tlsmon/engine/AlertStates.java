package io.tlsmon.engine;

import io.tlsmon.alert.AlertConfig;
import io.tlsmon.alert.AlertRule;
import io.tlsmon.alert.AlertStore;
import io.tlsmon.avro.AlertState;

import java.util.ArrayList;
import java.util.List;

/**
 * The alert engine's state over two {@link KeyValueState}s, with the time-ordered indexes that keep
 * its periodic work proportional to what is due: an in-memory index of the alerts to resolve or
 * forget by when (rebuilt from the states when the engine starts), and hourly RAISED counts keyed
 * by hour first, so that forgetting old hours reads only old hours.
 */
final class AlertStates implements AlertStore {
    /** Between the hour and the alert key of a suppression note: it makes a key no hour's count has. */
    private static final String SUPPRESSED = "|suppressed|";

    private final KeyValueState<AlertState> states;
    private final KeyValueState<Long> rates;
    private final long quietPeriodMs;
    private final long keepClosedMs;
    private final DueIndex due = new DueIndex();

    AlertStates(KeyValueState<AlertState> states, KeyValueState<Long> rates, AlertConfig config) {
        this.states = states;
        this.rates = rates;
        this.quietPeriodMs = config.quietPeriodMs();
        // A closed deprecated-protocol state holds back a new RAISED until a deprecated interval after
        // it was raised; it is due for deletion this long after its last match, which is never before
        // it was raised, so it is kept for all of that (and, twice over, for late attempts).
        this.keepClosedMs = Math.max(config.deprecatedIntervalMs(), config.quietPeriodMs()) * 2;
        states.forEach(this::index);
    }

    @Override
    public AlertState get(String key) {
        return states.get(key);
    }

    @Override
    public void put(String key, AlertState state) {
        states.put(key, state);
        index(key, state);
    }

    @Override
    public List<AlertState> forSender(String sender) {
        List<AlertState> out = new ArrayList<>();
        states.range(sender + '|', sender + "|\uffff", (k, v) -> {
            // an outbound id holds a '|' ("10.0.0.5|connector"), so the range also holds the states
            // of an outbound sender whose server is named by an inbound sender's address
            if (sender.equals(v.getSender())) {
                out.add(v);
            }
        });
        return out;
    }

    @Override
    public int raisedInHour(AlertRule rule, long hourStart) {
        Long n = rates.get(rateKey(rule, hourStart));
        return n == null ? 0 : n.intValue();
    }

    @Override
    public void countRaised(AlertRule rule, long hourStart) {
        String key = rateKey(rule, hourStart);
        Long n = rates.get(key);
        rates.put(key, n == null ? 1L : n + 1);
    }

    /**
     * The open alerts whose quiet period has passed at {@code now}, earliest first; closed states
     * too old to hold back a repeat are deleted on the way.
     */
    List<AlertState> dueAt(long now) {
        List<AlertState> toResolve = new ArrayList<>();
        for (String key : due.takeDue(now)) {
            AlertState st = states.get(key);
            if (st == null) {
                continue;
            }
            if (st.getOpen()) {
                toResolve.add(st);
            } else {
                states.delete(key);
            }
        }
        return toResolve;
    }

    @Override
    public boolean noteSuppressed(String key, long hourStart) {
        // under its hour, beside the counts, so that forgetting an hour forgets its notes too
        String note = pad(hourStart) + SUPPRESSED + key;
        if (rates.get(note) != null) {
            return false;
        }
        rates.put(note, 1L);
        return true;
    }

    /** Forgets the hourly counts, and suppression notes, of the hours before {@code hourStart}. */
    void forgetRatesBefore(long hourStart) {
        List<String> old = new ArrayList<>();
        rates.range(pad(0), pad(hourStart), (k, v) -> old.add(k));
        old.forEach(rates::delete);
    }

    private void index(String key, AlertState st) {
        if (st.getOpen() && st.getSuccessSince()) {
            due.put(key, st.getLastMatch() + quietPeriodMs);
        } else if (!st.getOpen()) {
            due.put(key, st.getLastMatch() + keepClosedMs);
        } else {
            due.remove(key); // open and failing: nothing is due until a success comes
        }
    }

    /** Hour first, zero-padded: string order is time order. */
    private static String rateKey(AlertRule rule, long hourStart) {
        return pad(hourStart) + '|' + rule.label();
    }

    static String pad(long t) {
        String digits = Long.toString(Math.max(0, t));
        return "0".repeat(Math.max(0, 15 - digits.length())) + digits;
    }
}
