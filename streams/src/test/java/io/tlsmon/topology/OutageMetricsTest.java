package io.tlsmon.topology;

import io.tlsmon.ingest.health.Outage;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class OutageMetricsTest {
    @Test
    void anOutageLastsFromTheFirstFailureToTheNextAnswerAndTheCommitAgeGrows() {
        AtomicLong now = new AtomicLong(1_000);
        OutageMetrics m = new OutageMetrics(now::get);
        assertThat(m.lastCommitAgeMs()).isEqualTo(-1);
        m.committed();
        now.addAndGet(500);
        m.brokerDown("Kafka cluster 127.0.0.1:9092 unreachable");
        now.addAndGet(2_000);
        m.brokerDown("still");
        assertThat(m.broker()).isEqualTo(new Outage(true, 1, 2, 2_000, 1_500, "still"));
        assertThat(m.lastCommitAgeMs()).isEqualTo(2_500);
        now.addAndGet(1_000);
        assertThat(m.brokerUp()).isTrue();
        assertThat(m.brokerUp()).isFalse();
        assertThat(m.broker()).isEqualTo(new Outage(false, 1, 2, 3_000, -1, null));
        assertThat(m.registry()).isEqualTo(Outage.NONE);
        assertThat(m.toString()).contains("broker=up (1 outages, 2 failures, 3000 ms)").contains("last-commit-age-ms=3500");
    }
}
