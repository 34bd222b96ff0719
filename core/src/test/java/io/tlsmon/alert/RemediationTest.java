package io.tlsmon.alert;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.tlsmon.alert.Remediation.POSTFIX_TLS12;
import static io.tlsmon.alert.Remediation.WINDOWS_TLS12;
import static io.tlsmon.alert.Remediation.forOutcome;
import static org.assertj.core.api.Assertions.assertThat;

class RemediationTest {

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void everyOutcomeHasAText(Outcome outcome) {
        assertThat(forOutcome(outcome, null, "postfix-smtpd", Direction.inbound)).isNotBlank();
        assertThat(forOutcome(outcome, null, "exchange-send", Direction.outbound)).isNotBlank();
    }

    @Test
    void ourOwnVersionProblemGetsTheFixOfOurPlatform() {
        assertThat(forOutcome(Outcome.PROTOCOL_VERSION_REJECTED, null, "exchange-send", Direction.outbound))
                .endsWith(WINDOWS_TLS12).doesNotContain(POSTFIX_TLS12).doesNotContain("Ask the sender's admin");
        assertThat(forOutcome(Outcome.PROTOCOL_VERSION_REJECTED, null, "postfix-smtp", Direction.outbound))
                .endsWith(POSTFIX_TLS12).doesNotContain(WINDOWS_TLS12);
        assertThat(forOutcome(Outcome.PROTOCOL_VERSION_REJECTED, null, null, Direction.outbound)).endsWith(POSTFIX_TLS12);
    }

    @Test
    void aRemoteSendersVersionProblemIsForItsAdminOnEitherPlatform() {
        assertThat(forOutcome(Outcome.DEPRECATED_PROTOCOL, null, "exchange-receive", Direction.inbound))
                .startsWith("This sender still negotiates TLS 1.0/1.1/SSL 3.0")
                .contains("Ask the sender's admin to enable TLS 1.2 or later", WINDOWS_TLS12, POSTFIX_TLS12);
    }

    @Test
    void aDropWithAProbableCauseIsRemediedAsThatCause() {
        assertThat(forOutcome(Outcome.CONNECTION_DROPPED, Outcome.PROTOCOL_VERSION_REJECTED, "exchange-send", Direction.outbound))
                .isEqualTo(forOutcome(Outcome.PROTOCOL_VERSION_REJECTED, null, "exchange-send", Direction.outbound));
        assertThat(forOutcome(Outcome.CONNECTION_DROPPED, null, "exchange-send", Direction.outbound))
                .startsWith("The connection was dropped during the handshake");
        // only a drop takes its probable cause's text
        assertThat(forOutcome(Outcome.HANDSHAKE_TIMEOUT, Outcome.PROTOCOL_VERSION_REJECTED, "exchange-send", Direction.outbound))
                .startsWith("The handshake timed out");
    }

    @Test
    void platformSpecificAdviceFollowsTheLogsPlatform() {
        assertThat(forOutcome(Outcome.NO_SHARED_CIPHER, null, "exchange-send", Direction.outbound))
                .contains("Get-TlsCipherSuite").doesNotContain("smtp(d)_tls_ciphers").doesNotContain("ask its admin");
        assertThat(forOutcome(Outcome.NO_SHARED_CIPHER, null, "postfix-smtpd", Direction.inbound))
                .contains("smtp(d)_tls_ciphers").contains("ask its admin to update it").doesNotContain("Get-TlsCipherSuite");
        assertThat(forOutcome(Outcome.CERTIFICATE_EXPIRED, null, "exchange-receive", Direction.inbound)).contains("Enable-ExchangeCertificate");
        assertThat(forOutcome(Outcome.CERTIFICATE_EXPIRED, null, "postfix-smtpd", Direction.inbound)).contains("smtpd_tls_chain_files");
        assertThat(forOutcome(Outcome.CERTIFICATE_NAME_MISMATCH, null, "exchange-send", Direction.outbound)).contains("TlsCertificateName");
        assertThat(forOutcome(Outcome.CERTIFICATE_NAME_MISMATCH, null, "postfix-smtp", Direction.outbound)).contains("smtp_tls_verify_cert_match");
        assertThat(forOutcome(Outcome.LOCAL_CERTIFICATE_UNUSABLE, null, "exchange-receive", Direction.inbound)).contains("Enable-ExchangeCertificate");
        assertThat(forOutcome(Outcome.LOCAL_CERTIFICATE_UNUSABLE, null, "sendmail", Direction.inbound)).contains("smtpd_tls_chain_files");
    }
}
