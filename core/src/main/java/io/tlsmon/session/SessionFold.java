package io.tlsmon.session;

import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.PolicyType;
import io.tlsmon.classify.FailureEvidence;
import io.tlsmon.logs.ParsedLine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Folds the lines of one SMTP session into an {@link OpenSession}. Every rule here gives the same
 * state whatever order the lines of a session arrive in (flags are or-ed, times are min/max, the
 * failure with the highest rank wins, ties go to the earliest line), so lines that arrive late or
 * out of order still land where they belong.
 */
public final class SessionFold {

    /**
     * At most this many evidence lines are kept per session, the first and the last half of them in
     * (file, line number) order; the ones between are only counted. The whole list is re-serialised
     * into the session store with every line, so its bound is paid for per line.
     */
    public static final int MAX_EVIDENCE = 16;

    /** Evidence order: by file, then line number; whatever order the lines arrive in. */
    private static final Comparator<Evidence> EVIDENCE_ORDER =
            Comparator.comparing(Evidence::getSource).thenComparingLong(Evidence::getLine);

    private SessionFold() {
    }

    /** A new session state holding the first line seen of it. */
    public static OpenSession open(ParsedLine first) {
        OpenSession s = OpenSession.newBuilder()
                .setKey(first.stitchKey())
                .setSourceKind(first.kind().label())
                .setServer(first.server())
                .setSessionId(first.sessionId())
                .setOutbound(first.outbound())
                .setFirstTime(first.time())
                .setLastTime(first.time())
                .setEvidence(new ArrayList<>())
                .build();
        add(s, first);
        return s;
    }

    /** Folds one more line of the same session into {@code s}. */
    public static void add(OpenSession s, ParsedLine line) {
        s.setLines(s.getLines() + 1);
        if (line.time() < s.getFirstTime()) {
            s.setFirstTime(line.time());
        }
        if (line.time() > s.getLastTime()) {
            s.setLastTime(line.time());
        }
        if (line.outbound()) {
            s.setOutbound(true);
        }
        fillEndpoints(s, line);
        switch (line.event()) {
            case CONNECT, GREETING, EHLO, OTHER, DELIVERY -> {
                // endpoints and names only, taken above
            }
            case CERTIFICATE -> {
                if (line.certificate() != null) {
                    SessionCertificates.add(s, line.certificate());
                }
            }
            case DISCONNECT -> {
                s.setDisconnected(true);
                if (line.error() != null && !line.error().isEmpty()) {
                    s.setDisconnectReason(line.error());
                }
                String counts = line.detail();
                if (counts != null && counts.contains("starttls=0/")) {
                    // Postfix's disconnect summary: starttls=0/1 is a STARTTLS tried and failed; a
                    // plain starttls=1 succeeded, and says nothing that the TLS line did not
                    s.setStarttlsSent(true);
                    recordFailure(s, line, postfixStarttlsCount(counts));
                }
            }
            case CAPABILITIES -> {
                s.setCapabilitiesSeen(true);
                if (line.starttlsOffered()) {
                    s.setStarttlsOffered(true);
                }
            }
            case STARTTLS -> s.setStarttlsSent(true);
            case STARTTLS_READY -> {
                s.setStarttlsSent(true);
                s.setStarttlsReady(true);
            }
            case TLS_ESTABLISHED -> {
                s.setEstablished(true);
                s.setStarttlsSent(true);
                if (line.tlsVersion() != null) {
                    s.setTlsVersion(line.tlsVersion());
                }
                if (line.cipher() != null) {
                    s.setCipher(line.cipher());
                }
            }
            case TLS_FAILED -> {
                s.setStarttlsSent(true);
                recordFailure(s, line, line.error());
            }
            case PROCESS_TLS_PROBLEM -> {
                s.setProcessProblem(true);
                recordFailure(s, line, line.error());
            }
            case MAIL_FROM -> s.setMailFromSeen(true);
            case STARTTLS_REQUIRED -> {
                s.setStarttlsRequired(true);
                keepPolicyText(s, line);
            }
            case STARTTLS_NOT_OFFERED -> {
                s.setStarttlsNotOffered(true);
                keepPolicyText(s, line);
            }
        }
        if (line.tlsRequired()) {
            s.setTlsRequired(true);
        }
        foldPolicy(s, line);
        addEvidence(s, line);
    }

    /**
     * The recipient domain and policy of the session, the same whatever order its lines come in: of
     * two domains (a session that delivered to several) the first in alphabetical order; of two
     * policies the first of {@link PolicyType}'s order, so a policy the log shows beats none.
     */
    private static void foldPolicy(OpenSession s, ParsedLine line) {
        String domain = line.policyDomain();
        if (domain != null && (s.getPolicyDomain() == null || domain.compareTo(s.getPolicyDomain()) < 0)) {
            s.setPolicyDomain(domain);
        }
        PolicyType type = line.policyType();
        if (type != null && (s.getPolicyType() == null || type.ordinal() < s.getPolicyType().ordinal())) {
            s.setPolicyType(type);
        }
    }

    /** {@code starttls=0/1} out of Postfix's {@code ehlo=1 starttls=0/1 commands=1/2}. */
    private static String postfixStarttlsCount(String counts) {
        int at = counts.indexOf("starttls=");
        int end = counts.indexOf(' ', at);
        return end < 0 ? counts.substring(at) : counts.substring(at, end);
    }

    private static void keepPolicyText(OpenSession s, ParsedLine line) {
        if (s.getPolicyText() == null) {
            s.setPolicyText(line.error() != null ? line.error() : line.detail());
        }
    }

    private static void recordFailure(OpenSession s, ParsedLine line, String error) {
        FailureEvidence f = FailureEvidence.of(line.kind(), error);
        boolean better = f.rank() > s.getFailureRank()
                || (f.rank() == s.getFailureRank() && s.getFailureError() != null && line.time() < s.getFailureTime());
        if (better) {
            s.setFailureRank(f.rank());
            s.setFailureOutcome(f.outcome());
            s.setFailureError(error == null ? "" : error);
            s.setFailureTime(line.time());
        }
    }

    /**
     * Whether {@code s} holds nothing but its process's TLS setup problem: no connection of its own
     * yet, so the next session of the process takes the problem over ({@link #carryProcessProblem}).
     */
    public static boolean onlyProcessProblem(OpenSession s) {
        return s.getProcessProblem() && s.getRemoteIp() == null && s.getRemoteHost() == null && !s.getDisconnected();
    }

    /**
     * Gives {@code next}, the next session of the same process, the problem {@code from} holds; the
     * warning's lines go with it only the first time, when they are not yet another attempt's evidence.
     */
    public static void carryProcessProblem(OpenSession from, OpenSession next) {
        next.setProcessProblem(true);
        if (from.getFailureRank() > next.getFailureRank()) {
            next.setFailureRank(from.getFailureRank());
            next.setFailureOutcome(from.getFailureOutcome());
            next.setFailureError(from.getFailureError());
            next.setFailureTime(from.getFailureTime());
        }
        if (!from.getReported()) {
            List<Evidence> merged = new ArrayList<>(next.getEvidence());
            merged.addAll(from.getEvidence());
            merged.sort(EVIDENCE_ORDER);
            next.setEvidence(merged);
            next.setFirstTime(Math.min(next.getFirstTime(), from.getFirstTime()));
        }
    }

    /**
     * What stays of {@code ended}'s process problem once the session is closed: a placeholder under
     * the same key that hands the problem to the process's next session and is no attempt itself.
     */
    public static OpenSession processProblemAfter(OpenSession ended) {
        return OpenSession.newBuilder()
                .setKey(ended.getKey())
                .setOrigin(ended.getOrigin())
                .setSourceKind(ended.getSourceKind())
                .setServer(ended.getServer())
                .setSessionId(ended.getSessionId())
                .setOutbound(ended.getOutbound())
                .setFirstTime(ended.getLastTime())
                .setLastTime(ended.getLastTime())
                .setFailureRank(ended.getFailureRank())
                .setFailureOutcome(ended.getFailureOutcome())
                .setFailureError(ended.getFailureError())
                .setFailureTime(ended.getFailureTime())
                .setProcessProblem(true)
                .setReported(true)
                .setEvidence(new ArrayList<>())
                .build();
    }

    private static void fillEndpoints(OpenSession s, ParsedLine line) {
        if (s.getRemoteIp() == null && line.remoteIp() != null) {
            s.setRemoteIp(line.remoteIp());
        }
        if (s.getRemotePort() == null && line.remotePort() >= 0) {
            s.setRemotePort(line.remotePort());
        }
        if (s.getRemoteHost() == null && line.remoteHost() != null) {
            s.setRemoteHost(line.remoteHost());
        }
        if (s.getLocalEndpoint() == null && line.localEndpoint() != null) {
            s.setLocalEndpoint(line.localEndpoint());
        }
        if (s.getConnector() == null && line.connector() != null) {
            s.setConnector(line.connector());
        }
        if (s.getServer() == null && line.server() != null) {
            s.setServer(line.server());
        }
    }

    private static void addEvidence(OpenSession s, ParsedLine line) {
        if (line.source() == null) {
            return;
        }
        // Kept sorted, the middle one dropped when over the bound: the kept lines are then the first
        // and last MAX_EVIDENCE / 2 of all lines seen, whatever order they came in.
        List<Evidence> evidence = s.getEvidence();
        Evidence e = new Evidence(line.source(), line.lineNumber());
        int at = Collections.binarySearch(evidence, e, EVIDENCE_ORDER);
        evidence.add(at < 0 ? -at - 1 : at, e);
        if (evidence.size() > MAX_EVIDENCE) {
            evidence.remove(MAX_EVIDENCE / 2);
            s.setEvidenceDropped(s.getEvidenceDropped() + 1);
        }
    }
}
