package io.tlsmon.http;

import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What one instance hands another is what the other reads back, key for key. */
class StoreCodecTest {
    @Test
    void entriesComeBackAsWritten() throws Exception {
        EngineStateView engine = new EngineStateView();
        for (int i = 0; i < 4; i++) {
            engine.inbound("192.0.2.1", 1_741_000_000_000L + i * 1000L, Outcome.CERTIFICATE_EXPIRED, null);
        }
        engine.inbound("2001:db8::1", 1_741_000_000_000L, Outcome.OK, "TLSv1.3");
        Map<String, SenderState> senders = new LinkedHashMap<>();
        engine.senders.forEach(senders::put);
        assertEquals(senders, StoreCodec.SENDER_STATES.read(StoreCodec.SENDER_STATES.write(senders)));
        Map<String, AlertState> alerts = new LinkedHashMap<>();
        engine.alerts.forEach(alerts::put);
        assertEquals(1, alerts.size());
        assertEquals(alerts, StoreCodec.ALERT_STATES.read(StoreCodec.ALERT_STATES.write(alerts)));
        Map<String, Long> clocks = Map.of("mx1|postfix\u0001postfix-smtpd", 1_741_000_000_000L, "é|exchange", -1L);
        assertEquals(clocks, StoreCodec.LOG_LINES.read(StoreCodec.LOG_LINES.write(clocks)));
        assertEquals(Map.of(), StoreCodec.STREAM_CLOCKS.read(StoreCodec.STREAM_CLOCKS.write(Map.of())));
    }

    @Test
    void onlyTheStoresTheApiReadsAreServed() {
        assertEquals(404, assertThrows(ApiException.class, () -> StoreCodec.of("sessions")).status);
        assertEquals(StoreCodec.SENDER_STATES, StoreCodec.of("sender-states"));
    }
}
