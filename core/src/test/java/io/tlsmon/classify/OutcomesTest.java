package io.tlsmon.classify;

import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomesTest {

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void onlyOkAndDeprecatedProtocolNegotiated(Outcome outcome) {
        boolean negotiated = outcome == Outcome.OK || outcome == Outcome.DEPRECATED_PROTOCOL;
        assertThat(Outcomes.isFailure(outcome)).isEqualTo(!negotiated);
    }

    /** The taxonomy's TLS-RPT column. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", value = {
            "OK, null",
            "DEPRECATED_PROTOCOL, null",
            "PROTOCOL_VERSION_REJECTED, validation-failure",
            "NO_SHARED_CIPHER, validation-failure",
            "CERTIFICATE_UNTRUSTED, certificate-not-trusted",
            "CERTIFICATE_EXPIRED, certificate-expired",
            "CERTIFICATE_NAME_MISMATCH, certificate-host-mismatch",
            "LOCAL_CERTIFICATE_UNUSABLE, validation-failure",
            "STARTTLS_REQUIRED, starttls-not-supported",
            "STARTTLS_NOT_OFFERED, starttls-not-supported",
            "CONNECTION_DROPPED, validation-failure",
            "HANDSHAKE_TIMEOUT, validation-failure",
            "WRONG_PORT_OR_PROTOCOL, validation-failure",
            "OTHER_TLS_ERROR, validation-failure"})
    void eachOutcomeHasItsTlsRptResultType(Outcome outcome, String expected) {
        assertThat(Outcomes.tlsrptResultType(outcome, "some error")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "DNSSEC validation failed for _25._tcp.mx.example.com | dnssec-invalid",
            "TLSA lookup error for mx.example.com:25 | tlsa-invalid",
            "tls=dane: no usable TLSA records | tlsa-invalid",
            "DANE required, no TLSA records | tlsa-invalid",
            "dane-only policy and no secure MX | dane-required",
            "MTA-STS policy fetch failed | sts-policy-fetch-error",
            "MTA-STS WebPKI validation failed | sts-webpki-invalid",
            "MTA-STS: certificate of policy host not valid | sts-webpki-invalid",
            "MTA-STS policy has no mx match | sts-policy-invalid",
            "null | sts-policy-invalid"})
    void aPolicyFailureTakesTheResultTypeItsErrorNames(String error, String expected) {
        assertThat(Outcomes.tlsrptResultType(Outcome.POLICY_FAILURE, error)).isEqualTo(expected);
    }

    @Test
    void policyWordsAreMatchedWhateverTheirCase() {
        assertThat(Outcomes.tlsrptResultType(Outcome.POLICY_FAILURE, "DnsSec bogus")).isEqualTo("dnssec-invalid");
        assertThat(Outcomes.tlsrptResultType(Outcome.POLICY_FAILURE, "WEBPKI")).isEqualTo("sts-webpki-invalid");
    }
}
