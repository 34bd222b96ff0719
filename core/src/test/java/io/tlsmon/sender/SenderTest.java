package io.tlsmon.sender;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SenderTest {

    private static NegotiationAttempt.Builder attempt(Direction direction) {
        return NegotiationAttempt.newBuilder().setId("a").setServer("ex1").setSourceKind("exchange-send")
                .setDirection(direction).setSessionId("s").setStartTime(Instant.EPOCH).setEndTime(Instant.EPOCH)
                .setOutcome(Outcome.OK).setEvidence(List.of());
    }

    @Test
    void anInboundSenderIsTheRemoteAddressNamedByItsEhlo() {
        NegotiationAttempt a = attempt(Direction.inbound).setRemoteIp("198.51.100.7").setRemoteHost("mail.sender.example").build();
        assertThat(Sender.of(a)).isEqualTo(new Sender("198.51.100.7", "mail.sender.example", Direction.inbound));
        assertThat(Sender.destinationOf(a)).isEqualTo("ex1");
    }

    @Test
    void anInboundSenderWithoutAnAddressIsUnknownPerServer() {
        NegotiationAttempt a = attempt(Direction.inbound).build();
        assertThat(Sender.of(a).id()).isEqualTo("unknown@ex1");
    }

    @Test
    void anOutboundSenderIsOurServerAndItsConnector() {
        NegotiationAttempt a = attempt(Direction.outbound).setConnector("To EXO").setRemoteHost("x.mail.protection.outlook.com")
                .setRemoteIp("52.101.0.1").build();
        assertThat(Sender.of(a)).isEqualTo(new Sender("ex1|To EXO", "ex1", Direction.outbound));
        assertThat(Sender.destinationOf(a)).isEqualTo("x.mail.protection.outlook.com");
    }

    @Test
    void anOutboundSenderWithoutAConnectorIsTheServerAlone() {
        NegotiationAttempt a = attempt(Direction.outbound).setRemoteIp("52.101.0.1").build();
        assertThat(Sender.of(a).id()).isEqualTo("ex1|");
        assertThat(Sender.destinationOf(a)).as("the peer's address when it has no name").isEqualTo("52.101.0.1");
        assertThat(Sender.destinationOf(attempt(Direction.outbound).build())).isNull();
    }
}
