package io.tlsmon.alert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class AlertRuleTest {

    @Test
    void theLabelsAreTheWireContract() {
        assertThat(AlertRule.values()).extracting(AlertRule::label).containsExactly(
                "failure-threshold", "success-to-failure", "deprecated-protocol", "exo-probable-version-rejected");
    }

    @ParameterizedTest
    @EnumSource(AlertRule.class)
    void eachRuleIsFoundByItsLabelAndHasADoc(AlertRule rule) {
        assertThat(AlertRule.fromLabel(rule.label())).contains(rule);
        assertThat(rule.toString()).isEqualTo(rule.label());
        assertThat(rule.doc()).isNotBlank();
    }

    @Test
    void aLabelThatNamesNoRuleIsEmpty() {
        assertThat(AlertRule.fromLabel(null)).isEmpty();
        assertThat(AlertRule.fromLabel("FAILURE_THRESHOLD")).isEmpty();
        assertThat(AlertRule.fromLabel("Failure-Threshold")).isEmpty();
        assertThat(AlertRule.fromLabel("")).isEmpty();
    }

    @Test
    void storeKeysKeepTheirFormat() {
        assertThat(AlertStore.key("198.51.100.7", AlertRule.DEPRECATED_PROTOCOL, io.tlsmon.avro.Outcome.DEPRECATED_PROTOCOL))
                .isEqualTo("198.51.100.7|deprecated-protocol|DEPRECATED_PROTOCOL");
        assertThat(AlertStore.rateKey(AlertRule.FAILURE_THRESHOLD, 3_600_000L)).isEqualTo("failure-threshold@3600000");
    }
}
