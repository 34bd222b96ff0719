package io.tlsmon.engine;

import io.tlsmon.alert.AlertConfig;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineSettingsTest {
    private static final AlertConfig ALERTS = AlertConfig.defaults();
    private static final List<Long> WINDOWS = EngineSettings.DEFAULT_WINDOWS_MS;

    private static EngineSettings settings(long idle, long grace, long maxAhead) {
        return new EngineSettings(idle, grace, ZoneOffset.UTC, WINDOWS, ALERTS, maxAhead);
    }

    @Test
    void theDefaultsAreFiveMinutesOfIdleFiveSecondsOfGraceAndADayAhead() {
        EngineSettings d = EngineSettings.defaults();
        assertThat(d.idleGapMs()).isEqualTo(300_000);
        assertThat(d.closeGraceMs()).isEqualTo(5_000);
        assertThat(d.maxAheadMs()).isEqualTo(86_400_000);
        assertThat(d.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(d.windowSizesMs()).containsExactly(300_000L, 3_600_000L, 86_400_000L);
        assertThat(d.windowSizesArray()).containsExactly(300_000L, 3_600_000L, 86_400_000L);
        assertThat(d.alerts()).isEqualTo(ALERTS);
    }

    @Test
    void theIdleGapMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(0, 0, 1)).withMessageContaining("idle gap");
        assertThatIllegalArgumentException().isThrownBy(() -> settings(-1, 0, 1)).withMessageContaining("idle gap");
        assertThat(settings(1, 0, 1).idleGapMs()).isEqualTo(1);
    }

    @Test
    void theCloseGraceMustNotBeNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(1, -1, 1)).withMessageContaining("close grace");
        assertThat(settings(1, 0, 1).closeGraceMs()).isZero();
    }

    @Test
    void maxAheadMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(1, 0, 0)).withMessageContaining("max ahead");
        assertThatIllegalArgumentException().isThrownBy(() -> settings(1, 0, -1)).withMessageContaining("max ahead");
        assertThat(settings(1, 0, 1).maxAheadMs()).isEqualTo(1);
    }

    @Test
    void theAlertFailureWindowMustBeOneOfTheStateWindows() {
        AlertConfig tenMinutes = new AlertConfig(3, 600_000, 2, 1_800_000, 900_000, 100, 86_400_000, Set.of(Outcome.WRONG_PORT_OR_PROTOCOL));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EngineSettings(1, 0, ZoneOffset.UTC, WINDOWS, tenMinutes, 1))
                .withMessageContaining("600000 ms must be one of the state windows");
        assertThat(new EngineSettings(1, 0, ZoneOffset.UTC, List.of(600_000L), tenMinutes, 1).windowSizesMs()).containsExactly(600_000L);
    }

    @Test
    void noZoneMeansUtc() {
        assertThat(new EngineSettings(1, 0, null, WINDOWS, ALERTS, 1).zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(EngineSettings.defaults().withZone(null).zone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void theWindowsAreCopied() {
        List<Long> windows = new ArrayList<>(WINDOWS);
        EngineSettings s = new EngineSettings(1, 0, ZoneOffset.UTC, windows, ALERTS, 1);
        windows.clear();
        assertThat(s.windowSizesMs()).hasSize(3);
        assertThatThrownBy(() -> s.windowSizesMs().add(1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void eachWitherChangesItsOwnSettingOnly() {
        EngineSettings d = EngineSettings.defaults();
        ZoneId paris = ZoneId.of("Europe/Paris");
        AlertConfig capped = new AlertConfig(3, 300_000, 2, 1_800_000, 900_000, 1, 86_400_000, Set.of());
        assertThat(d.withIdleGapMs(7)).isEqualTo(new EngineSettings(7, d.closeGraceMs(), d.zone(), WINDOWS, ALERTS, d.maxAheadMs()));
        assertThat(d.withCloseGraceMs(7)).isEqualTo(new EngineSettings(d.idleGapMs(), 7, d.zone(), WINDOWS, ALERTS, d.maxAheadMs()));
        assertThat(d.withZone(paris)).isEqualTo(new EngineSettings(d.idleGapMs(), d.closeGraceMs(), paris, WINDOWS, ALERTS, d.maxAheadMs()));
        assertThat(d.withAlerts(capped)).isEqualTo(new EngineSettings(d.idleGapMs(), d.closeGraceMs(), d.zone(), WINDOWS, capped, d.maxAheadMs()));
    }

    @Test
    void theWithersAreValidatedToo() {
        assertThatIllegalArgumentException().isThrownBy(() -> EngineSettings.defaults().withIdleGapMs(0));
        assertThatIllegalArgumentException().isThrownBy(() -> EngineSettings.defaults().withCloseGraceMs(-1));
    }
}
