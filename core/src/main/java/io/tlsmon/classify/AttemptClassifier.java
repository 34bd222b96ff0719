package io.tlsmon.classify;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.PolicyType;
import io.tlsmon.logs.SourceKind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns one stitched session into at most one classified negotiation attempt, by the rules of
 * spec/taxonomy.md: one attempt, one outcome; the most specific failure evidence wins; an inbound
 * plaintext session that nothing required to use TLS is not an attempt.
 */
public final class AttemptClassifier {
    private AttemptClassifier() {
    }

    /** The attempt this session holds, or null when it holds none. */
    public static NegotiationAttempt classify(OpenSession s) {
        Outcome outcome;
        String error = null;
        boolean tlsUp = s.getEstablished();
        // A drop or timeout after the handshake finished is not a TLS failure; a named cause is
        // (Postfix logs "Untrusted TLS connection established" and then defers for the certificate).
        boolean failed = s.getFailureRank() > 0 && (!tlsUp || s.getFailureRank() > FailureEvidence.TIMEOUT);
        if (failed) {
            outcome = s.getFailureOutcome();
            error = s.getFailureError();
        } else if (tlsUp) {
            outcome = TlsVersions.isDeprecated(s.getTlsVersion()) ? Outcome.DEPRECATED_PROTOCOL : Outcome.OK;
        } else if (s.getStarttlsRequired()) {
            outcome = Outcome.STARTTLS_REQUIRED;
            error = s.getPolicyText();
        } else if (s.getStarttlsNotOffered()) {
            outcome = Outcome.STARTTLS_NOT_OFFERED;
            error = s.getPolicyText();
        } else if (s.getOutbound() && s.getCapabilitiesSeen() && !s.getStarttlsOffered() && !s.getStarttlsSent()) {
            outcome = Outcome.STARTTLS_NOT_OFFERED;
        } else if (s.getStarttlsSent()) {
            // STARTTLS went out but neither a result nor a reason came back before the session ended.
            FailureEvidence why = FailureEvidence.of(SourceKind.ofLabel(s.getSourceKind()), s.getDisconnectReason());
            outcome = why.rank() <= FailureEvidence.TIMEOUT ? why.outcome() : Outcome.CONNECTION_DROPPED;
            error = s.getDisconnectReason() != null ? s.getDisconnectReason()
                    : s.getDisconnected() ? "disconnected during the TLS handshake" : "no TLS result logged";
        } else {
            return null;
        }
        boolean required = s.getTlsRequired() || outcome == Outcome.STARTTLS_REQUIRED;
        return NegotiationAttempt.newBuilder()
                .setId(attemptId(s))
                .setServer(serverOf(s))
                .setSourceKind(s.getSourceKind())
                .setDirection(s.getOutbound() ? Direction.outbound : Direction.inbound)
                .setSessionId(s.getSessionId())
                .setRemoteIp(s.getRemoteIp())
                .setRemotePort(s.getRemotePort())
                .setRemoteHost(s.getRemoteHost())
                .setLocalEndpoint(s.getLocalEndpoint())
                .setConnector(s.getConnector())
                .setStartTime(java.time.Instant.ofEpochMilli(s.getFirstTime()))
                .setEndTime(java.time.Instant.ofEpochMilli(s.getLastTime()))
                .setOutcome(outcome)
                .setTlsVersion(tlsUp ? s.getTlsVersion() : null)
                .setCipher(tlsUp ? s.getCipher() : null)
                .setError(error)
                .setProbableCause(null)
                .setTlsRequired(required ? Boolean.TRUE : null)
                .setTlsrptResultType(Outcomes.tlsrptResultType(outcome, error))
                .setEvidence(sortedEvidence(s.getEvidence()))
                .setPolicyDomain(s.getOutbound() ? s.getPolicyDomain() : null)
                .setPolicyType(policyType(s))
                .setCertificates(s.getCertificates() == null ? null : List.copyOf(s.getCertificates()))
                .build();
    }

    /** RFC 8460 applies to outbound mail only; there, a session whose log shows no policy had none tlsmon can name. */
    static PolicyType policyType(OpenSession s) {
        if (!s.getOutbound()) {
            return null;
        }
        return s.getPolicyType() != null ? s.getPolicyType() : PolicyType.NO_POLICY_FOUND;
    }

    /** The logging server: as shipped or logged; else, on Exchange send logs, our own local address. */
    static String serverOf(OpenSession s) {
        if (s.getServer() != null && !s.getServer().isEmpty()) {
            return s.getServer();
        }
        String local = s.getLocalEndpoint();
        if (local != null && !local.isEmpty()) {
            int colon = local.lastIndexOf(':');
            return colon > 0 && local.indexOf(':') == colon ? local.substring(0, colon) : local;
        }
        return "unknown";
    }

    /**
     * The same session of the same log gives the same id, wherever and however often it is classified;
     * two sessions of one process in the same second (a Postfix smtpd serves many) differ by their
     * first line.
     */
    static String attemptId(OpenSession s) {
        StringBuilder name = new StringBuilder().append(s.getSourceKind()).append('|').append(serverOf(s)).append('|')
                .append(s.getSessionId()).append('|').append(s.getFirstTime());
        if (!s.getEvidence().isEmpty()) {
            Evidence first = s.getEvidence().get(0);
            name.append('|').append(first.getSource()).append(':').append(first.getLine());
        }
        return NameUuids.of(name.toString());
    }

    private static List<Evidence> sortedEvidence(List<Evidence> evidence) {
        List<Evidence> sorted = new ArrayList<>(evidence);
        sorted.sort(Comparator.comparing(Evidence::getSource).thenComparingLong(Evidence::getLine));
        return sorted;
    }
}
