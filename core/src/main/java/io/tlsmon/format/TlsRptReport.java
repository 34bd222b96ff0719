package io.tlsmon.format;

import io.tlsmon.classify.NameUuids;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;

/**
 * One RFC 8460 aggregate report ({@code application/tlsrpt+json}) of a {@link TlsRptDay}, and the
 * file name RFC 8460 §5.1 gives it. The same counts and sender always give the same bytes and the
 * same report-id, so a report written again (a re-run, a replayed day) is recognisably the same one.
 *
 * <p>{@code policy-string} and {@code mx-host} describe the policy the receiving domain published
 * (its TLSA records, its MTA-STS policy file). No MTA log tlsmon reads shows them, so they are left
 * out; RFC 8460 makes both optional.
 */
public final class TlsRptReport {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /**
     * Who reports: RFC 8460's {@code organization-name} and {@code contact-info} (an e-mail address or
     * URI). The report file is named after the contact's domain, or the organization name when the
     * contact has none.
     */
    public record Sender(String organizationName, String contactInfo) {
        public Sender {
            Objects.requireNonNull(organizationName, "organizationName");
            Objects.requireNonNull(contactInfo, "contactInfo");
        }

        /** The {@code sender} of the RFC 8460 §5.1 file name. */
        public String domain() {
            int at = contactInfo.lastIndexOf('@');
            String d = at >= 0 && at + 1 < contactInfo.length() ? contactInfo.substring(at + 1) : organizationName;
            return d.replaceAll("[^A-Za-z0-9.-]", "_");
        }
    }

    private TlsRptReport() {
    }

    /** The report id: the same for the same sender, domain and day. */
    public static String reportId(TlsRptDay day, Sender sender) {
        return NameUuids.of("tlsrpt|" + sender.organizationName() + '|' + sender.contactInfo() + '|' + day.policyDomain() + '|' + day.day());
    }

    /** The first second of the report's UTC day. */
    public static Instant start(TlsRptDay day) {
        return day.day().atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The last second of the report's UTC day, as RFC 8460's own example ends its range. */
    public static Instant end(TlsRptDay day) {
        return start(day).plusSeconds(86_399);
    }

    /** The report as one line of JSON. */
    public static String json(TlsRptDay day, Sender sender) {
        return Json.object(report -> report
                .string("organization-name", sender.organizationName())
                .object("date-range", range -> range
                        .string("start-datetime", RFC3339.format(start(day)))
                        .string("end-datetime", RFC3339.format(end(day))))
                .string("contact-info", sender.contactInfo())
                .string("report-id", reportId(day, sender))
                .objects("policies", day.policies().entrySet(), (e, entry) -> {
                    TlsRptDay.PolicyCounts counts = e.getValue();
                    entry.object("policy", policy -> policy
                                    .string("policy-type", PolicyTypes.rfc8460(e.getKey()))
                                    .string("policy-domain", day.policyDomain()))
                            .object("summary", summary -> summary
                                    .number("total-successful-session-count", counts.successes())
                                    .number("total-failure-session-count", counts.failureTotal()));
                    Map<TlsRptFailure, Long> rows = counts.failures();
                    if (!rows.isEmpty()) {
                        entry.objects("failure-details", rows.entrySet(), (row, d) -> d
                                .string("result-type", row.getKey().resultType())
                                .string("sending-mta-ip", known(row.getKey().sendingMtaIp()))
                                .string("receiving-mx-hostname", known(row.getKey().receivingMxHostname()))
                                .string("receiving-mx-helo", known(row.getKey().receivingMxHelo()))
                                .string("receiving-ip", known(row.getKey().receivingIp()))
                                .number("failed-session-count", row.getValue())
                                .string("failure-reason-code", known(row.getKey().failureReasonCode())));
                    }
                }));
    }

    /**
     * RFC 8460 §5.1: {@code sender!policy-domain!begin-timestamp!end-timestamp.json}, the timestamps in
     * seconds since the epoch. A policy domain with characters no file name should hold (it came from
     * a log) has them replaced by {@code _}.
     */
    public static String fileName(TlsRptDay day, Sender sender) {
        return sender.domain() + '!' + day.policyDomain().replaceAll("[^A-Za-z0-9.-]", "_") + '!'
                + start(day).getEpochSecond() + '!' + end(day).getEpochSecond() + ".json";
    }

    /** Optional fields are left out rather than written empty. */
    private static String known(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
