package io.tlsmon.classify.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.avro.Outcome;
import io.tlsmon.classify.FailureEvidence;
import io.tlsmon.logs.SourceKind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of the Sendmail table, on the text Sendmail 8.17.1.9 really writes (fixtures/sendmail-captured). */
class SendmailMessagesTest {

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("accept failed=1, reason=unknown, SSL_error=2, errno=0, retry=0", Outcome.HANDSHAKE_TIMEOUT, FailureEvidence.TIMEOUT),
                Arguments.of("connect failed=-1, reason=unknown, SSL_error=2, errno=11, retry=0", Outcome.HANDSHAKE_TIMEOUT, FailureEvidence.TIMEOUT),
                Arguments.of("accept failed=-1, reason=unknown, SSL_error=5, errno=0, retry=-1", Outcome.CONNECTION_DROPPED, FailureEvidence.DROP),
                // Sendmail 8.14's wording (from its source, not captured): timedout=0 says it did not time out
                Arguments.of("accept failed=0, SSL_error=5, timedout=0, errno=104", Outcome.CONNECTION_DROPPED, FailureEvidence.DROP),
                Arguments.of("accept failed=0, SSL_error=2, timedout=1, errno=0", Outcome.HANDSHAKE_TIMEOUT, FailureEvidence.TIMEOUT),
                Arguments.of("accept failed=0, reason=unknown, SSL_error=6, errno=0, retry=-1", Outcome.CONNECTION_DROPPED, FailureEvidence.DROP),
                Arguments.of("accept failed=-1, reason=unknown, SSL_error=1, errno=0, retry=-1", Outcome.CONNECTION_DROPPED, FailureEvidence.DROP),
                Arguments.of("454 4.7.0 TLS handshake failed.", Outcome.CONNECTION_DROPPED, FailureEvidence.DROP),
                Arguments.of("454 4.7.0 STARTTLS failed.", Outcome.CONNECTION_DROPPED, FailureEvidence.DROP),
                Arguments.of("454 4.7.0 DANE check failed.", Outcome.POLICY_FAILURE, FailureEvidence.NAMED),
                Arguments.of("454 4.7.0 authentication failed", Outcome.CERTIFICATE_UNTRUSTED, FailureEvidence.NAMED),
                Arguments.of("454 4.7.0 not authenticated", Outcome.CERTIFICATE_UNTRUSTED, FailureEvidence.NAMED),
                Arguments.of("454 4.7.0 authentication required", Outcome.CERTIFICATE_UNTRUSTED, FailureEvidence.NAMED),
                Arguments.of("454 4.7.0 CN mx.tlsmon.test does not match other.tlsmon.test", Outcome.CERTIFICATE_NAME_MISMATCH, FailureEvidence.NAMED),
                Arguments.of("file /etc/mail/tls/sendmail.key unsafe: Group readable file", Outcome.LOCAL_CERTIFICATE_UNUSABLE, FailureEvidence.NAMED),
                Arguments.of("SSL_CTX_use_PrivateKey_file(/etc/mail/tls/key.pem) failed", Outcome.LOCAL_CERTIFICATE_UNUSABLE, FailureEvidence.NAMED),
                Arguments.of("SSL_CTX_check_private_key failed(/etc/mail/tls/key.pem): 0", Outcome.LOCAL_CERTIFICATE_UNUSABLE, FailureEvidence.NAMED),
                Arguments.of("load verify locs /etc/mail/certs, /etc/mail/certs/ca.pem failed: 0", Outcome.LOCAL_CERTIFICATE_UNUSABLE, FailureEvidence.NAMED),
                // OpenSSL's reason, when Sendmail names one, decides over Sendmail's generic fields
                Arguments.of("accept failed=-1, reason=no shared cipher, SSL_error=1, errno=0, retry=-1", Outcome.NO_SHARED_CIPHER, FailureEvidence.NAMED),
                Arguments.of("connect failed=-1, reason=tlsv1 alert protocol version, SSL_error=1, errno=0, retry=-1", Outcome.PROTOCOL_VERSION_REJECTED, FailureEvidence.NAMED),
                Arguments.of("accept failed=-1, reason=http request, SSL_error=1, errno=0, retry=-1", Outcome.WRONG_PORT_OR_PROTOCOL, FailureEvidence.NAMED),
                Arguments.of("connect failed=-1, reason=unexpected eof while reading, SSL_error=1, errno=32, retry=-1", Outcome.CONNECTION_DROPPED, FailureEvidence.DROP),
                Arguments.of("certificate has expired", Outcome.CERTIFICATE_EXPIRED, FailureEvidence.NAMED),
                Arguments.of("self-signed certificate in certificate chain", Outcome.CERTIFICATE_UNTRUSTED, FailureEvidence.NAMED));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void mapsSendmailTextToItsOutcome(String text, Outcome outcome, int rank) {
        FailureEvidence evidence = FailureEvidence.of(SourceKind.SENDMAIL, text);
        assertThat(evidence.outcome()).isEqualTo(outcome);
        assertThat(evidence.rank()).isEqualTo(rank);
    }
}
