package io.tlsmon.sender;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SenderStateFoldTest {
    private static final long FIVE_MIN = 300_000L;
    private final SenderStateFold fold = new SenderStateFold(FIVE_MIN, 3_600_000L);

    private static NegotiationAttempt attempt(long t, Outcome outcome, String version, String peer) {
        return NegotiationAttempt.newBuilder().setId("a" + t).setServer("ex1").setSourceKind("exchange-send")
                .setDirection(Direction.outbound).setSessionId("s" + t).setConnector("Outbound").setRemoteHost(peer)
                .setStartTime(Instant.ofEpochMilli(t)).setEndTime(Instant.ofEpochMilli(t)).setOutcome(outcome)
                .setTlsVersion(version).setEvidence(List.of()).build();
    }

    /** The Streams store gives back states decoded by Avro, whose arrays are not ArrayLists. */
    private static SenderState roundTrip(SenderState s) throws IOException {
        io.tlsmon.schemas.AvroClassTrust.trust(SenderState.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SenderState.class).write(s, enc);
        enc.flush();
        return new SpecificDatumReader<>(SenderState.class).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    @Test
    void foldsLifetimeFactsAndWindowCountsAcrossStoreRoundTrips() throws IOException {
        NegotiationAttempt first = attempt(1_000, Outcome.DEPRECATED_PROTOCOL, "TLSv1", "mx.partner.example");
        SenderState s = fold.add(fold.empty(Sender.of(first), 1_000), first);
        s = fold.add(roundTrip(s), attempt(2_000, Outcome.OK, "TLSv1.2", "mx.other.example"));
        s = fold.add(roundTrip(s), attempt(3_000, Outcome.CONNECTION_DROPPED, null, "x.mail.protection.outlook.com"));
        s = fold.add(roundTrip(s), attempt(4_000, Outcome.CONNECTION_DROPPED, null, "x.mail.protection.outlook.com"));

        assertThat(s.getSender()).isEqualTo("ex1|Outbound");
        assertThat(s.getVersionsSeen()).containsExactly("TLSv1", "TLSv1.2");
        assertThat(s.getDestinations()).containsExactly("x.mail.protection.outlook.com", "mx.other.example", "mx.partner.example");
        assertThat(s.getConsecutiveFailures()).isEqualTo(2);
        assertThat(s.getLastSuccessVersion()).isEqualTo("TLSv1.2");
        assertThat(s.getLastDeprecated()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(s.getTotals()).containsEntry("CONNECTION_DROPPED", 2L).containsEntry("OK", 1L);
        assertThat(SenderStateFold.countInWindow(s, FIVE_MIN, Outcome.CONNECTION_DROPPED, 4_000)).isEqualTo(2);
    }

    @Test
    void aNewWindowStartsAfreshAndALateAttemptOnlyCountsInTheTotals() throws IOException {
        NegotiationAttempt a = attempt(0, Outcome.NO_SHARED_CIPHER, null, "p");
        SenderState s = fold.add(fold.empty(Sender.of(a), 0), a);
        s = fold.add(roundTrip(s), attempt(FIVE_MIN + 10, Outcome.NO_SHARED_CIPHER, null, "p"));
        s = fold.add(roundTrip(s), attempt(20, Outcome.NO_SHARED_CIPHER, null, "p"));
        assertThat(SenderStateFold.countInWindow(s, FIVE_MIN, Outcome.NO_SHARED_CIPHER, FIVE_MIN + 10)).isEqualTo(1);
        assertThat(SenderStateFold.countInWindow(s, 3_600_000L, Outcome.NO_SHARED_CIPHER, FIVE_MIN + 10)).isEqualTo(3);
        assertThat(s.getTotals()).containsEntry("NO_SHARED_CIPHER", 3L);
    }

    @Test
    void destinationsAreBoundedMostRecentFirst() throws IOException {
        NegotiationAttempt a = attempt(0, Outcome.OK, "TLSv1.3", "p0");
        SenderState s = fold.add(fold.empty(Sender.of(a), 0), a);
        for (int i = 1; i < 30; i++) {
            s = fold.add(roundTrip(s), attempt(i, Outcome.OK, "TLSv1.3", "p" + i));
        }
        assertThat(s.getDestinations()).hasSize(SenderStateFold.MAX_DESTINATIONS).startsWith("p29", "p28");
    }
}
