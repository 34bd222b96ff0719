package io.tlsmon.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline state: string order, ranges without their upper bound, and changes allowed while scanning. */
class MapStateTest {
    private final MapState<Long> state = new MapState<>();

    @Test
    void putGetAndDelete() {
        assertThat(state.get("a")).isNull();
        state.put("a", 1L);
        state.put("a", 2L);
        assertThat(state.get("a")).isEqualTo(2L);
        assertThat(state.size()).isEqualTo(1);
        state.delete("a");
        state.delete("never");
        assertThat(state.get("a")).isNull();
        assertThat(state.size()).isZero();
    }

    @Test
    void aRangeHoldsItsLowerBoundNotItsUpperInKeyOrder() {
        for (String k : List.of("b", "a", "c", "bb", "d")) {
            state.put(k, 0L);
        }
        List<String> seen = new ArrayList<>();
        state.range("b", "d", (k, v) -> seen.add(k));
        assertThat(seen).containsExactly("b", "bb", "c");
    }

    @Test
    void theActionMayChangeTheStateItScans() {
        state.put("a", 1L);
        state.put("b", 2L);
        state.range("a", "z", (k, v) -> state.delete(k));
        assertThat(state.size()).isZero();

        state.put("a", 1L);
        state.put("b", 2L);
        List<String> seen = new ArrayList<>();
        state.forEach((k, v) -> {
            seen.add(k);
            state.put(k + "!", v);
        });
        assertThat(seen).containsExactly("a", "b");
        assertThat(state.size()).isEqualTo(4);
    }
}
