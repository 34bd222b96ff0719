package io.tlsmon.topology;

import io.tlsmon.alert.AlertRule;
import io.tlsmon.alert.AlertStore;
import io.tlsmon.avro.AlertState;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/** The alert engine's state in the {@value StoreNames#ALERT_STATES} and {@value StoreNames#ALERT_RATE} stores. */
final class KeyValueAlertStore implements AlertStore {
    private static final StringSerializer KEYS = new StringSerializer();
    private final KeyValueStore<String, AlertState> states;
    private final KeyValueStore<String, Long> rate;

    KeyValueAlertStore(KeyValueStore<String, AlertState> states, KeyValueStore<String, Long> rate) {
        this.states = states;
        this.rate = rate;
    }

    @Override
    public AlertState get(String key) {
        return states.get(key);
    }

    @Override
    public void put(String key, AlertState state) {
        states.put(key, state);
    }

    @Override
    public List<AlertState> forSender(String sender) {
        List<AlertState> out = new ArrayList<>();
        try (KeyValueIterator<String, AlertState> it = states.prefixScan(sender + '|', KEYS)) {
            it.forEachRemaining(kv -> out.add(kv.value));
        }
        return out;
    }

    @Override
    public int raisedInHour(AlertRule rule, long hourStart) {
        Long n = rate.get(AlertStore.rateKey(rule, hourStart));
        return n == null ? 0 : n.intValue();
    }

    @Override
    public void countRaised(AlertRule rule, long hourStart) {
        String key = AlertStore.rateKey(rule, hourStart);
        Long n = rate.get(key);
        rate.put(key, n == null ? 1L : n + 1);
    }

    /** Forgets the hourly counts of hours before {@code hourStart}. */
    void pruneRatesBefore(long hourStart) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = rate.all()) {
            it.forEachRemaining(kv -> {
                long hour = Long.parseLong(kv.key.substring(kv.key.lastIndexOf('@') + 1));
                if (hour < hourStart) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(rate::delete);
    }
}
