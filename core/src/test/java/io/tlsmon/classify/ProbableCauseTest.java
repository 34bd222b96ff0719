package io.tlsmon.classify;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProbableCauseTest {

    private static NegotiationAttempt dropTowards(String host) {
        return NegotiationAttempt.newBuilder().setId("x").setServer("ex1").setSourceKind("exchange-send")
                .setDirection(Direction.outbound).setSessionId("08D5").setRemoteHost(host)
                .setStartTime(Instant.EPOCH).setEndTime(Instant.EPOCH).setOutcome(Outcome.CONNECTION_DROPPED)
                .setEvidence(List.of()).build();
    }

    @Test
    void aDropTowardsExchangeOnlineFromADeprecatedSenderIsProbablyAVersionRejection() {
        assertThat(ProbableCause.infer(dropTowards("contoso-com.mail.protection.outlook.com"), 1L))
                .isEqualTo(Outcome.PROTOCOL_VERSION_REJECTED);
    }

    @Test
    void withoutDeprecatedHistoryOrTowardsAnotherPeerThereIsNoProbableCause() {
        assertThat(ProbableCause.infer(dropTowards("contoso-com.mail.protection.outlook.com"), null)).isNull();
        assertThat(ProbableCause.infer(dropTowards("mx.example.net"), 1L)).isNull();
    }

    @Test
    void theHistoryOfAnOutboundAttemptIsItsServers() {
        assertThat(ProbableCause.historyKey(dropTowards("x"))).isEqualTo("host:ex1");
    }
}
