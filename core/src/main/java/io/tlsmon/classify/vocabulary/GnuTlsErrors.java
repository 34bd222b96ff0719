package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import static io.tlsmon.classify.vocabulary.Specificity.DROP;

/**
 * GnuTLS's words, as Exim on GnuTLS (Debian's build) logs them after {@code (gnutls_handshake):},
 * {@code (recv):} or {@code TLS session: (...)}: the {@code gnutls_strerror} texts (lib/errors.c)
 * and, for a fatal alert the peer sent, the alert's name (lib/alert.c, {@code gnutls_alert_get_name};
 * Exim's tls_error_gnu puts the name where the error text would be, and record_io_error writes
 * {@code A TLS fatal alert has been received: <name>}). Texts checked with {@code strings} on
 * Debian bookworm's libgnutls.so.30 (3.7.9) and in the captured Exim runs.
 */
public final class GnuTlsErrors {
    public static final Vocabulary TABLE = Vocabulary.of("GnuTLS",
                    "GnuTLS 3.7.9 (and master): lib/errors.c gnutls_strerror texts, lib/alert.c alert names "
                            + "(RFC 8446 §6 numbers in the comments); checked against libgnutls.so.30 3.7.9 and "
                            + "fixtures/exim-captured")
            // the version: GNUTLS_E_UNSUPPORTED_VERSION_PACKET, alerts 70 protocol_version and 86 inappropriate_fallback
            .named(Outcome.PROTOCOL_VERSION_REJECTED,
                    "a packet with illegal or unsupported version was received", "error in protocol version",
                    "inappropriate fallback")
            // not TLS where a record was expected: GNUTLS_E_UNEXPECTED_PACKET (plaintext SMTP or HTTP
            // reads as a record of an unknown type; captured), GNUTLS_E_UNEXPECTED_PACKET_LENGTH in its
            // 3.6+ wording and in its wording before 3.6 (lib/errors.c until 2017)
            .named(Outcome.WRONG_PORT_OR_PROTOCOL,
                    "an unexpected tls packet was received", "a tls record packet with invalid length was received",
                    "a tls packet with unexpected length was received")
            // nothing in common: GNUTLS_E_NO_CIPHER_SUITES, GNUTLS_E_UNKNOWN_CIPHER_SUITE, key shares and
            // curves, signature algorithms; alerts 40 handshake_failure and 71 insufficient_security
            .named(Outcome.NO_SHARED_CIPHER,
                    "no supported cipher suites have been found", "could not negotiate a supported cipher suite",
                    "no common key share with peer", "no supported ecc curves were found", "the curve is unsupported",
                    "the signature algorithm is not supported", "one of the involved algorithms has insufficient security level",
                    // the alert's name stands after "): " or "received: ", never bare ("TLS handshake failed for" is Sendmail's)
                    ": handshake failed", "insufficient security")
            // the validity window: alert 45 certificate_expired, GNUTLS_E_EXPIRED, GNUTLS_E_NOT_YET_ACTIVATED
            .named(Outcome.CERTIFICATE_EXPIRED,
                    "certificate is expired", "the session or certificate has expired", "the certificate is not yet activated")
            // alert 112 unrecognized_name: the server has no certificate for the name asked
            .named(Outcome.CERTIFICATE_NAME_MISMATCH, "the server name sent was not recognized")
            // the chain: alerts 42 bad_certificate, 43 unsupported_certificate, 44 certificate_revoked,
            // 46 certificate_unknown, 48 unknown_ca, 116 certificate_required; OCSP status
            .named(Outcome.CERTIFICATE_UNTRUSTED,
                    "certificate is bad", "certificate is not supported", "certificate was revoked", "unknown certificate",
                    "ca is unknown", "certificate is required", "there is no certificate status (ocsp)",
                    "the ocsp response is invalid", "error in the certificate verification")
            // our own certificate or key (gnutls_certificate_set_x509_key_file and friends)
            .named(Outcome.LOCAL_CERTIFICATE_UNUSABLE,
                    "the certificate and the given key do not match", "error while reading file",
                    "the private key is invalid", "no certificate was found")
            // the socket went away: GNUTLS_E_PREMATURE_TERMINATION, GNUTLS_E_PULL_ERROR, GNUTLS_E_PUSH_ERROR,
            // GNUTLS_E_SESSION_EOF
            .add(Outcome.CONNECTION_DROPPED, DROP,
                    "the tls connection was non-properly terminated", "error in the pull function",
                    "error in the push function", "peer has terminated the connection")
            .build();

    private GnuTlsErrors() {
    }
}
