package io.tlsmon.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiQueriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_741_000_000_000L; // 2025-03-03T11:06:40Z
    private static final char LOG = '\u0001';

    private final EngineStateView view = new EngineStateView();
    private final ApiQueries q = new ApiQueries(view);

    private static ApiRequest get(String mount, String pathAndQuery) {
        return ApiRequest.of(mount, URI.create(pathAndQuery));
    }

    private static JsonNode json(ApiResponse r) throws Exception {
        assertEquals(200, r.status(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    private static ApiException bad(Runnable call) {
        return assertThrows(ApiException.class, call::run);
    }

    private void failing(String ip, int n, Outcome outcome) {
        for (int i = 0; i < n; i++) {
            view.inbound(ip, T + i * 1000L, outcome, null);
        }
    }

    @Test
    void sendersAreRankedByFailuresOfTheOutcomeAskedFor() throws Exception {
        failing("192.0.2.1", 5, Outcome.CONNECTION_DROPPED);
        failing("192.0.2.2", 2, Outcome.CONNECTION_DROPPED);
        failing("192.0.2.3", 7, Outcome.CERTIFICATE_EXPIRED);
        view.inbound("192.0.2.4", T, Outcome.OK, "TLSv1.3");

        JsonNode all = json(q.senders(get("/api/senders", "/api/senders")));
        assertEquals(3, all.get("total").asInt(), "a sender that never failed is not on the list");
        assertEquals(List.of("192.0.2.3", "192.0.2.1", "192.0.2.2"), senders(all));

        JsonNode dropped = json(q.senders(get("/api/senders", "/api/senders?outcome=CONNECTION_DROPPED")));
        assertEquals(List.of("192.0.2.1", "192.0.2.2"), senders(dropped));
        assertEquals(5, dropped.get("senders").get(0).get("failures").asInt());
    }

    @Test
    void pagesWalkEverySenderOnceAndTheLastHasNoCursor() throws Exception {
        for (int i = 1; i <= 7; i++) {
            failing("198.51.100." + i, i, Outcome.NO_SHARED_CIPHER);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(q.senders(get("/api/senders", "/api/senders?limit=3" + (cursor == null ? "" : "&cursor=" + cursor))));
            seen.addAll(senders(page));
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(List.of("198.51.100.7", "198.51.100.6", "198.51.100.5", "198.51.100.4", "198.51.100.3", "198.51.100.2", "198.51.100.1"), seen);
    }

    @Test
    void sinceKeepsSendersThatFailedSinceThen() throws Exception {
        failing("192.0.2.1", 3, Outcome.CONNECTION_DROPPED);
        view.inbound("192.0.2.9", T + 3_600_000L, Outcome.CONNECTION_DROPPED, null);
        assertEquals(List.of("192.0.2.9"), senders(json(q.senders(get("/api/senders", "/api/senders?since=PT30M")))));
        assertEquals(List.of("192.0.2.9"), senders(json(q.senders(get("/api/senders", "/api/senders?since=2025-03-03T11:30:00Z")))));
        assertEquals(2, json(q.senders(get("/api/senders", "/api/senders?since=PT2H"))).get("total").asInt());
    }

    @Test
    void badParametersAre400sNamingTheParameter() {
        for (String query : List.of("limit=0", "limit=501", "limit=x", "cursor=zzz", "outcome=FINE", "since=yesterday", "since=-PT1H",
                "colour=red", "limit=1&limit=2")) {
            ApiException e = bad(() -> q.senders(get("/api/senders", "/api/senders?" + query)));
            assertEquals(400, e.status, query);
            String name = query.substring(0, query.indexOf('='));
            assertEquals(name, e.parameter, query);
        }
        assertEquals("format", bad(() -> q.readiness(get("/api/readiness", "/api/readiness?format=xml"))).parameter);
        assertEquals("silentAfter", bad(() -> q.servers(get("/api/servers", "/api/servers?silentAfter=PT0S"))).parameter);
        assertEquals(400, bad(() -> q.summary(get("/api/summary", "/api/summary?x=1"))).status);
    }

    @Test
    void aSenderIsItsStateWithItsOpenAlertsAndTheirRemediation() throws Exception {
        failing("192.0.2.1", 4, Outcome.CERTIFICATE_EXPIRED);
        JsonNode s = json(q.sender(get("/api/senders/", "/api/senders/192.0.2.1")));
        assertEquals("inbound", s.get("direction").asText());
        assertEquals(4, s.get("failures").asInt());
        assertEquals(4, s.get("totals").get("CERTIFICATE_EXPIRED").asInt());
        assertTrue(s.get("lastFailure").has("time"));
        JsonNode alert = s.get("openAlerts").get(0);
        assertEquals("CERTIFICATE_EXPIRED", alert.get("outcome").asText());
        assertFalse(alert.get("remediation").asText().isBlank());
        assertFalse(s.get("stale").asBoolean());

        assertEquals(404, bad(() -> q.sender(get("/api/senders/", "/api/senders/203.0.113.1"))).status);
        assertEquals(400, bad(() -> q.sender(get("/api/senders/", "/api/senders/"))).status);
    }

    @Test
    void activeAlertsAreTheOpenOnes() throws Exception {
        failing("192.0.2.1", 4, Outcome.CERTIFICATE_EXPIRED);
        view.inbound("192.0.2.2", T, Outcome.OK, "TLSv1.2");
        JsonNode a = json(q.activeAlerts(get("/api/alerts/active", "/api/alerts/active")));
        assertEquals(a.get("alerts").size(), a.get("total").asInt());
        assertTrue(a.get("total").asInt() >= 1);
        for (JsonNode x : a.get("alerts")) {
            assertEquals("192.0.2.1", x.get("sender").asText());
            assertTrue(x.has("remediation") && x.has("summary") && x.has("raisedAt"), x::toString);
        }
    }

    @Test
    void readinessListsDeprecatedAndVersionRefusedSendersWithTheirModernShare() throws Exception {
        view.inbound("192.0.2.1", T, Outcome.DEPRECATED_PROTOCOL, "TLSv1");
        view.inbound("192.0.2.1", T + 1000, Outcome.OK, "TLSv1.2");
        view.inbound("192.0.2.1", T + 2000, Outcome.OK, "TLSv1.2");
        view.inbound("192.0.2.1", T + 3000, Outcome.OK, "TLSv1.3");
        view.inbound("192.0.2.2", T, Outcome.PROTOCOL_VERSION_REJECTED, null);
        view.inbound("192.0.2.3", T, Outcome.OK, "TLSv1.3");

        JsonNode r = json(q.readiness(get("/api/readiness", "/api/readiness")));
        assertEquals(List.of("192.0.2.1", "192.0.2.2"), senders(r), "an all-TLS 1.3 sender is ready");
        JsonNode first = r.get("senders").get(0);
        assertEquals(0.75, first.get("modernShare").asDouble(), 1e-9);
        assertEquals(1, first.get("deprecatedAttempts").asInt());
        assertEquals("improving", first.get("trend").asText());
        JsonNode refused = r.get("senders").get(1);
        assertEquals(1, refused.get("versionRejections").asInt());
        assertEquals("failing", refused.get("trend").asText());
        assertNull(refused.get("modernShare"), "no session of it had a version");

        ApiResponse csv = q.readiness(get("/api/readiness", "/api/readiness?format=csv"));
        assertTrue(csv.contentType().startsWith("text/csv"));
        String[] lines = new String(csv.body(), StandardCharsets.UTF_8).split("\r\n");
        assertEquals(String.join(",", ApiQueries.READINESS_COLUMNS), lines[0]);
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("192.0.2.1,mail.192.0.2.1.example,inbound,4,1,0,0.7500,TLSv1 TLSv1.2 TLSv1.3,"), lines[1]);
    }

    @Test
    void csvCellsCannotRunAsFormulas() {
        assertEquals("'=HYPERLINK(\"x\")".replace("\"", "\"\""), Csv.cell("=HYPERLINK(\"x\")").replaceAll("^\"|\"$", ""));
        assertEquals("\"a,b\"", Csv.cell("a,b"));
        assertEquals("'@x", Csv.cell("@x"));
        assertEquals("mx1", Csv.cell("mx1"));
    }

    @Test
    void summaryCountsEveryAttemptOncePerOutcomeAndVersion() throws Exception {
        failing("192.0.2.1", 3, Outcome.CONNECTION_DROPPED);
        view.inbound("192.0.2.2", T, Outcome.OK, "TLSv1.2");
        view.inbound("192.0.2.3", T, Outcome.DEPRECATED_PROTOCOL, "TLSv1.1");
        JsonNode s = json(q.summary(get("/api/summary", "/api/summary")));
        assertEquals(3, s.get("senders").asInt());
        assertEquals(5, s.get("attempts").asInt());
        assertEquals(3, s.get("failures").asInt(), "a deprecated protocol that negotiated is no failure");
        assertEquals(3, s.get("outcomes").get("CONNECTION_DROPPED").asInt());
        assertEquals(1, s.get("tlsVersions").get("TLSv1.2").asInt());
        assertEquals(1, s.get("tlsVersions").get("TLSv1.1").asInt());
        for (JsonNode w : s.get("windows")) {
            long total = 0;
            for (JsonNode n : w.get("outcomes")) {
                total += n.asLong();
            }
            assertEquals(5, total, "all five attempts are in the current window of " + w.get("sizeMs"));
        }
    }

    @Test
    void historyGivesEveryHourFromSinceToTheNewestWithThePartitionsSummed() throws Exception {
        long hour = 3_600_000L;
        long h0 = T - Math.floorMod(T, hour);
        failing("192.0.2.1", 2, Outcome.CONNECTION_DROPPED);
        view.inbound("192.0.2.2", T + 3 * hour, Outcome.OK, "TLSv1.2");
        // the same hour and outcome counted by another partition's task
        view.history.put(io.tlsmon.topology.OutcomeHistory.key(h0, Outcome.CONNECTION_DROPPED, 5), 4L);
        view.history.put("not a history key", 9L);
        JsonNode h = json(q.history(get("/api/history", "/api/history")));
        assertEquals(hour, h.get("bucketMs").asLong());
        JsonNode buckets = h.get("buckets");
        assertEquals(4, buckets.size(), "hours 0 to 3, the empty ones too: " + buckets);
        assertEquals(java.time.Instant.ofEpochMilli(h0).toString(), buckets.get(0).get("start").asText());
        assertEquals(6, buckets.get(0).get("outcomes").get("CONNECTION_DROPPED").asInt());
        assertEquals(6, buckets.get(0).get("failures").asInt());
        assertEquals(0, buckets.get(1).get("attempts").asInt());
        assertEquals(1, buckets.get(3).get("attempts").asInt());
        assertEquals(0, buckets.get(3).get("failures").asInt());
        JsonNode recent = json(q.history(get("/api/history", "/api/history?since=PT1H")));
        assertEquals(2, recent.get("buckets").size(), "the newest hour and the one before");
        assertEquals(400, bad(() -> q.history(get("/api/history", "/api/history?since=yesterday"))).status);
        assertEquals(400, bad(() -> q.history(get("/api/history", "/api/history?until=now"))).status);
    }

    @Test
    void aServerFarBehindTheNewestIsSilent() throws Exception {
        view.clocks.put("mx1|postfix" + LOG + "postfix-smtpd", T);
        view.clocks.put("mx2|postfix" + LOG + "postfix-smtpd", T - 7_200_000L);
        view.lines.put("mx1|postfix" + LOG + "postfix-smtpd", 42L);
        JsonNode s = json(q.servers(get("/api/servers", "/api/servers")));
        assertEquals("mx1", s.get("servers").get(0).get("server").asText());
        assertEquals("postfix-smtpd", s.get("servers").get(0).get("logKind").asText());
        assertEquals(42, s.get("servers").get(0).get("lines").asInt());
        assertEquals(0, s.get("servers").get(1).get("lines").asInt());
        assertFalse(s.get("servers").get(0).get("silent").asBoolean());
        assertTrue(s.get("servers").get(1).get("silent").asBoolean());
        assertFalse(json(q.servers(get("/api/servers", "/api/servers?silentAfter=PT3H"))).get("servers").get(1).get("silent").asBoolean());
    }

    private static List<String> senders(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("senders").forEach(n -> out.add(n.get("sender").asText()));
        return out;
    }
}
