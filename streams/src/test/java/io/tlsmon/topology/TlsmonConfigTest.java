package io.tlsmon.topology;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TlsmonConfigTest {

    @Test
    void tasksDoNotIdleWaitingForTheOtherInputByDefault() {
        var props = new TlsmonConfig(Map.of()).streamsProperties();
        assertThat(props.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(-1L);
    }

    @Test
    void aMaxTaskIdleGivenByTheUserWins() {
        var props = new TlsmonConfig(Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "250")).streamsProperties();
        assertThat(props.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo("250");
    }
}
