package io.tlsmon.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.PolicyType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What one outbound attempt adds to an RFC 8460 report: the UTC day and policy domain it is
 * reported under, the policy it ran under, and, for a failed one, the failure-details row it is
 * counted in (null for a successful session).
 */
public record TlsRptSession(LocalDate day, String policyDomain, PolicyType policyType, TlsRptFailure failure) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code YYYY-MM-DD}: four-digit years, as every log tlsmon reads has. */
    private static final int DAY_LENGTH = 10;

    /**
     * The report line of {@code a}; null for what no TLS-RPT report holds: inbound mail, and
     * outbound mail whose log names no recipient domain (an Exchange session that failed before
     * its RCPT TO).
     */
    public static TlsRptSession of(NegotiationAttempt a) {
        if (a.getDirection() != Direction.outbound || a.getPolicyDomain() == null || a.getPolicyDomain().isEmpty()) {
            return null;
        }
        // RFC 8460 §4.1: a report covers whole UTC days; a session counts on the day it started
        LocalDate day = LocalDate.ofInstant(a.getStartTime(), ZoneOffset.UTC);
        PolicyType type = a.getPolicyType() != null ? a.getPolicyType() : PolicyType.NO_POLICY_FOUND;
        return new TlsRptSession(day, a.getPolicyDomain(), type, TlsRptFailure.of(a));
    }

    /**
     * This session as a state-store key: its day first ({@code YYYY-MM-DD}, so the keys of the days
     * before a date sort before that date), then the other fields as a JSON array, which no text
     * from a log can break out of.
     */
    public String storeKey() {
        ArrayNode a = JSON.createArrayNode().add(policyDomain).add(policyType.name());
        if (failure != null) {
            a.add(failure.resultType()).add(failure.sendingMtaIp()).add(failure.receivingMxHostname())
                    .add(failure.receivingMxHelo()).add(failure.receivingIp()).add(failure.failureReasonCode());
        }
        return day + a.toString();
    }

    /** The session {@link #storeKey()} made {@code key} of. */
    public static TlsRptSession ofStoreKey(String key) {
        LocalDate day = LocalDate.parse(key.substring(0, DAY_LENGTH));
        JsonNode a;
        try {
            a = JSON.readTree(key.substring(DAY_LENGTH));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a TLS-RPT store key: " + key, e);
        }
        TlsRptFailure failure = a.size() <= 2 ? null : new TlsRptFailure(text(a, 2), text(a, 3), text(a, 4), text(a, 5),
                text(a, 6), text(a, 7));
        return new TlsRptSession(day, text(a, 0), PolicyType.valueOf(text(a, 1)), failure);
    }

    /** The key {@link #storeKey()} gives the sessions of {@code day}'s first domain: the keys of every earlier day sort before it. */
    public static String firstKeyOf(LocalDate day) {
        return day.toString();
    }

    private static String text(JsonNode a, int i) {
        JsonNode n = a.get(i);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** The first instant after this session's report day: when its report can be written. */
    public Instant dayEnd() {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
