package io.tlsmon.http;

import io.tlsmon.topology.StoreNames;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.TlsmonTopology;
import io.tlsmon.topology.Topics;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStateViewTest {
    /** Which topics' partitions are a store's tasks: what a scan reads from a standby when an instance is down. */
    @Test
    void eachStoreIsFedByTheSourcesOfItsOwnSubtopology() {
        TlsmonConfig config = new TlsmonConfig(Map.of());
        StreamsBuilder builder = new StreamsBuilder();
        Topics topics = TlsmonTopology.build(builder, config);
        Map<String, Set<String>> sources = ClusterStateView.sourcesOfStore(builder.build().describe(), "tlsmon");
        assertThat(sources.get(StoreNames.SENDER_STATES)).contains("tlsmon-" + StoreNames.ATTEMPTS_BY_SENDER + "-repartition")
                .doesNotContain(topics.rawLines().name());
        assertThat(sources.get(StoreNames.OUTCOME_HISTORY)).isEqualTo(sources.get(StoreNames.SENDER_STATES));
        assertThat(sources.get(StoreNames.SESSIONS)).contains(topics.rawLines().name())
                .doesNotContain("tlsmon-" + StoreNames.ATTEMPTS_BY_SENDER + "-repartition");
        assertThat(sources.get(StoreNames.LOG_LINES)).isEqualTo(sources.get(StoreNames.SESSIONS));
    }
}
