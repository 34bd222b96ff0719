package io.tlsmon.http;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import io.tlsmon.avro.WindowCounts;
import io.tlsmon.classify.Outcomes;
import io.tlsmon.classify.TlsVersion;
import io.tlsmon.format.Json;
import io.tlsmon.logs.StreamKey;
import io.tlsmon.topology.OutcomeHistory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.nio.charset.StandardCharsets;

/**
 * The answers of the query API, from a {@link StateView}: parameters checked (a 400 naming the
 * parameter otherwise), JSON with the field names of {@code openapi.json}, times as ISO-8601 UTC.
 * "Now" is the newest event time in the state, not the wall clock: a replayed archive is
 * answered as of its own time, the same way the engine judges it.
 */
final class ApiQueries {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final Duration DEFAULT_SILENT_AFTER = Duration.ofHours(1);
    /** Between a log's stream key and its kind in the session stage's clock keys. */
    private static final char LOG_SEPARATOR = '\u0001';

    private final StateView view;

    ApiQueries(StateView view) {
        this.view = view;
    }

    // ---- GET /api/senders/{sender}

    ApiResponse sender(ApiRequest r) {
        r.only(Set.of());
        String id = r.subPath();
        if (id.isBlank()) {
            throw ApiException.badParameter("sender", "a sender id is needed: /api/senders/{sender}");
        }
        StateView.Answer<Optional<StateView.SenderFacts>> a = view.sender(id);
        StateView.SenderFacts facts = a.value().orElseThrow(() -> ApiException.notFound("no sender " + id));
        return ApiResponse.json(Json.object(j -> {
            senderDetail(j, facts.state());
            j.objects("openAlerts", facts.alerts().stream().filter(AlertState::getOpen).toList(), ApiQueries::alert);
            j.bool("stale", a.stale());
        }));
    }

    private static void senderDetail(Json j, SenderState s) {
        j.string("sender", s.getSender()).string("senderName", s.getSenderName()).string("direction", s.getDirection().name())
                .string("firstSeen", time(s.getFirstSeen())).string("lastSeen", time(s.getLastSeen()))
                .string("lastSuccess", time(s.getLastSuccess())).string("lastSuccessVersion", s.getLastSuccessVersion())
                .string("lastDeprecated", time(s.getLastDeprecated()))
                .string("lastOutcome", s.getLastOutcome() == null ? null : s.getLastOutcome().name())
                .number("consecutiveFailures", s.getConsecutiveFailures());
        j.object("lastFailure", f -> f.string("time", time(s.getLastFailure())).string("error", s.getLastError()));
        j.objects("versionsSeen", s.getVersionsSeen(), (v, o) -> o.string("version", v)
                .number("attempts", s.getVersionTotals().getOrDefault(v, 0L)));
        j.strings("destinations", s.getDestinations());
        j.number("attempts", attempts(s)).number("failures", failures(s, null));
        counts(j, "totals", s.getTotals());
        j.objects("windows", s.getWindows(), (w, o) -> {
            o.number("sizeMs", w.getSizeMs()).string("start", time(w.getStart()))
                    .string("end", time(w.getStart().plusMillis(w.getSizeMs())));
            counts(o, "outcomes", w.getCounts());
        });
    }

    // ---- GET /api/senders

    ApiResponse senders(ApiRequest r) {
        r.only(Set.of("outcome", "since", "limit", "cursor"));
        Optional<Outcome> outcome = r.param("outcome").map(ApiQueries::outcome);
        int limit = r.param("limit").map(ApiQueries::limit).orElse(DEFAULT_LIMIT);
        int offset = r.param("cursor").map(ApiQueries::offset).orElse(0);
        StateView.Answer<List<SenderState>> all = view.senders();
        Optional<Instant> since = r.param("since").map(s -> since(s, newest(all.value())));
        List<SenderState> ranked = all.value().stream()
                .filter(s -> failures(s, outcome.orElse(null)) > 0)
                .filter(s -> since.isEmpty() || (s.getLastFailure() != null && !s.getLastFailure().isBefore(since.get())))
                .sorted(Comparator.comparingLong((SenderState s) -> -failures(s, outcome.orElse(null))).thenComparing(SenderState::getSender))
                .toList();
        List<SenderState> page = ranked.subList(Math.min(offset, ranked.size()), Math.min(offset + limit, ranked.size()));
        boolean more = offset + limit < ranked.size();
        return ApiResponse.json(Json.object(j -> {
            j.number("total", ranked.size());
            j.objects("senders", page, (s, o) -> o.string("sender", s.getSender()).string("senderName", s.getSenderName())
                    .string("direction", s.getDirection().name()).number("failures", failures(s, outcome.orElse(null)))
                    .number("attempts", attempts(s)).string("lastOutcome", s.getLastOutcome() == null ? null : s.getLastOutcome().name())
                    .string("lastFailure", time(s.getLastFailure())).string("lastError", s.getLastError())
                    .string("lastSeen", time(s.getLastSeen())));
            j.string("nextCursor", more ? cursor(offset + limit) : null);
            j.bool("stale", all.stale());
        }));
    }

    // ---- GET /api/alerts/active

    ApiResponse activeAlerts(ApiRequest r) {
        r.only(Set.of());
        StateView.Answer<List<AlertState>> states = view.alertStates();
        List<AlertState> open = states.value().stream().filter(AlertState::getOpen).filter(s -> s.getLast() != null)
                .sorted(Comparator.comparingLong(AlertState::getRaisedAt).reversed().thenComparing(s -> s.getLast().getId()))
                .toList();
        return ApiResponse.json(Json.object(j -> {
            j.number("total", open.size());
            j.objects("alerts", open, ApiQueries::alert);
            j.bool("stale", states.stale());
        }));
    }

    private static void alert(AlertState st, Json j) {
        Alert a = st.getLast();
        if (a == null) {
            j.string("rule", st.getRule()).string("sender", st.getSender()).string("outcome", st.getOutcome().name());
            return;
        }
        j.string("id", a.getId()).string("rule", a.getRule()).string("severity", a.getSeverity().name())
                .string("sender", a.getSender()).string("senderName", a.getSenderName()).string("direction", a.getDirection().name())
                .string("outcome", a.getOutcome().name()).string("probableCause", a.getProbableCause() == null ? null : a.getProbableCause().name())
                .string("raisedAt", time(Instant.ofEpochMilli(st.getRaisedAt()))).string("lastMatch", time(Instant.ofEpochMilli(st.getLastMatch())))
                .number("count", st.getCount()).string("tlsVersion", a.getTlsVersion()).string("error", a.getError())
                .string("destination", a.getDestination());
        evidence(j, "firstEvidence", st.getFirstEvidence() != null ? st.getFirstEvidence() : a.getFirstEvidence());
        evidence(j, "lastEvidence", st.getLastEvidence() != null ? st.getLastEvidence() : a.getLastEvidence());
        j.string("summary", a.getSummary()).string("remediation", a.getRemediation());
    }

    private static void evidence(Json j, String name, EvidenceRef e) {
        if (e != null) {
            j.object(name, o -> o.string("server", e.getServer()).string("sessionId", e.getSessionId()).string("time", time(e.getTime())));
        }
    }

    // ---- GET /api/readiness

    /** One sender on the list to work through before a TLS 1.0/1.1 cut-off. */
    record ReadinessRow(SenderState state, long attempts, long deprecatedAttempts, long versionRejections, Double modernShare,
                        String trend) {
        static final String NOT_READY = "not-ready";
        static final String IMPROVING = "improving";
        static final String FAILING = "failing";

        static Optional<ReadinessRow> of(SenderState s) {
            long deprecated = 0;
            long modern = 0;
            for (Map.Entry<String, Long> e : s.getVersionTotals().entrySet()) {
                Optional<TlsVersion> v = TlsVersion.fromLabel(e.getKey());
                if (v.isPresent() && v.get().isDeprecated()) {
                    deprecated += e.getValue();
                } else if (v.isPresent()) {
                    modern += e.getValue();
                }
            }
            long rejected = s.getTotals().getOrDefault(Outcome.PROTOCOL_VERSION_REJECTED.name(), 0L);
            if (deprecated == 0 && rejected == 0 && s.getLastDeprecated() == null) {
                return Optional.empty();
            }
            Double share = deprecated + modern == 0 ? null : (double) modern / (deprecated + modern);
            return Optional.of(new ReadinessRow(s, ApiQueries.attempts(s), deprecated, rejected, share, trend(s)));
        }

        /**
         * From the latest facts: failing when the last attempt was refused on the version;
         * improving when the latest success is on TLS 1.2+ and came after the last deprecated one;
         * not ready otherwise.
         */
        private static String trend(SenderState s) {
            if (s.getLastOutcome() == Outcome.PROTOCOL_VERSION_REJECTED) {
                return FAILING;
            }
            boolean modernLast = s.getLastSuccess() != null && TlsVersion.fromLabel(s.getLastSuccessVersion()).map(v -> !v.isDeprecated()).orElse(false)
                    && (s.getLastDeprecated() == null || s.getLastSuccess().isAfter(s.getLastDeprecated()));
            return modernLast ? IMPROVING : NOT_READY;
        }
    }

    static final List<String> READINESS_COLUMNS = List.of("sender", "senderName", "direction", "attempts", "deprecatedAttempts",
            "versionRejections", "modernShare", "versionsSeen", "firstSeen", "lastSeen", "lastDeprecated", "trend");

    ApiResponse readiness(ApiRequest r) {
        r.only(Set.of("since", "format"));
        String format = r.param("format").orElse("json");
        if (!format.equals("json") && !format.equals("csv")) {
            throw ApiException.badParameter("format", "json or csv, not " + format);
        }
        StateView.Answer<List<SenderState>> all = view.senders();
        Optional<Instant> since = r.param("since").map(s -> since(s, newest(all.value())));
        List<ReadinessRow> rows = all.value().stream()
                .filter(s -> since.isEmpty() || !s.getLastSeen().isBefore(since.get()))
                .map(ReadinessRow::of).flatMap(Optional::stream)
                .sorted(Comparator.comparingLong(ReadinessRow::attempts).reversed().thenComparing(x -> x.state().getSender()))
                .toList();
        if (format.equals("csv")) {
            StringBuilder csv = new StringBuilder(String.join(",", READINESS_COLUMNS)).append("\r\n");
            for (ReadinessRow x : rows) {
                SenderState s = x.state();
                List<String> cells = List.of(s.getSender(), nz(s.getSenderName()), s.getDirection().name(), Long.toString(x.attempts()),
                        Long.toString(x.deprecatedAttempts()), Long.toString(x.versionRejections()),
                        x.modernShare() == null ? "" : String.format(java.util.Locale.ROOT, "%.4f", x.modernShare()),
                        String.join(" ", s.getVersionsSeen()), time(s.getFirstSeen()), time(s.getLastSeen()), nz(time(s.getLastDeprecated())),
                        x.trend());
                csv.append(String.join(",", cells.stream().map(Csv::cell).toList())).append("\r\n");
            }
            return ApiResponse.of("text/csv; charset=utf-8", csv.toString());
        }
        return ApiResponse.json(Json.object(j -> {
            j.number("total", rows.size());
            j.objects("senders", rows, (x, o) -> {
                SenderState s = x.state();
                o.string("sender", s.getSender()).string("senderName", s.getSenderName()).string("direction", s.getDirection().name())
                        .number("attempts", x.attempts()).number("deprecatedAttempts", x.deprecatedAttempts())
                        .number("versionRejections", x.versionRejections());
                if (x.modernShare() != null) {
                    o.fraction("modernShare", x.modernShare());
                }
                o.strings("versionsSeen", s.getVersionsSeen()).string("firstSeen", time(s.getFirstSeen()))
                        .string("lastSeen", time(s.getLastSeen())).string("lastDeprecated", time(s.getLastDeprecated()))
                        .string("trend", x.trend());
            });
            j.bool("stale", all.stale());
        }));
    }

    // ---- GET /api/servers

    ApiResponse servers(ApiRequest r) {
        r.only(Set.of("silentAfter"));
        Duration silentAfter = r.param("silentAfter").map(s -> duration("silentAfter", s)).orElse(DEFAULT_SILENT_AFTER);
        StateView.Answer<Map<String, Long>> clocks = view.logClocks();
        StateView.Answer<Map<String, Long>> lines = view.logLines();
        long newest = clocks.value().values().stream().mapToLong(Long::longValue).max().orElse(0);
        Map<String, Long> sorted = new TreeMap<>(clocks.value());
        return ApiResponse.json(Json.object(j -> {
            j.string("asOf", clocks.value().isEmpty() ? null : time(Instant.ofEpochMilli(newest)));
            j.objects("servers", sorted.entrySet(), (e, o) -> {
                String key = e.getKey();
                int sep = key.indexOf(LOG_SEPARATOR);
                StreamKey stream = StreamKey.parse(sep < 0 ? key : key.substring(0, sep));
                long behind = newest - e.getValue();
                o.string("server", stream.sourceHost()).string("logKind", sep < 0 ? null : key.substring(sep + 1))
                        .number("lines", lines.value().getOrDefault(key, 0L))
                        .string("lastLine", time(Instant.ofEpochMilli(e.getValue()))).number("silentForMs", behind)
                        .bool("silent", behind > silentAfter.toMillis());
            });
            j.bool("stale", clocks.stale() || lines.stale());
        }));
    }

    // ---- GET /api/summary

    ApiResponse summary(ApiRequest r) {
        r.only(Set.of());
        StateView.Answer<List<SenderState>> all = view.senders();
        StateView.Answer<List<AlertState>> alerts = view.alertStates();
        Instant now = newest(all.value());
        Map<Long, Map<String, Long>> perWindow = new TreeMap<>();
        Map<String, Long> outcomes = new TreeMap<>();
        Map<String, Long> versions = new TreeMap<>();
        for (SenderState s : all.value()) {
            s.getTotals().forEach((k, v) -> outcomes.merge(k, v, Long::sum));
            s.getVersionTotals().forEach((k, v) -> versions.merge(k, v, Long::sum));
            for (WindowCounts w : s.getWindows()) {
                Map<String, Long> counts = perWindow.computeIfAbsent(w.getSizeMs(), k -> new TreeMap<>());
                // only windows that are current as of now: an older one is a sender gone quiet
                if (now != null && w.getStart().toEpochMilli() == Math.floorDiv(now.toEpochMilli(), w.getSizeMs()) * w.getSizeMs()) {
                    w.getCounts().forEach((k, v) -> counts.merge(k, v.longValue(), Long::sum));
                }
            }
        }
        long openAlerts = alerts.value().stream().filter(AlertState::getOpen).count();
        return ApiResponse.json(Json.object(j -> {
            long failed = outcomes.entrySet().stream().filter(e -> Outcomes.isFailure(stored(e.getKey()))).mapToLong(Map.Entry::getValue).sum();
            j.string("asOf", time(now)).number("senders", (long) all.value().size()).number("activeAlerts", openAlerts)
                    .number("attempts", outcomes.values().stream().mapToLong(Long::longValue).sum()).number("failures", failed);
            j.objects("windows", perWindow.entrySet(), (e, o) -> {
                o.number("sizeMs", e.getKey());
                if (now != null) {
                    long start = Math.floorDiv(now.toEpochMilli(), e.getKey()) * e.getKey();
                    o.string("start", time(Instant.ofEpochMilli(start))).string("end", time(Instant.ofEpochMilli(start + e.getKey())));
                }
                counts(o, "outcomes", e.getValue());
            });
            counts(j, "outcomes", outcomes);
            counts(j, "tlsVersions", versions);
            j.bool("stale", all.stale() || alerts.stale());
        }));
    }

    // ---- GET /api/history

    /** The most hours one answer holds, zero hours included. */
    static final int MAX_BUCKETS = 24 * 92;

    /**
     * Attempts per outcome and hour, from {@code since} (default PT48H back from the newest hour)
     * to the newest hour counted, every hour in between present (zero when none was counted), the
     * earliest first; at most {@value #MAX_BUCKETS} hours, the latest ones.
     */
    ApiResponse history(ApiRequest r) {
        r.only(Set.of("since"));
        StateView.Answer<Map<String, Long>> counted = view.outcomeHistory();
        TreeMap<Long, Map<String, Long>> perHour = new TreeMap<>();
        counted.value().forEach((key, n) -> {
            OutcomeHistory.Count c = OutcomeHistory.parse(key);
            if (c != null) {
                perHour.computeIfAbsent(c.bucketStart(), k -> new TreeMap<>()).merge(c.outcome(), n, Long::sum);
            }
        });
        Instant newest = perHour.isEmpty() ? null : Instant.ofEpochMilli(perHour.lastKey());
        Instant since = since(r.param("since").orElse("PT48H"), newest);
        long last = perHour.isEmpty() ? 0 : perHour.lastKey();
        long first = perHour.isEmpty() ? 1 : Math.max(OutcomeHistory.bucketOf(since.toEpochMilli()), perHour.firstKey());
        first = Math.max(first, last - (MAX_BUCKETS - 1) * OutcomeHistory.BUCKET_MS);
        long from = first;
        return ApiResponse.json(Json.object(j -> {
            j.number("bucketMs", OutcomeHistory.BUCKET_MS);
            List<Long> hours = new java.util.ArrayList<>();
            for (long h = from; h <= last; h += OutcomeHistory.BUCKET_MS) {
                hours.add(h);
            }
            j.objects("buckets", hours, (h, o) -> {
                Map<String, Long> counts = perHour.getOrDefault(h, Map.of());
                long failed = counts.entrySet().stream().filter(e -> Outcomes.isFailure(stored(e.getKey()))).mapToLong(Map.Entry::getValue).sum();
                o.string("start", time(Instant.ofEpochMilli(h))).number("attempts", counts.values().stream().mapToLong(Long::longValue).sum())
                        .number("failures", failed);
                counts(o, "outcomes", counts);
            });
            j.bool("stale", counted.stale());
        }));
    }

    // ---- parameters

    static Outcome outcome(String s) {
        try {
            return Outcome.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("outcome", "'" + s + "' is not an outcome (known: " + List.of(Outcome.values()) + ")");
        }
    }

    /**
     * An outcome name as a state holds it; one this version does not know (written by a newer one)
     * reads as OTHER_TLS_ERROR, as the Avro enum's default has it.
     */
    private static Outcome stored(String name) {
        try {
            return Outcome.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Outcome.OTHER_TLS_ERROR;
        }
    }

    static int limit(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badParameter("limit", "a whole number from 1 to " + MAX_LIMIT + ", not '" + s + "'");
    }

    static String cursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o" + offset).getBytes(StandardCharsets.US_ASCII));
    }

    static int offset(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (s.startsWith("o")) {
                int n = Integer.parseInt(s.substring(1));
                if (n >= 0) {
                    return n;
                }
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw ApiException.badParameter("cursor", "not a cursor this API gave (use nextCursor of the previous page)");
    }

    /** An ISO-8601 instant, or an ISO-8601 duration back from {@code newest} ({@code PT24H}). */
    static Instant since(String s, Instant newest) {
        try {
            if (s.startsWith("P") || s.startsWith("p")) {
                Duration d = Duration.parse(s);
                if (d.isNegative()) {
                    throw ApiException.badParameter("since", "a duration back must not be negative");
                }
                return (newest == null ? Instant.EPOCH : newest).minus(d);
            }
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter("since", "an ISO-8601 instant (2025-03-03T08:00:00Z) or duration back from the newest event (PT24H), not '" + s + "'");
        }
    }

    static Duration duration(String name, String s) {
        try {
            Duration d = Duration.parse(s);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException ignored) {
            // answered below
        }
        throw ApiException.badParameter(name, "a positive ISO-8601 duration (PT1H), not '" + s + "'");
    }

    // ---- helpers

    private static Instant newest(List<SenderState> states) {
        return states.stream().map(SenderState::getLastSeen).max(Comparator.naturalOrder()).orElse(null);
    }

    static long attempts(SenderState s) {
        return s.getTotals().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Lifetime failures, of one outcome or of all failure outcomes. */
    static long failures(SenderState s, Outcome outcome) {
        if (outcome != null) {
            return s.getTotals().getOrDefault(outcome.name(), 0L);
        }
        long n = 0;
        for (Map.Entry<String, Long> e : s.getTotals().entrySet()) {
            if (Outcomes.isFailure(stored(e.getKey()))) {
                n += e.getValue();
            }
        }
        return n;
    }

    private static void counts(Json j, String name, Map<String, ? extends Number> counts) {
        Map<String, ? extends Number> sorted = new TreeMap<>(counts);
        j.objectAlways(name, o -> sorted.forEach((k, v) -> o.number(k, v.longValue())));
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
