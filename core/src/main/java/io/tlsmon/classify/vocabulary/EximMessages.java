package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import static io.tlsmon.classify.vocabulary.Specificity.DROP;

/**
 * Exim's own words for TLS trouble, ahead of the library text its {@code TLS error on connection ...}
 * and {@code TLS session: ...} lines carry. Read in the sources of Exim 4.96 (Debian bookworm's,
 * the one captured in fixtures/exim-captured) and 4.99: smtp_in.c, transports/smtp.c, tls-gnu.c,
 * tls-openssl.c; the wording of every rule here is the same in 4.96, 4.97, 4.98 and 4.99.
 *
 * <p>Exim on GnuTLS does not say why a peer's certificate failed verification (tls-gnu.c
 * verify_certificate): an expired, self-signed or unknown-CA chain all read {@code (certificate
 * verification failed): certificate invalid}, and a certificate that verified but names another host
 * leaves the text empty, {@code (certificate verification failed)} alone. So the general text is
 * untrusted, and the bare one, tried after every text that can follow it, is the name. Exim on
 * OpenSSL names the X509 reason in a line of its own ({@code SSL verify error: depth=0
 * error=certificate has expired}), which the OpenSSL table reads.
 */
public final class EximMessages {
    public static final Vocabulary TABLE = Vocabulary.of("Exim",
                    "Exim 4.96 and 4.99 source: src/src/smtp_in.c, transports/smtp.c, tls-gnu.c, tls-openssl.c; "
                            + "checked against Exim 4.96 with GnuTLS 3.7.9 (Debian bookworm) in fixtures/exim-captured")
            // tls-gnu.c and tls-openssl.c: our own certificate or key would not load
            .named(Outcome.LOCAL_CERTIFICATE_UNUSABLE, "cert/key setup")
            // tls-gnu.c verify_certificate / peer_status: the chain failed, or there was none to check
            .named(Outcome.CERTIFICATE_UNTRUSTED,
                    "certificate invalid", "certificate revoked", "certificate not supplied",
                    "no certificate received from peer", "certificate verification not possible",
                    // hosts_require_ocsp: no stapled OCSP response, or one that does not vouch for the certificate
                    "certificate status check failed")
            // DANE: the TLSA records did not match (tls-gnu.c; "DANE attempt failed" in transports/smtp.c)
            .named(Outcome.POLICY_FAILURE, "tlsa record problem", "dane attempt failed")
            // tls-openssl.c verify_callback: the name check after a good chain
            .named(Outcome.CERTIFICATE_NAME_MISMATCH, "certificate name mismatch",
                    // tls-gnu.c: a chain that verified but not for the host's name (see the class comment)
                    "(certificate verification failed)")
            // transports/smtp.c, hosts_require_tls: the peer offered STARTTLS and refused it (4xx/5xx to
            // STARTTLS, e.g. its own "454 TLS currently unavailable"); to the sender TLS is as absent as
            // never offered (RFC 8460 starttls-not-supported)
            .named(Outcome.STARTTLS_NOT_OFFERED, "an attempt to start tls failed")
            // tls-openssl.c: SSL_accept / SSL_read_early_data saw the socket close
            .add(Outcome.CONNECTION_DROPPED, DROP, "tcp connection closed by peer",
                    // our parser's summary of "no MAIL in SMTP connection ... C=EHLO,STARTTLS"
                    "client gave up after starttls")
            .build();

    private EximMessages() {
    }
}
