package io.tlsmon.format;

import io.tlsmon.avro.NegotiationAttempt;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The reports of many days and domains being counted: one {@link TlsRptDay} per policy domain per UTC day. */
public final class TlsRptDays {
    private record DayAndDomain(LocalDate day, String domain) {
    }

    private static final Comparator<DayAndDomain> ORDER = Comparator.comparing(DayAndDomain::day).thenComparing(DayAndDomain::domain);

    private final Map<DayAndDomain, TlsRptDay> days = new TreeMap<>(ORDER);

    /** Counts {@code a}; false when no report holds it ({@link TlsRptSession#of}). */
    public boolean add(NegotiationAttempt a) {
        TlsRptSession s = TlsRptSession.of(a);
        if (s == null) {
            return false;
        }
        add(s, 1);
        return true;
    }

    /** Counts {@code count} sessions like {@code s}. */
    public void add(TlsRptSession s, long count) {
        days.computeIfAbsent(new DayAndDomain(s.day(), s.policyDomain()), k -> new TlsRptDay(k.day(), k.domain())).add(s, count);
    }

    /** Every report, by day and then domain. */
    public List<TlsRptDay> reports() {
        return new ArrayList<>(days.values());
    }
}
