package io.tlsmon.logs;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RememberedMapTest {
    private final ParserMemory memory = ParserMemory.inMemory();

    private List<String> stored(String prefix) {
        List<String> keys = new ArrayList<>();
        memory.forEachStartingWith(prefix, (k, v) -> keys.add(k + "=" + v));
        return keys;
    }

    @Test
    void whatItHoldsIsInTheMemoryAndAMapMadeAgainFindsIt() {
        RememberedMap m = new RememberedMap(memory, "peers", 10, true);
        m.put("smtp[1]", "mx.a.example");
        m.put("smtp[2]", "mx.b.example");
        assertThat(m.remove("smtp[2]")).isTrue();
        assertThat(m.remove("smtp[2]")).isFalse();
        assertThat(stored("peers:")).containsExactly("peers:smtp[1]=mx.a.example");
        RememberedMap again = new RememberedMap(memory, "peers", 10, true);
        assertThat(again.get("smtp[1]")).isEqualTo("mx.a.example");
        assertThat(again.containsKey("smtp[2]")).isFalse();
        // another map of the same parser keeps its own keys
        new RememberedMap(memory, "other", 10, true).put("smtp[1]", "x");
        assertThat(new RememberedMap(memory, "peers", 10, true).size()).isEqualTo(1);
    }

    @Test
    void theEldestGoesFromTheMemoryTooSoItStaysBounded() {
        RememberedMap lru = new RememberedMap(memory, "lru", 2, true);
        lru.put("a", "1");
        lru.put("b", "2");
        lru.get("a");
        lru.put("c", "3");
        assertThat(stored("lru:")).containsExactly("lru:a=1", "lru:c=3");
        RememberedMap fifo = new RememberedMap(memory, "fifo", 2, false);
        fifo.put("a", "1");
        fifo.put("b", "2");
        fifo.get("a");
        fifo.put("c", "3");
        assertThat(stored("fifo:")).containsExactly("fifo:b=2", "fifo:c=3");
        fifo.clear();
        assertThat(stored("fifo:")).isEmpty();
        assertThat(stored("lru:")).hasSize(2);
    }
}
