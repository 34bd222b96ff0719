package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import static io.tlsmon.classify.vocabulary.Specificity.DROP;

/**
 * OpenSSL's words for a failed handshake, as Postfix, Sendmail and Exim-on-OpenSSL copy them into
 * their logs: the reason strings of the SSL and X509 libraries ({@code error:0A000102:SSL
 * routines::unsupported protocol}, 1.1 and 3.x spellings), the TLS alert descriptions
 * ({@code tlsv1 alert protocol version}, {@code SSL alert number 70}) and the X509 verify results
 * ({@code certificate has expired}).
 */
public final class OpenSslReasons {
    public static final Vocabulary TABLE = Vocabulary.of("OpenSSL",
                    "OpenSSL 3.0 and 1.1.1: crypto/err/openssl.txt (SSL_R_*, X509_R_* reason strings), "
                            + "ssl/ssl_stat.c SSL_alert_desc_string_long (RFC 8446 §6 alert descriptions and numbers), "
                            + "crypto/x509/x509_txt.c X509_verify_cert_error_string; checked against OpenSSL 3.0.22 "
                            + "output of the captured Postfix runs")
            // protocol version: a side refused the version (alert 70 protocol_version, 86 inappropriate_fallback)
            .named(Outcome.PROTOCOL_VERSION_REJECTED,
                    "unsupported protocol", "unsupported_protocol", "version too low", "version too high",
                    "alert protocol version", "ssl alert number 70", "wrong ssl version", "no protocols available",
                    "protocol version not supported", "inappropriate fallback", "ssl alert number 86",
                    "bad protocol version number")
            // something that is not TLS where a handshake was expected
            .named(Outcome.WRONG_PORT_OR_PROTOCOL,
                    "wrong version number", "unknown protocol", "https proxy request", "http request",
                    "packet length too long", "record length mismatch")
            // no common suite, group or signature algorithm (alert 40 handshake_failure, 71 insufficient_security)
            .named(Outcome.NO_SHARED_CIPHER,
                    "no shared cipher", "no ciphers available", "no cipher match", "no suitable signature algorithm",
                    "no shared signature algorithms", "no shared groups", "no suitable key share",
                    "legacy sigalg disallowed or unsupported", "dh key too small",
                    "alert handshake failure", "ssl alert number 40", "insufficient security", "ssl alert number 71")
            // the peer's certificate: validity window (alert 45 certificate_expired)
            .named(Outcome.CERTIFICATE_EXPIRED,
                    "certificate has expired", "certificate expired", "cert_has_expired", "ssl alert number 45",
                    "certificate is not yet valid")
            // the peer's certificate: name (alert 112 unrecognized_name: the server has no certificate for the SNI name)
            .named(Outcome.CERTIFICATE_NAME_MISMATCH,
                    "hostname mismatch", "ip address mismatch", "unrecognized name", "ssl alert number 112")
            // the peer's certificate: chain and trust (alerts 42 bad_certificate, 43 unsupported, 44 revoked,
            // 46 unknown, 48 unknown_ca, 116 certificate_required)
            .named(Outcome.CERTIFICATE_UNTRUSTED,
                    "unknown ca", "ssl alert number 48", "unable to get local issuer", "unable to get issuer certificate",
                    "unable to verify the first certificate", "self signed certificate", "self-signed certificate",
                    "certificate chain too long", "invalid ca certificate", "certificate signature failure",
                    "certificate revoked", "ssl alert number 44", "unsupported certificate", "ssl alert number 43",
                    "certificate verify failed", "bad certificate", "ssl alert number 42", "certificate unknown",
                    "ssl alert number 46", "certificate required", "ssl alert number 116",
                    "peer did not return a certificate", "ca md too weak")
            // our own certificate or key will not load (SSL_CTX_use_* and check_private_key)
            .named(Outcome.LOCAL_CERTIFICATE_UNUSABLE,
                    "key values mismatch", "ee key too small", "no certificate assigned", "no private key assigned",
                    "bad end line", "no start line")
            // OpenSSL 3's own name for the peer closing the socket mid-handshake
            .add(Outcome.CONNECTION_DROPPED, DROP, "unexpected eof", "shutdown while in init", "syscall failure")
            .build();

    private OpenSslReasons() {
    }
}
