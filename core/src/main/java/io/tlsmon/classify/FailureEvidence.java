package io.tlsmon.classify;

import io.tlsmon.avro.Outcome;

import java.util.List;
import java.util.Locale;

/**
 * Maps one piece of raw failure text (an Exchange SecurityStatus name, an OpenSSL reason, a Postfix
 * or Exim message) to the outcome it points to and how specific it is. When one attempt has several
 * failure lines, the most specific wins: {@code no shared cipher} beats {@code lost connection}.
 *
 * @param outcome what the text points to
 * @param rank    specificity: {@link #NAMED} &gt; {@link #UNKNOWN} &gt; {@link #TIMEOUT} &gt; {@link #DROP}
 */
public record FailureEvidence(Outcome outcome, int rank) {

    /** A connection that went away without saying why. */
    public static final int DROP = 1;
    /** A timeout: says a little more than a drop. */
    public static final int TIMEOUT = 2;
    /** An error we do not know, kept verbatim: more than a drop, less than a known cause. */
    public static final int UNKNOWN = 3;
    /** A named cause (cipher, version, certificate, ...). */
    public static final int NAMED = 4;

    private record Rule(String needle, Outcome outcome, int rank) {
    }

    /**
     * Checked in order, first match wins; so the specific phrases come before the generic ones they
     * contain ({@code alert handshake failure} before {@code handshake failure}). Needles are lower case.
     */
    private static final List<Rule> TEXT_RULES = List.of(
            // protocol version (OpenSSL 1.x and 3.x reasons, TLS alert 70, Sendmail/Exim wording)
            new Rule("unsupported protocol", Outcome.PROTOCOL_VERSION_REJECTED, NAMED),
            new Rule("version too low", Outcome.PROTOCOL_VERSION_REJECTED, NAMED),
            new Rule("alert protocol version", Outcome.PROTOCOL_VERSION_REJECTED, NAMED),
            new Rule("wrong ssl version", Outcome.PROTOCOL_VERSION_REJECTED, NAMED),
            new Rule("no protocols available", Outcome.PROTOCOL_VERSION_REJECTED, NAMED),
            new Rule("unsupported_protocol", Outcome.PROTOCOL_VERSION_REJECTED, NAMED),
            new Rule("protocol version not supported", Outcome.PROTOCOL_VERSION_REJECTED, NAMED),
            new Rule("ssl alert number 70", Outcome.PROTOCOL_VERSION_REJECTED, NAMED),
            // not TLS at all where a handshake was expected
            new Rule("wrong version number", Outcome.WRONG_PORT_OR_PROTOCOL, NAMED),
            new Rule("unknown protocol", Outcome.WRONG_PORT_OR_PROTOCOL, NAMED),
            new Rule("http request", Outcome.WRONG_PORT_OR_PROTOCOL, NAMED),
            new Rule("https proxy request", Outcome.WRONG_PORT_OR_PROTOCOL, NAMED),
            new Rule("packet length too long", Outcome.WRONG_PORT_OR_PROTOCOL, NAMED),
            // ciphers
            new Rule("no shared cipher", Outcome.NO_SHARED_CIPHER, NAMED),
            new Rule("no ciphers available", Outcome.NO_SHARED_CIPHER, NAMED),
            new Rule("no cipher match", Outcome.NO_SHARED_CIPHER, NAMED),
            new Rule("no suitable signature algorithm", Outcome.NO_SHARED_CIPHER, NAMED),
            new Rule("alert handshake failure", Outcome.NO_SHARED_CIPHER, NAMED),
            new Rule("alert write:fatal:handshake failure", Outcome.NO_SHARED_CIPHER, NAMED),
            new Rule("ssl alert number 40", Outcome.NO_SHARED_CIPHER, NAMED),
            new Rule("insufficient security", Outcome.NO_SHARED_CIPHER, NAMED),
            // policy (DANE / MTA-STS)
            new Rule("tlsa", Outcome.POLICY_FAILURE, NAMED),
            new Rule("dane", Outcome.POLICY_FAILURE, NAMED),
            new Rule("mta-sts", Outcome.POLICY_FAILURE, NAMED),
            new Rule("sts policy", Outcome.POLICY_FAILURE, NAMED),
            // certificates
            new Rule("certificate has expired", Outcome.CERTIFICATE_EXPIRED, NAMED),
            new Rule("certificate expired", Outcome.CERTIFICATE_EXPIRED, NAMED),
            new Rule("cert_has_expired", Outcome.CERTIFICATE_EXPIRED, NAMED),
            new Rule("ssl alert number 45", Outcome.CERTIFICATE_EXPIRED, NAMED),
            new Rule("hostname mismatch", Outcome.CERTIFICATE_NAME_MISMATCH, NAMED),
            new Rule("nocertmatch", Outcome.CERTIFICATE_NAME_MISMATCH, NAMED),
            new Rule("name mismatch", Outcome.CERTIFICATE_NAME_MISMATCH, NAMED),
            // Postfix says "not verified" for an untrusted chain and for a wrong name alike: the
            // "certificate verification failed ...: <reason>" line before it, when logged, names which.
            new Rule("server certificate not verified", Outcome.CERTIFICATE_NAME_MISMATCH, UNKNOWN),
            new Rule("unknown ca", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("ssl alert number 48", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("certificate not trusted", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("untrusted issuer", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("unable to get local issuer", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("self signed certificate", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("self-signed certificate", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("certificate verify failed", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("bad certificate", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("certificate unknown", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("ssl alert number 42", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            new Rule("ssl alert number 46", Outcome.CERTIFICATE_UNTRUSTED, NAMED),
            // our own certificate
            new Rule("cannot get rsa certificate", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED),
            new Rule("cannot get ecdsa certificate", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED),
            new Rule("cannot get rsa private key", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED),
            new Rule("cannot load certificate", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED),
            new Rule("cannot load rsa certificate", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED),
            new Rule("disabling tls support", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED),
            new Rule("cert/key setup", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED),
            new Rule("key values mismatch", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED),
            // timeouts
            new Rule("timed out", Outcome.HANDSHAKE_TIMEOUT, TIMEOUT),
            new Rule("timeout after starttls", Outcome.HANDSHAKE_TIMEOUT, TIMEOUT),
            new Rule("timedout", Outcome.HANDSHAKE_TIMEOUT, TIMEOUT),
            // drops without a reason
            new Rule("lost connection", Outcome.CONNECTION_DROPPED, DROP),
            new Rule("unexpected eof", Outcome.CONNECTION_DROPPED, DROP),
            new Rule("connection reset", Outcome.CONNECTION_DROPPED, DROP),
            new Rule("broken pipe", Outcome.CONNECTION_DROPPED, DROP),
            new Rule("socketerror", Outcome.CONNECTION_DROPPED, DROP),
            new Rule("handshake failure", Outcome.CONNECTION_DROPPED, DROP),
            new Rule("client gave up after starttls", Outcome.CONNECTION_DROPPED, DROP),
            new Rule("starttls=0/", Outcome.CONNECTION_DROPPED, DROP),
            new Rule("syscall failure", Outcome.CONNECTION_DROPPED, DROP));

    /** Exchange's SChannel SecurityStatus names, matched exactly (they are identifiers, not prose). */
    private static FailureEvidence ofExchangeName(String name) {
        return switch (name) {
            case "SocketError" -> new FailureEvidence(Outcome.CONNECTION_DROPPED, DROP);
            case "TimedOut", "Timeout" -> new FailureEvidence(Outcome.HANDSHAKE_TIMEOUT, TIMEOUT);
            case "AlgorithmMismatch" -> new FailureEvidence(Outcome.NO_SHARED_CIPHER, NAMED);
            case "UntrustedRoot", "CertUnknown", "IncompleteCredentials" -> new FailureEvidence(Outcome.CERTIFICATE_UNTRUSTED, NAMED);
            case "CertExpired" -> new FailureEvidence(Outcome.CERTIFICATE_EXPIRED, NAMED);
            case "WrongPrincipal" -> new FailureEvidence(Outcome.CERTIFICATE_NAME_MISMATCH, NAMED);
            case "UnknownCredentials", "NoCredentials" -> new FailureEvidence(Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED);
            case "UnsupportedProtocol", "ProtocolVersion" -> new FailureEvidence(Outcome.PROTOCOL_VERSION_REJECTED, NAMED);
            default -> null;
        };
    }

    /**
     * What a raw failure text points to. Text that matches nothing is {@code OTHER_TLS_ERROR} at
     * {@link #UNKNOWN} rank: kept, never dropped. The bare OpenSSL results {@code -1} and {@code 0}
     * of {@code SSL_accept error ...: -1} are drops.
     */
    public static FailureEvidence of(String error) {
        if (error == null || error.isBlank()) {
            return new FailureEvidence(Outcome.CONNECTION_DROPPED, DROP);
        }
        String trimmed = error.trim();
        if (trimmed.equals("-1") || trimmed.equals("0")) {
            return new FailureEvidence(Outcome.CONNECTION_DROPPED, DROP);
        }
        FailureEvidence named = ofExchangeName(exchangeName(trimmed));
        if (named != null) {
            return named;
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        for (Rule rule : TEXT_RULES) {
            if (lower.contains(rule.needle())) {
                return new FailureEvidence(rule.outcome(), rule.rank());
            }
        }
        return new FailureEvidence(Outcome.OTHER_TLS_ERROR, UNKNOWN);
    }

    /** {@code Remote(SocketError)} names {@code SocketError}; a bare identifier names itself. */
    private static String exchangeName(String text) {
        int open = text.indexOf('(');
        if (open > 0 && text.endsWith(")")) {
            return text.substring(open + 1, text.length() - 1);
        }
        return text;
    }
}
