package io.tlsmon.format;

import io.tlsmon.avro.PolicyType;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The counts of one RFC 8460 report: one policy domain, one UTC day, per policy the sessions that
 * succeeded and the failed ones by failure-details row.
 */
public final class TlsRptDay {
    /** Rows in a fixed order, so the same counts always give the same report. */
    static final Comparator<TlsRptFailure> ROW_ORDER = Comparator
            .comparing(TlsRptFailure::resultType)
            .thenComparing(TlsRptFailure::receivingMxHostname, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(TlsRptFailure::receivingMxHelo, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(TlsRptFailure::receivingIp, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(TlsRptFailure::sendingMtaIp, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(TlsRptFailure::failureReasonCode, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final LocalDate day;
    private final String policyDomain;
    private final Map<PolicyType, PolicyCounts> byPolicy = new EnumMap<>(PolicyType.class);

    public TlsRptDay(LocalDate day, String policyDomain) {
        this.day = Objects.requireNonNull(day, "day");
        this.policyDomain = Objects.requireNonNull(policyDomain, "policyDomain");
    }

    /** The sessions of one policy: successes and failures by row. */
    public static final class PolicyCounts {
        private long successes;
        private final Map<TlsRptFailure, Long> failures = new HashMap<>();

        public long successes() {
            return successes;
        }

        public long failureTotal() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Failure-details rows with their counts, in {@link #ROW_ORDER}. */
        public Map<TlsRptFailure, Long> failures() {
            Map<TlsRptFailure, Long> sorted = new java.util.TreeMap<>(ROW_ORDER);
            sorted.putAll(failures);
            return Collections.unmodifiableMap(sorted);
        }
    }

    /** Counts {@code count} sessions like {@code s}, which must be of this day and domain. */
    public void add(TlsRptSession s, long count) {
        if (!s.day().equals(day) || !s.policyDomain().equals(policyDomain)) {
            throw new IllegalArgumentException(s + " is not of " + day + " " + policyDomain);
        }
        PolicyCounts c = byPolicy.computeIfAbsent(s.policyType(), t -> new PolicyCounts());
        if (s.failure() == null) {
            c.successes += count;
        } else {
            c.failures.merge(s.failure(), count, Long::sum);
        }
    }

    public LocalDate day() {
        return day;
    }

    public String policyDomain() {
        return policyDomain;
    }

    /** The policies seen this day, in {@link PolicyType} order. */
    public Map<PolicyType, PolicyCounts> policies() {
        return Collections.unmodifiableMap(byPolicy);
    }
}
