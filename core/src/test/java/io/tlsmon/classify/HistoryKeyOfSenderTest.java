package io.tlsmon.classify;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.sender.Sender;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A sender's id leads to the key its attempts are partitioned by: the API finds the owning instance with it. */
class HistoryKeyOfSenderTest {
    private static NegotiationAttempt attempt(Direction d, String ip, String connector) {
        return NegotiationAttempt.newBuilder().setId("a").setServer("ex1").setSourceKind("exchange-send").setDirection(d)
                .setSessionId("s").setRemoteIp(ip).setConnector(connector).setStartTime(Instant.EPOCH).setEndTime(Instant.EPOCH)
                .setOutcome(Outcome.OK).setEvidence(List.of()).build();
    }

    @Test
    void everyKindOfSenderMapsToItsAttemptsKey() {
        for (NegotiationAttempt a : List.of(attempt(Direction.inbound, "192.0.2.7", null), attempt(Direction.inbound, "2001:db8::7", null),
                attempt(Direction.inbound, null, null), attempt(Direction.outbound, "192.0.2.7", "Outbound to Office 365"),
                attempt(Direction.outbound, null, null), attempt(Direction.outbound, "192.0.2.7", "a|b"))) {
            assertEquals(ProbableCause.historyKey(a), ProbableCause.historyKeyOfSender(Sender.of(a).id()), a.toString());
        }
    }
}
