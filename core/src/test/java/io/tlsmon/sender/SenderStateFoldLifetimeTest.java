package io.tlsmon.sender;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifetime facts of a sender's state, and how late (out of order) attempts leave them alone. */
class SenderStateFoldLifetimeTest {
    private final SenderStateFold fold = new SenderStateFold(300_000L);

    private static NegotiationAttempt.Builder attempt(long t, Outcome outcome) {
        return NegotiationAttempt.newBuilder().setId("a" + t).setServer("mx1").setSourceKind("postfix-smtpd")
                .setDirection(Direction.inbound).setSessionId("s" + t).setRemoteIp("198.51.100.7").setRemoteHost("mail.sender.example")
                .setStartTime(Instant.ofEpochMilli(t)).setEndTime(Instant.ofEpochMilli(t)).setOutcome(outcome)
                .setEvidence(List.of());
    }

    private SenderState state;

    private SenderState add(NegotiationAttempt.Builder b) {
        NegotiationAttempt a = b.build();
        if (state == null) {
            state = fold.empty(Sender.of(a), a.getStartTime().toEpochMilli());
        }
        return fold.add(state, a);
    }

    private static Instant at(long t) {
        return Instant.ofEpochMilli(t);
    }

    @Test
    void firstAndLastSeenAreTheEarliestAndLatestAttemptWhateverTheOrder() {
        add(attempt(5_000, Outcome.OK));
        add(attempt(9_000, Outcome.OK));
        add(attempt(1_000, Outcome.OK));
        add(attempt(7_000, Outcome.OK));
        assertThat(state.getFirstSeen()).isEqualTo(at(1_000));
        assertThat(state.getLastSeen()).isEqualTo(at(9_000));
        assertThat(state.getTotals()).containsEntry("OK", 4L).hasSize(1);
    }

    @Test
    void consecutiveFailuresCountTheLatestRunAndASuccessEndsIt() {
        add(attempt(1_000, Outcome.OK));
        add(attempt(2_000, Outcome.NO_SHARED_CIPHER));
        add(attempt(3_000, Outcome.HANDSHAKE_TIMEOUT));
        assertThat(state.getConsecutiveFailures()).isEqualTo(2);
        assertThat(state.getLastOutcome()).isEqualTo(Outcome.HANDSHAKE_TIMEOUT);

        add(attempt(4_000, Outcome.DEPRECATED_PROTOCOL).setTlsVersion("TLSv1"));
        assertThat(state.getConsecutiveFailures()).isZero();
        assertThat(state.getLastOutcome()).isEqualTo(Outcome.DEPRECATED_PROTOCOL);
    }

    @Test
    void attemptsAtTheSameMillisecondAreEachTheLatest() {
        add(attempt(1_000, Outcome.NO_SHARED_CIPHER));
        add(attempt(1_000, Outcome.NO_SHARED_CIPHER));
        assertThat(state.getConsecutiveFailures()).isEqualTo(2);
        add(attempt(1_000, Outcome.OK));
        assertThat(state.getConsecutiveFailures()).isZero();
        assertThat(state.getLastOutcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void aLateAttemptNeitherExtendsNorEndsTheRun() {
        add(attempt(5_000, Outcome.NO_SHARED_CIPHER));
        add(attempt(1_000, Outcome.NO_SHARED_CIPHER));
        assertThat(state.getConsecutiveFailures()).isEqualTo(1);

        add(attempt(2_000, Outcome.OK));
        assertThat(state.getConsecutiveFailures()).isEqualTo(1);
        assertThat(state.getLastOutcome()).isEqualTo(Outcome.NO_SHARED_CIPHER);
        assertThat(state.getLastSeen()).isEqualTo(at(5_000));
    }

    @Test
    void theLastFailureAndItsErrorAreTheLatestOnes() {
        add(attempt(2_000, Outcome.NO_SHARED_CIPHER).setError("no shared cipher"));
        add(attempt(1_000, Outcome.CERTIFICATE_EXPIRED).setError("certificate has expired"));
        assertThat(state.getLastFailure()).isEqualTo(at(2_000));
        assertThat(state.getLastError()).isEqualTo("no shared cipher");

        add(attempt(3_000, Outcome.HANDSHAKE_TIMEOUT)); // no error text: the outcome stands for it
        assertThat(state.getLastFailure()).isEqualTo(at(3_000));
        assertThat(state.getLastError()).isEqualTo("HANDSHAKE_TIMEOUT");

        add(attempt(3_000, Outcome.CERTIFICATE_UNTRUSTED).setError("unknown ca"));
        assertThat(state.getLastError()).as("a tie goes to the one folded last").isEqualTo("unknown ca");
    }

    @Test
    void theLastSuccessAndItsVersionAreTheLatestOnes() {
        add(attempt(2_000, Outcome.OK).setTlsVersion("TLSv1.3"));
        add(attempt(1_000, Outcome.OK).setTlsVersion("TLSv1.2"));
        assertThat(state.getLastSuccess()).isEqualTo(at(2_000));
        assertThat(state.getLastSuccessVersion()).isEqualTo("TLSv1.3");

        add(attempt(2_000, Outcome.DEPRECATED_PROTOCOL).setTlsVersion("TLSv1.1"));
        assertThat(state.getLastSuccessVersion()).as("a tie goes to the one folded last").isEqualTo("TLSv1.1");
        assertThat(state.getLastFailure()).isNull();
    }

    @Test
    void failuresDoNotTouchTheLastSuccessNorSuccessesTheLastFailure() {
        add(attempt(1_000, Outcome.OK).setTlsVersion("TLSv1.2"));
        add(attempt(2_000, Outcome.NO_SHARED_CIPHER));
        add(attempt(3_000, Outcome.OK).setTlsVersion("TLSv1.3"));
        assertThat(state.getLastSuccess()).isEqualTo(at(3_000));
        assertThat(state.getLastFailure()).isEqualTo(at(2_000));
        assertThat(state.getLastError()).isEqualTo("NO_SHARED_CIPHER");
    }

    @Test
    void theLastDeprecatedHandshakeIsTheLatestOne() {
        add(attempt(1_000, Outcome.OK).setTlsVersion("TLSv1.2"));
        assertThat(state.getLastDeprecated()).isNull();
        add(attempt(5_000, Outcome.DEPRECATED_PROTOCOL).setTlsVersion("TLSv1"));
        add(attempt(3_000, Outcome.DEPRECATED_PROTOCOL).setTlsVersion("SSLv3"));
        assertThat(state.getLastDeprecated()).isEqualTo(at(5_000));
        add(attempt(7_000, Outcome.DEPRECATED_PROTOCOL).setTlsVersion("TLSv1.1"));
        assertThat(state.getLastDeprecated()).isEqualTo(at(7_000));
    }

    @Test
    void versionsSeenAreDistinctAndSortedOldestFirst() {
        add(attempt(1_000, Outcome.OK).setTlsVersion("TLSv1.3"));
        add(attempt(2_000, Outcome.DEPRECATED_PROTOCOL).setTlsVersion("TLSv1.1"));
        add(attempt(3_000, Outcome.NO_SHARED_CIPHER));
        add(attempt(4_000, Outcome.OK).setTlsVersion("TLSv1.2"));
        add(attempt(5_000, Outcome.OK).setTlsVersion("TLSv1.3"));
        add(attempt(6_000, Outcome.DEPRECATED_PROTOCOL).setTlsVersion("SSLv3"));
        assertThat(state.getVersionsSeen()).containsExactly("SSLv3", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    }

    @Test
    void destinationsAreDistinctMostRecentFirstAndBounded() {
        for (int i = 0; i < 12; i++) {
            add(attempt(i, Outcome.OK).setServer("mx" + i));
        }
        add(attempt(20, Outcome.OK).setServer("mx5"));
        add(attempt(21, Outcome.OK).setServer("mx5"));
        assertThat(state.getDestinations()).hasSize(SenderStateFold.MAX_DESTINATIONS)
                .containsExactly("mx5", "mx11", "mx10", "mx9", "mx8", "mx7", "mx6", "mx4", "mx3", "mx2");
    }

    @Test
    void anAttemptWithoutADestinationLeavesThemAlone() {
        NegotiationAttempt.Builder out = attempt(1_000, Outcome.OK).setDirection(Direction.outbound).setConnector("c")
                .setRemoteHost(null).setRemoteIp(null);
        add(out);
        assertThat(state.getDestinations()).isEmpty();
    }

    @Test
    void theSenderNameIsTakenFromTheFirstAttemptThatHasOne() {
        NegotiationAttempt nameless = attempt(1_000, Outcome.OK).setRemoteHost(null).build();
        state = fold.empty(Sender.of(nameless), 1_000);
        fold.add(state, nameless);
        assertThat(state.getSenderName()).isNull();

        add(attempt(2_000, Outcome.OK).setRemoteHost("mail.sender.example"));
        add(attempt(3_000, Outcome.OK).setRemoteHost("other.example"));
        assertThat(state.getSenderName()).isEqualTo("mail.sender.example");
        assertThat(state.getSender()).isEqualTo("198.51.100.7");
        assertThat(state.getDirection()).isEqualTo(Direction.inbound);
    }
}
