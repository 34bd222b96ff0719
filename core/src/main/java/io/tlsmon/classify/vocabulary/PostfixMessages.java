package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import static io.tlsmon.classify.vocabulary.Specificity.DROP;
import static io.tlsmon.classify.vocabulary.Specificity.TIMEOUT;
import static io.tlsmon.classify.vocabulary.Specificity.UNKNOWN;

/**
 * Postfix's own words for TLS trouble, from smtpd, smtp and tlsproxy, ahead of the OpenSSL reason
 * their lines carry: policy (DANE, TLSA, MTA-STS through a policy server), the certificate levels
 * of {@code Untrusted/Verified TLS connection established} and {@code Server certificate not ...},
 * the key and certificate loading warnings of {@code tls_misc.c}/{@code tls_certkey.c}, and the
 * drops and timeouts of {@code smtpd.c}.
 */
public final class PostfixMessages {
    public static final Vocabulary TABLE = Vocabulary.of("Postfix",
                    "Postfix 3.7.11 source: src/tls/tls_certkey.c, tls_misc.c, tls_dane.c, tls_verify.c, tls_client.c, "
                            + "tls_server.c; src/smtp/smtp_proto.c, smtp_connect.c; src/smtpd/smtpd.c, smtpd_check.c; "
                            + "checked against the captured Postfix 3.7.11 runs (fixtures/postfix-captured)")
            // DANE and TLSA, TLS policy maps, and MTA-STS as postfix-mta-sts-resolver and policy servers word it
            .named(Outcome.POLICY_FAILURE,
                    "tlsa", "dane", "tls policy lookup error", "mta-sts", "sts policy", "policy failure")
            .named(Outcome.CERTIFICATE_NAME_MISMATCH, "nocertmatch", "name mismatch")
            .named(Outcome.CERTIFICATE_EXPIRED, "certificate not yet valid")
            // "not trusted" is a chain that does not verify; "not verified" is said for an untrusted chain and
            // for a wrong name alike: the "certificate verification failed ...: <reason>" line, when logged,
            // names which, and outranks this one
            .named(Outcome.CERTIFICATE_UNTRUSTED,
                    "certificate not trusted", "untrusted issuer", "certificate chain longer than limit",
                    "not designated for use as a")
            .add(Outcome.CERTIFICATE_NAME_MISMATCH, UNKNOWN, "server certificate not verified")
            // our own key or certificate: smtpd and smtp disable TLS and say so in warnings around the
            // session; the remote smtpd's "454 4.7.0 TLS not available due to local problem" is the same
            // trouble seen from the client
            .named(Outcome.LOCAL_CERTIFICATE_UNUSABLE,
                    "cannot get rsa certificate", "cannot get ecdsa certificate", "cannot get dsa certificate",
                    "cannot get rsa private key", "cannot get ecdsa private key", "cannot get dsa private key",
                    "does not match public key", "no private key found in", "no certs for key at index",
                    "does not match the certificate", "does not match next certificate", "not followed by a certificate",
                    "error loading certificate", "error loading private key", "error loading chain",
                    "cannot load certification authority data", "no server certs available",
                    "tls not available due to local problem", "our tls engine is unavailable",
                    "tls client initialization failed", "client tls configuration problem",
                    "disabling tls support", "cannot load certificate", "cannot load rsa certificate")
            // a handshake cut short: smtpd's "lost connection after STARTTLS", tlsproxy's "TLS handshake failed",
            // and our parser's summary of "starttls=0/1" in the disconnect counts (a STARTTLS that was
            // accepted and never finished)
            .add(Outcome.HANDSHAKE_TIMEOUT, TIMEOUT, "timeout after starttls")
            .add(Outcome.CONNECTION_DROPPED, DROP, "lost connection", "tls handshake failed", "starttls=0/")
            .build();

    private PostfixMessages() {
    }
}
