package io.tlsmon.ingest.tail;

import io.tlsmon.ingest.health.Outage;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** How an outage shows in the shipper's metrics: from the first failure to the next success, with its reason. */
class ShipperMetricsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final ShipperMetrics metrics = new ShipperMetrics(now::get);

    @Test
    void noOutageBeforeAnyFailure() {
        assertThat(metrics.brokerOutage()).isEqualTo(new Outage(false, 0, 0, 0, -1, null));
        assertThat(metrics.registryOutage().active()).isFalse();
    }

    @Test
    void failuresInARowAreOneOutageThatLastsUntilTheNextSuccess() {
        metrics.brokerDown("bootstrap.servers 127.0.0.1:9: timeout");
        now.set(3_000);
        metrics.brokerDown("bootstrap.servers 127.0.0.1:9: still nothing");
        now.set(4_000);

        Outage during = metrics.brokerOutage();
        assertThat(during.active()).isTrue();
        assertThat(during.count()).isEqualTo(1);
        assertThat(during.failures()).isEqualTo(2);
        assertThat(during.sinceMs()).isEqualTo(1_000);
        assertThat(during.totalMs()).isEqualTo(3_000);
        assertThat(during.reason()).isEqualTo("bootstrap.servers 127.0.0.1:9: still nothing");

        now.set(61_000);
        metrics.brokerUp();
        now.set(90_000);
        Outage after = metrics.brokerOutage();
        assertThat(after.active()).isFalse();
        assertThat(after.totalMs()).as("the time between the first failure and the success").isEqualTo(60_000);
        assertThat(after.sinceMs()).isEqualTo(-1);
        assertThat(after.reason()).isNull();
    }

    @Test
    void aFailureAfterASuccessStartsASecondOutageAndTheTotalAddsUp() {
        metrics.registryDown("http://127.0.0.1:8081 unreachable");
        now.set(2_000);
        metrics.registryUp();
        now.set(10_000);
        metrics.registryDown("http://127.0.0.1:8081 unreachable");
        now.set(10_500);

        Outage r = metrics.registryOutage();
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.totalMs()).isEqualTo(1_500);
        assertThat(r.sinceMs()).isEqualTo(10_000);
    }

    @Test
    void aSuccessWithoutAnOutageChangesNothingAndTheTwoDependenciesAreApart() {
        metrics.brokerUp();
        metrics.registryDown("registry down");

        assertThat(metrics.brokerOutage().count()).isZero();
        assertThat(metrics.registryOutage().count()).isEqualTo(1);
        assertThat(metrics.toString()).contains("broker=up").contains("registry=down since 1000");
    }
}
