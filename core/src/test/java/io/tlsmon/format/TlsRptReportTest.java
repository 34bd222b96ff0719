package io.tlsmon.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.PolicyType;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.pipeline.LogPipeline;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TlsRptReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TlsRptReport.Sender SENDER = new TlsRptReport.Sender("Contoso Ltd", "tlsrpt@contoso.example");

    /**
     * RFC 8460 §4 (Reporting Schema) and §4.4 (JSON report fields): every name a report may hold, at
     * the level it belongs to, and which of them are required. Kept here, not taken from the code
     * under test.
     */
    private static final Set<String> REPORT_REQUIRED = Set.of("organization-name", "date-range", "contact-info", "report-id", "policies");
    private static final Set<String> REPORT_FIELDS = REPORT_REQUIRED;
    private static final Set<String> DATE_RANGE_FIELDS = Set.of("start-datetime", "end-datetime");
    private static final Set<String> POLICIES_ENTRY_REQUIRED = Set.of("policy", "summary");
    private static final Set<String> POLICIES_ENTRY_FIELDS = Set.of("policy", "summary", "failure-details");
    private static final Set<String> POLICY_REQUIRED = Set.of("policy-type", "policy-domain");
    private static final Set<String> POLICY_FIELDS = Set.of("policy-type", "policy-string", "policy-domain", "mx-host");
    private static final Set<String> POLICY_TYPES = Set.of("tlsa", "sts", "no-policy-found");
    private static final Set<String> SUMMARY_FIELDS = Set.of("total-successful-session-count", "total-failure-session-count");
    private static final Set<String> FAILURE_REQUIRED = Set.of("result-type", "failed-session-count");
    private static final Set<String> FAILURE_FIELDS = Set.of("result-type", "sending-mta-ip", "receiving-mx-hostname",
            "receiving-mx-helo", "receiving-ip", "failed-session-count", "additional-information", "failure-reason-code");
    /** RFC 8460 §4.3 result types (and the IANA registry's initial entries). */
    private static final Set<String> RESULT_TYPES = Set.of("starttls-not-supported", "certificate-host-mismatch",
            "certificate-expired", "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid",
            "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid");

    private static final String DAY1 = "2025-03-03T";
    private static final String DAY2 = "2025-03-04T";

    /** Postfix outbound sessions of two days to two domains: successes, an expired certificate, a DANE failure. */
    private static final List<String> POSTFIX = List.of(
            DAY1 + "08:00:00.100000+00:00 mx2 postfix/smtp[100]: Trusted TLS connection established to mx.a.example[203.0.113.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
            DAY1 + "08:00:00.200000+00:00 mx2 postfix/smtp[100]: 8C2F100001: to=<x@A.example>, relay=mx.a.example[203.0.113.1]:25, delay=0.4, dsn=2.0.0, status=sent (250 ok)",
            DAY1 + "08:10:00.100000+00:00 mx2 postfix/smtp[101]: Trusted TLS connection established to mx.a.example[203.0.113.1]:25: TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)",
            DAY1 + "08:10:00.200000+00:00 mx2 postfix/smtp[101]: 8C2F100002: to=<y@a.example>, relay=mx.a.example[203.0.113.1]:25, delay=0.4, dsn=2.0.0, status=sent (250 ok)",
            DAY1 + "09:00:00.100000+00:00 mx2 postfix/smtp[102]: certificate verification failed for mx.b.example[203.0.113.2]:25: certificate has expired",
            DAY1 + "09:00:00.101000+00:00 mx2 postfix/smtp[102]: Untrusted TLS connection established to mx.b.example[203.0.113.2]:25: TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)",
            DAY1 + "09:00:00.200000+00:00 mx2 postfix/smtp[102]: 8C2F100003: to=<ap@b.example>, relay=mx.b.example[203.0.113.2]:25, delay=0.4, dsn=4.7.5, status=deferred (Server certificate not verified)",
            DAY1 + "09:05:00.100000+00:00 mx2 postfix/smtp[103]: certificate verification failed for mx.b.example[203.0.113.2]:25: certificate has expired",
            DAY1 + "09:05:00.101000+00:00 mx2 postfix/smtp[103]: Untrusted TLS connection established to mx.b.example[203.0.113.2]:25: TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)",
            DAY1 + "09:05:00.200000+00:00 mx2 postfix/smtp[103]: 8C2F100004: to=<ap@b.example>, relay=mx.b.example[203.0.113.2]:25, delay=0.4, dsn=4.7.5, status=deferred (Server certificate not verified)",
            DAY2 + "07:00:00.100000+00:00 mx2 postfix/smtp[104]: 8C2F100005: to=<z@a.example>, relay=mx.a.example[203.0.113.1]:25, delay=1, tls=dane/!requiretls:nocertmatch, dsn=4.7.5, status=deferred (Server certificate not verified)",
            DAY2 + "07:30:00.100000+00:00 mx2 postfix/smtpd[200]: connect from c.example[198.51.100.9]",
            DAY2 + "07:30:00.200000+00:00 mx2 postfix/smtpd[200]: Anonymous TLS connection established from c.example[198.51.100.9]: TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)",
            DAY2 + "07:30:00.300000+00:00 mx2 postfix/smtpd[200]: disconnect from c.example[198.51.100.9] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7");

    private static List<NegotiationAttempt> classify(List<String> lines) {
        List<NegotiationAttempt> out = new ArrayList<>();
        try (LogPipeline p = new LogPipeline(LogPipeline.Options.defaults().withFormat(LogFormat.POSTFIX), out::add)) {
            try (LogPipeline.StreamReader s = p.openStream("mail.log", Instant.parse("2025-03-05T00:00:00Z").toEpochMilli())) {
                long n = 0;
                for (String line : lines) {
                    s.line(line, ++n);
                }
            }
            p.endGroup();
        }
        return out;
    }

    @Test
    void outboundAttemptsCarryTheirRecipientDomainAndPolicyAndInboundOnesNone() {
        List<NegotiationAttempt> attempts = classify(POSTFIX);
        assertThat(attempts).hasSize(6);
        assertThat(attempts).filteredOn(a -> a.getDirection() == Direction.inbound).singleElement()
                .satisfies(a -> {
                    assertThat(a.getPolicyDomain()).isNull();
                    assertThat(a.getPolicyType()).isNull();
                });
        assertThat(attempts).filteredOn(a -> a.getDirection() == Direction.outbound)
                .extracting(NegotiationAttempt::getPolicyDomain, NegotiationAttempt::getPolicyType)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("a.example", PolicyType.NO_POLICY_FOUND),
                        org.assertj.core.groups.Tuple.tuple("a.example", PolicyType.NO_POLICY_FOUND),
                        org.assertj.core.groups.Tuple.tuple("b.example", PolicyType.NO_POLICY_FOUND),
                        org.assertj.core.groups.Tuple.tuple("b.example", PolicyType.NO_POLICY_FOUND),
                        org.assertj.core.groups.Tuple.tuple("a.example", PolicyType.TLSA));
    }

    @Test
    void oneReportPerPolicyDomainPerUtcDay() {
        TlsRptDays days = new TlsRptDays();
        classify(POSTFIX).forEach(days::add);
        assertThat(days.reports()).extracting(d -> d.day() + " " + d.policyDomain())
                .containsExactly("2025-03-03 a.example", "2025-03-03 b.example", "2025-03-04 a.example");
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (TlsRptDay d : days.reports()) {
            ids.add(TlsRptReport.reportId(d, SENDER));
            names.add(TlsRptReport.fileName(d, SENDER));
        }
        assertThat(ids).hasSize(3);
        assertThat(names).hasSize(3);
    }

    @Test
    void theReportHasRfc8460sStructureAndFieldNames() throws Exception {
        TlsRptDays days = new TlsRptDays();
        classify(POSTFIX).forEach(days::add);
        for (TlsRptDay d : days.reports()) {
            checkStructure(JSON.readTree(TlsRptReport.json(d, SENDER)));
        }
    }

    @Test
    void countsLandInTheirDaysPoliciesAndRows() throws Exception {
        TlsRptDays days = new TlsRptDays();
        classify(POSTFIX).forEach(days::add);
        List<TlsRptDay> reports = days.reports();

        JsonNode a1 = JSON.readTree(TlsRptReport.json(reports.get(0), SENDER));
        assertThat(a1.path("organization-name").asText()).isEqualTo("Contoso Ltd");
        assertThat(a1.path("contact-info").asText()).isEqualTo("tlsrpt@contoso.example");
        assertThat(a1.path("date-range").path("start-datetime").asText()).isEqualTo("2025-03-03T00:00:00Z");
        assertThat(a1.path("date-range").path("end-datetime").asText()).isEqualTo("2025-03-03T23:59:59Z");
        assertThat(a1.path("policies")).hasSize(1);
        JsonNode p = a1.path("policies").get(0);
        assertThat(p.path("policy").path("policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(p.path("policy").path("policy-domain").asText()).isEqualTo("a.example");
        assertThat(p.path("summary").path("total-successful-session-count").asLong()).isEqualTo(2);
        assertThat(p.path("summary").path("total-failure-session-count").asLong()).isZero();
        assertThat(p.has("failure-details")).isFalse();

        JsonNode b1 = JSON.readTree(TlsRptReport.json(reports.get(1), SENDER));
        JsonNode bp = b1.path("policies").get(0);
        assertThat(bp.path("summary").path("total-successful-session-count").asLong()).isZero();
        assertThat(bp.path("summary").path("total-failure-session-count").asLong()).isEqualTo(2);
        assertThat(bp.path("failure-details")).hasSize(1);
        JsonNode row = bp.path("failure-details").get(0);
        assertThat(row.path("result-type").asText()).isEqualTo("certificate-expired");
        assertThat(row.path("receiving-mx-hostname").asText()).isEqualTo("mx.b.example");
        assertThat(row.path("receiving-ip").asText()).isEqualTo("203.0.113.2");
        assertThat(row.path("failed-session-count").asLong()).isEqualTo(2);
        assertThat(row.has("sending-mta-ip")).as("Postfix does not log our own address").isFalse();

        JsonNode a2 = JSON.readTree(TlsRptReport.json(reports.get(2), SENDER));
        JsonNode ap = a2.path("policies").get(0);
        assertThat(ap.path("policy").path("policy-type").asText()).isEqualTo("tlsa");
        assertThat(ap.path("summary").path("total-failure-session-count").asLong()).isEqualTo(1);
        assertThat(TlsRptReport.fileName(reports.get(2), SENDER))
                .isEqualTo("contoso.example!a.example!" + Instant.parse("2025-03-04T00:00:00Z").getEpochSecond()
                        + "!" + Instant.parse("2025-03-04T23:59:59Z").getEpochSecond() + ".json");
    }

    @Test
    void theSameCountsGiveTheSameReport() {
        TlsRptDays one = new TlsRptDays();
        TlsRptDays two = new TlsRptDays();
        List<NegotiationAttempt> attempts = classify(POSTFIX);
        attempts.forEach(one::add);
        for (int i = attempts.size() - 1; i >= 0; i--) {
            two.add(attempts.get(i));
        }
        for (int i = 0; i < one.reports().size(); i++) {
            assertThat(TlsRptReport.json(two.reports().get(i), SENDER)).isEqualTo(TlsRptReport.json(one.reports().get(i), SENDER));
        }
    }

    @Test
    void storeKeysGiveBackTheSessionAndSortByDay() {
        TlsRptFailure hostile = new TlsRptFailure("validation-failure", null, "mx\"].example", null, "203.0.113.9",
                "error\n|=\\\u0000\"]} \uFFFD");
        TlsRptSession failed = new TlsRptSession(LocalDate.parse("2025-03-03"), "z.example", PolicyType.TLSA, hostile);
        TlsRptSession ok = new TlsRptSession(LocalDate.parse("2025-03-03"), "a.example", PolicyType.NO_POLICY_FOUND, null);
        assertThat(TlsRptSession.ofStoreKey(failed.storeKey())).isEqualTo(failed);
        assertThat(TlsRptSession.ofStoreKey(ok.storeKey())).isEqualTo(ok);
        String nextDay = TlsRptSession.firstKeyOf(LocalDate.parse("2025-03-04"));
        assertThat(failed.storeKey()).isLessThan(nextDay);
        assertThat(new TlsRptSession(LocalDate.parse("2025-03-04"), "a.example", PolicyType.STS, null).storeKey()).isGreaterThan(nextDay);
    }

    @Test
    void noReportHoldsInboundMailOrMailWithoutARecipientDomain() {
        NegotiationAttempt inbound = classify(POSTFIX).stream().filter(a -> a.getDirection() == Direction.inbound).findFirst().orElseThrow();
        assertThat(TlsRptSession.of(inbound)).isNull();
        NegotiationAttempt outbound = classify(POSTFIX).stream().filter(a -> a.getDirection() == Direction.outbound).findFirst().orElseThrow();
        outbound.setPolicyDomain(null);
        assertThat(TlsRptSession.of(outbound)).isNull();
    }

    /** Only RFC 8460's names, every required one, the right JSON types and the registered values. */
    static void checkStructure(JsonNode report) {
        assertFields(report, REPORT_FIELDS, REPORT_REQUIRED);
        assertThat(report.get("organization-name").isTextual()).isTrue();
        assertThat(report.get("contact-info").isTextual()).isTrue();
        assertThat(report.get("report-id").isTextual()).isTrue();
        assertFields(report.get("date-range"), DATE_RANGE_FIELDS, DATE_RANGE_FIELDS);
        Instant start = Instant.parse(report.get("date-range").get("start-datetime").asText());
        Instant end = Instant.parse(report.get("date-range").get("end-datetime").asText());
        assertThat(end).isAfter(start);
        assertThat(report.get("policies").isArray()).isTrue();
        assertThat(report.get("policies")).isNotEmpty();
        for (JsonNode entry : report.get("policies")) {
            assertFields(entry, POLICIES_ENTRY_FIELDS, POLICIES_ENTRY_REQUIRED);
            JsonNode policy = entry.get("policy");
            assertFields(policy, POLICY_FIELDS, POLICY_REQUIRED);
            assertThat(POLICY_TYPES).contains(policy.get("policy-type").asText());
            assertFields(entry.get("summary"), SUMMARY_FIELDS, SUMMARY_FIELDS);
            long failures = entry.get("summary").get("total-failure-session-count").asLong();
            assertThat(entry.get("summary").get("total-successful-session-count").isIntegralNumber()).isTrue();
            long rows = 0;
            if (entry.has("failure-details")) {
                assertThat(entry.get("failure-details").isArray()).isTrue();
                for (JsonNode row : entry.get("failure-details")) {
                    assertFields(row, FAILURE_FIELDS, FAILURE_REQUIRED);
                    assertThat(RESULT_TYPES).contains(row.get("result-type").asText());
                    assertThat(row.get("failed-session-count").isIntegralNumber()).isTrue();
                    rows += row.get("failed-session-count").asLong();
                }
            }
            assertThat(rows).as("failure rows add up to the summary").isEqualTo(failures);
        }
    }

    private static void assertFields(JsonNode node, Set<String> allowed, Set<String> required) {
        assertThat(node.isObject()).as("%s", node).isTrue();
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertThat(allowed).as("fields of %s", node).containsAll(names);
        assertThat(names).as("required fields of %s", node).containsAll(required);
    }
}
