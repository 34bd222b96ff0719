package io.tlsmon.alert;

import io.tlsmon.avro.AlertState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** An {@link AlertStore} in memory, for offline runs and tests. */
public final class InMemoryAlertStore implements AlertStore {
    private final TreeMap<String, AlertState> states = new TreeMap<>();
    private final Map<String, Integer> raised = new HashMap<>();
    private final Set<String> suppressed = new HashSet<>();

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
        // filtered as the engine's store does: "10.0.0.5|connector|..." is in the range of "10.0.0.5"
        List<AlertState> out = new ArrayList<>();
        for (AlertState st : states.subMap(sender + '|', sender + '|' + Character.MAX_VALUE).values()) {
            if (sender.equals(st.getSender())) {
                out.add(st);
            }
        }
        return out;
    }

    @Override
    public int raisedInHour(AlertRule rule, long hourStart) {
        return raised.getOrDefault(AlertStore.rateKey(rule, hourStart), 0);
    }

    @Override
    public void countRaised(AlertRule rule, long hourStart) {
        raised.merge(AlertStore.rateKey(rule, hourStart), 1, Integer::sum);
    }

    @Override
    public boolean noteSuppressed(String key, long hourStart) {
        return suppressed.add(hourStart + "|" + key);
    }

    public List<AlertState> all() {
        return new ArrayList<>(states.values());
    }
}
