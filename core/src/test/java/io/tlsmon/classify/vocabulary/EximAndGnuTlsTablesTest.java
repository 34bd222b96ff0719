package io.tlsmon.classify.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.avro.Outcome;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of the Exim and GnuTLS tables, each reached by the text Exim logs for it: as captured
 * (fixtures/exim-captured) where a scenario provokes it, else as the sources write it. A rule that
 * no example here reaches fails {@link #everyRuleHasAnExample}, so none can be deleted unnoticed.
 */
class EximAndGnuTlsTablesTest {

    /** table, logged text, the needle that must take it, the outcome */
    static Stream<Arguments> examples() {
        Vocabulary exim = EximMessages.TABLE;
        Vocabulary gnutls = GnuTlsErrors.TABLE;
        return Stream.of(
                Arguments.of(exim, "(cert/key setup: cert=/c.pem key=/k.pem): The certificate and the given key do not match.",
                        "cert/key setup", Outcome.LOCAL_CERTIFICATE_UNUSABLE),
                Arguments.of(exim, "(certificate verification failed): certificate invalid", "certificate invalid", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(exim, "(certificate verification failed): certificate revoked", "certificate revoked", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(exim, "(certificate verification failed): certificate not supplied", "certificate not supplied", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(exim, "(certificate verification failed): no certificate received from peer", "no certificate received from peer",
                        Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(exim, "(certificate verification not possible, unhandled type): RAWPK", "certificate verification not possible",
                        Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(exim, "(certificate status check failed)", "certificate status check failed", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(exim, "(certificate verification failed): TLSA record problem: none usable", "tlsa record problem", Outcome.POLICY_FAILURE),
                Arguments.of(exim, "DANE attempt failed; TLS connection to mx.example [192.0.2.9]: (SSL_connect): x", "dane attempt failed",
                        Outcome.POLICY_FAILURE),
                Arguments.of(exim, "SSL verify error: certificate name mismatch: DN=\"/CN=x\" H=\"y\"", "certificate name mismatch",
                        Outcome.CERTIFICATE_NAME_MISMATCH),
                Arguments.of(exim, "(certificate verification failed)", "(certificate verification failed)", Outcome.CERTIFICATE_NAME_MISMATCH),
                Arguments.of(exim, "a TLS session is required, but an attempt to start TLS failed", "an attempt to start tls failed",
                        Outcome.STARTTLS_NOT_OFFERED),
                Arguments.of(exim, "SSL_accept: TCP connection closed by peer", "tcp connection closed by peer", Outcome.CONNECTION_DROPPED),
                Arguments.of(exim, "client gave up after STARTTLS", "client gave up after starttls", Outcome.CONNECTION_DROPPED),

                Arguments.of(gnutls, "(gnutls_handshake): A packet with illegal or unsupported version was received.",
                        "a packet with illegal or unsupported version was received", Outcome.PROTOCOL_VERSION_REJECTED),
                Arguments.of(gnutls, "(gnutls_handshake): Error in protocol version", "error in protocol version", Outcome.PROTOCOL_VERSION_REJECTED),
                Arguments.of(gnutls, "(gnutls_handshake): Inappropriate fallback", "inappropriate fallback", Outcome.PROTOCOL_VERSION_REJECTED),
                Arguments.of(gnutls, "(gnutls_handshake): An unexpected TLS packet was received.", "an unexpected tls packet was received",
                        Outcome.WRONG_PORT_OR_PROTOCOL),
                Arguments.of(gnutls, "(gnutls_handshake): A TLS packet with unexpected length was received.",
                        "a tls packet with unexpected length was received", Outcome.WRONG_PORT_OR_PROTOCOL),
                Arguments.of(gnutls, "(gnutls_handshake): A TLS record packet with invalid length was received.",
                        "a tls record packet with invalid length was received", Outcome.WRONG_PORT_OR_PROTOCOL),
                Arguments.of(gnutls, "(gnutls_handshake): No supported cipher suites have been found.",
                        "no supported cipher suites have been found", Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "(gnutls_handshake): Could not negotiate a supported cipher suite.",
                        "could not negotiate a supported cipher suite", Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "(gnutls_handshake): No common key share with peer.", "no common key share with peer", Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "(gnutls_handshake): No supported ECC curves were found", "no supported ecc curves were found",
                        Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "(gnutls_handshake): The curve is unsupported", "the curve is unsupported", Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "(gnutls_handshake): The signature algorithm is not supported.", "the signature algorithm is not supported",
                        Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "(gnutls_handshake): One of the involved algorithms has insufficient security level.",
                        "one of the involved algorithms has insufficient security level", Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "TLS session: (gnutls_handshake): Handshake failed", ": handshake failed", Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "(gnutls_handshake): Insufficient security", "insufficient security", Outcome.NO_SHARED_CIPHER),
                Arguments.of(gnutls, "(recv): A TLS fatal alert has been received: Certificate is expired", "certificate is expired",
                        Outcome.CERTIFICATE_EXPIRED),
                Arguments.of(gnutls, "(gnutls_handshake): The session or certificate has expired.", "the session or certificate has expired",
                        Outcome.CERTIFICATE_EXPIRED),
                Arguments.of(gnutls, "(gnutls_handshake): The certificate is not yet activated.", "the certificate is not yet activated",
                        Outcome.CERTIFICATE_EXPIRED),
                Arguments.of(gnutls, "(gnutls_handshake): The server name sent was not recognized", "the server name sent was not recognized",
                        Outcome.CERTIFICATE_NAME_MISMATCH),
                Arguments.of(gnutls, "(recv): A TLS fatal alert has been received: Certificate is bad", "certificate is bad",
                        Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "(gnutls_handshake): Certificate is not supported", "certificate is not supported", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "(gnutls_handshake): Certificate was revoked", "certificate was revoked", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "(gnutls_handshake): Unknown certificate", "unknown certificate", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "(gnutls_handshake): CA is unknown", "ca is unknown", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "(gnutls_handshake): Certificate is required", "certificate is required", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "(cert-status-req): There is no certificate status (OCSP).", "there is no certificate status (ocsp)",
                        Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "(ocsp decode): The OCSP response is invalid", "the ocsp response is invalid", Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "(gnutls_handshake): Error in the certificate verification.", "error in the certificate verification",
                        Outcome.CERTIFICATE_UNTRUSTED),
                Arguments.of(gnutls, "The certificate and the given key do not match.", "the certificate and the given key do not match",
                        Outcome.LOCAL_CERTIFICATE_UNUSABLE),
                Arguments.of(gnutls, "Error while reading file.", "error while reading file", Outcome.LOCAL_CERTIFICATE_UNUSABLE),
                Arguments.of(gnutls, "The private key is invalid.", "the private key is invalid", Outcome.LOCAL_CERTIFICATE_UNUSABLE),
                Arguments.of(gnutls, "No certificate was found.", "no certificate was found", Outcome.LOCAL_CERTIFICATE_UNUSABLE),
                Arguments.of(gnutls, "(gnutls_handshake): The TLS connection was non-properly terminated.",
                        "the tls connection was non-properly terminated", Outcome.CONNECTION_DROPPED),
                Arguments.of(gnutls, "(gnutls_handshake): Error in the pull function.", "error in the pull function", Outcome.CONNECTION_DROPPED),
                Arguments.of(gnutls, "(send): Error in the push function.", "error in the push function", Outcome.CONNECTION_DROPPED),
                Arguments.of(gnutls, "(recv): Peer has terminated the connection", "peer has terminated the connection", Outcome.CONNECTION_DROPPED));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theTextIsTakenByItsRule(Vocabulary table, String text, String needle, Outcome outcome) {
        TextRule rule = table.match(text.toLowerCase(Locale.ROOT));
        assertThat(rule).as(text).isNotNull();
        assertThat(rule.needle()).isEqualTo(needle);
        assertThat(rule.outcome()).isEqualTo(outcome);
    }

    @Test
    void everyRuleHasAnExample() {
        Set<String> reached = new HashSet<>();
        examples().forEach(a -> reached.add(((Vocabulary) a.get()[0]).name() + "|" + a.get()[2]));
        for (Vocabulary table : List.of(EximMessages.TABLE, GnuTlsErrors.TABLE)) {
            for (TextRule rule : table.rules()) {
                assertThat(reached).as("an example for %s's '%s'", table.name(), rule.needle())
                        .contains(table.name() + "|" + rule.needle());
            }
        }
    }
}
