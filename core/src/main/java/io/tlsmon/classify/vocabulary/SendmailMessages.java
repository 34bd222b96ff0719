package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import static io.tlsmon.classify.vocabulary.Specificity.DROP;
import static io.tlsmon.classify.vocabulary.Specificity.TIMEOUT;

/**
 * Sendmail's own words for TLS trouble, ahead of the OpenSSL text they carry. The error of a
 * failed handshake is Sendmail's whole {@code accept failed=-1, reason=R, SSL_error=n, errno=n,
 * retry=n} (srvrsmtp.c; {@code connect failed=} in deliver.c): when OpenSSL named a reason R, its
 * table decides; when it did not ({@code reason=unknown}), these fields still say what happened.
 * <ul>
 *   <li>{@code retry=0}: {@code tls_retry} (sfsasl.c) returns 0 only when {@code Timeout.starttls}
 *       ran out, so the handshake timed out; Sendmail 8.14 wrote {@code timedout=1} for the same
 *       (and {@code timedout=0} when it did not);</li>
 *   <li>{@code SSL_error=5} ({@code SSL_ERROR_SYSCALL}, with errno 104 on a reset or 32 on a closed
 *       pipe) and {@code SSL_error=6} ({@code SSL_ERROR_ZERO_RETURN}): the peer went away; and a
 *       {@code reason=unknown} with neither leaves nothing but a drop;</li>
 *   <li>the set-up errors of tls.c ({@code inittls}, {@code load_certkey}) and safefile()'s
 *       {@code file ... unsafe: Group readable file}: our own certificate, key or CA file is unusable;</li>
 *   <li>the {@code reject=} texts of the {@code TLS_connection} ruleset (cf/m4/proto.m4), logged
 *       as {@code ruleset=tls_server, ..., reject=...}: {@code authentication failed} is a peer
 *       certificate that did not verify where verification was required ({@code verify=FAIL}; the
 *       parser puts the {@code verifymsg} in its place when one was logged),
 *       {@code CN x does not match y} and {@code Cert Subject ... does not match} a name,
 *       {@code TLS handshake failed.} and {@code STARTTLS failed.} only repeat the handshake failure
 *       logged before them, {@code DANE check failed.} is a DANE failure.</li>
 * </ul>
 */
public final class SendmailMessages {
    public static final Vocabulary TABLE = Vocabulary.of("Sendmail",
                    "Sendmail 8.17.1.9 source (sendmail/tls.c, sfsasl.c, srvrsmtp.c, deliver.c, parseaddr.c; "
                            + "cf/m4/proto.m4 TLS_connection and TLS_req), checked against the lines of a real "
                            + "Sendmail 8.17.1.9 with OpenSSL 3.0.22 (fixtures/sendmail-captured)")
            .named(Outcome.CERTIFICATE_NAME_MISMATCH, " does not match ")
            .named(Outcome.CERTIFICATE_UNTRUSTED, "authentication failed", "not authenticated",
                    "authentication required", "certificate not trusted")
            .named(Outcome.POLICY_FAILURE, "dane check failed")
            .named(Outcome.LOCAL_CERTIFICATE_UNUSABLE, " unsafe: ", "ssl_ctx_use_privatekey_file(",
                    "ssl_ctx_use_certificate_chain_file(", "ssl_ctx_use_certificate_file(",
                    "ssl_ctx_check_private_key", "ssl_use_privatekey_file(", "ssl_use_certificate_chain_file(",
                    "ssl_use_certificate_file(", "ssl_check_private_key", "load verify locs",
                    "cannot read dh parameters", "cannot read or set dh parameters")
            // 8.14 and older said timedout=1 (and timedout=0 when the handshake did not time out)
            .add(Outcome.HANDSHAKE_TIMEOUT, TIMEOUT, "retry=0", "timedout=1")
            .add(Outcome.CONNECTION_DROPPED, DROP, "ssl_error=5,", "ssl_error=6,", "reason=unknown,",
                    "tls handshake failed.", "starttls failed.")
            .build();

    private SendmailMessages() {
    }
}
