package io.tlsmon.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DueIndexTest {
    private final DueIndex index = new DueIndex();

    @Test
    void takesOutWhatIsDueAtOrBeforeNowEarliestFirst() {
        index.put("c", 30);
        index.put("a", 10);
        index.put("b", 20);
        assertThat(index.takeDue(9)).isEmpty();
        assertThat(index.takeDue(20)).containsExactly("a", "b");
        assertThat(index.keys()).containsExactly("c");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.takeDue(Long.MAX_VALUE)).containsExactly("c");
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.size()).isZero();
    }

    @Test
    void equalDueTimesComeOutByKey() {
        index.put("b", 5);
        index.put("c", 5);
        index.put("a", 5);
        assertThat(index.keys()).containsExactly("a", "b", "c");
        assertThat(index.takeDue(5)).containsExactly("a", "b", "c");
    }

    @Test
    void aPutMovesTheKeyAndLeavesNoTraceOfItsOldTime() {
        index.put("a", 10);
        index.put("a", 50);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.takeDue(49)).isEmpty();
        assertThat(index.takeDue(50)).containsExactly("a");
        assertThat(index.takeDue(100)).isEmpty();

        index.put("b", 60);
        index.put("b", 40); // earlier as well as later
        assertThat(index.takeDue(40)).containsExactly("b");
        assertThat(index.isEmpty()).isTrue();
    }

    @Test
    void aPutOfTheSameTimeChangesNothing() {
        index.put("a", 10);
        index.put("a", 10);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.takeDue(10)).containsExactly("a");
    }

    @Test
    void aKeyTakenOutCanBePutBackAtTheSameTime() {
        index.put("a", 10);
        index.takeDue(10);
        index.put("a", 10);
        assertThat(index.keys()).containsExactly("a");
        assertThat(index.isEmpty()).isFalse();
    }

    @Test
    void removeForgetsAKeyAndIgnoresAnUnknownOne() {
        index.put("a", 10);
        index.put("b", 20);
        index.remove("a");
        index.remove("zzz");
        assertThat(index.keys()).containsExactly("b");
        assertThat(index.takeDue(100)).containsExactly("b");
        index.put("a", 5);
        assertThat(index.keys()).as("a removed key comes back when put again").containsExactly("a");
    }

    @Test
    void negativeAndExtremeTimesOrderAsNumbers() {
        index.put("late", Long.MAX_VALUE);
        index.put("early", Long.MIN_VALUE);
        index.put("zero", 0);
        index.put("minus", -1);
        assertThat(index.keys()).containsExactly("early", "minus", "zero", "late");
        assertThat(index.takeDue(-1)).containsExactly("early", "minus");
    }
}
