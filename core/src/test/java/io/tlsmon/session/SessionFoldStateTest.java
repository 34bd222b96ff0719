package io.tlsmon.session;

import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What each kind of line adds to a session's state, and that the state does not depend on the order lines arrive in. */
class SessionFoldStateTest {

    private static ParsedLine.Builder rx(long t, LineEvent e) {
        return Lines.line(SourceKind.POSTFIX_SMTPD, "postfix/smtpd[42]", t, e);
    }

    private static ParsedLine.Builder tx(long t, LineEvent e) {
        return Lines.line(SourceKind.EXCHANGE_SEND, "08DD9", t, e);
    }

    private static OpenSession fold(ParsedLine.Builder... lines) {
        OpenSession s = SessionFold.open(lines[0].build());
        for (int i = 1; i < lines.length; i++) {
            SessionFold.add(s, lines[i].build());
        }
        return s;
    }

    private static OpenSession foldReversed(ParsedLine.Builder... lines) {
        List<ParsedLine.Builder> reversed = new ArrayList<>(List.of(lines));
        java.util.Collections.reverse(reversed);
        return fold(reversed.toArray(ParsedLine.Builder[]::new));
    }

    @Test
    void theSessionSpansItsEarliestToItsLatestLine() {
        OpenSession s = fold(rx(5, LineEvent.OTHER), rx(9, LineEvent.OTHER), rx(2, LineEvent.OTHER), rx(7, LineEvent.OTHER));
        assertThat(s.getFirstTime()).isEqualTo(2);
        assertThat(s.getLastTime()).isEqualTo(9);
        assertThat(s.getLines()).isEqualTo(4);
    }

    @Test
    void oneOutboundLineMakesTheSessionOutbound() {
        OpenSession s = fold(rx(1, LineEvent.OTHER).outbound(false), rx(2, LineEvent.OTHER).outbound(true), rx(3, LineEvent.OTHER).outbound(false));
        assertThat(s.getOutbound()).isTrue();
        assertThat(fold(rx(1, LineEvent.OTHER), rx(2, LineEvent.OTHER)).getOutbound()).isFalse();
    }

    @Test
    void theFirstKnownEndpointOfEachKindIsKept() {
        OpenSession s = fold(
                tx(1, LineEvent.CONNECT).server(null),
                tx(2, LineEvent.EHLO).remoteIp("52.101.0.1").remotePort(25).remoteHost("x.mail.protection.outlook.com")
                        .localEndpoint("10.0.0.5:50123").connector("To EXO").server("ex1"),
                tx(3, LineEvent.OTHER).remoteIp("52.101.0.2").remotePort(26).remoteHost("y.example")
                        .localEndpoint("10.0.0.6:1").connector("Other").server("ex2"));
        assertThat(s.getRemoteIp()).isEqualTo("52.101.0.1");
        assertThat(s.getRemotePort()).isEqualTo(25);
        assertThat(s.getRemoteHost()).isEqualTo("x.mail.protection.outlook.com");
        assertThat(s.getLocalEndpoint()).isEqualTo("10.0.0.5:50123");
        assertThat(s.getConnector()).isEqualTo("To EXO");
        assertThat(s.getServer()).isEqualTo("ex1");
    }

    @Test
    void portZeroIsAPortAndMinusOneIsNone() {
        assertThat(fold(tx(1, LineEvent.OTHER), tx(2, LineEvent.OTHER).remotePort(0)).getRemotePort()).isZero();
        assertThat(fold(tx(1, LineEvent.OTHER)).getRemotePort()).isNull();
    }

    @Test
    void capabilitiesWithAndWithoutStarttls() {
        OpenSession without = fold(tx(1, LineEvent.CAPABILITIES).starttlsOffered(false));
        assertThat(without.getCapabilitiesSeen()).isTrue();
        assertThat(without.getStarttlsOffered()).isFalse();

        OpenSession with = fold(tx(1, LineEvent.CAPABILITIES).starttlsOffered(true), tx(2, LineEvent.CAPABILITIES).starttlsOffered(false));
        assertThat(with.getStarttlsOffered()).isTrue();
    }

    @Test
    void eachStepOfTheHandshakeIsRemembered() {
        assertThat(fold(rx(1, LineEvent.OTHER)).getStarttlsSent()).isFalse();

        OpenSession sent = fold(rx(1, LineEvent.STARTTLS));
        assertThat(sent.getStarttlsSent()).isTrue();
        assertThat(sent.getStarttlsReady()).isFalse();

        OpenSession ready = fold(rx(1, LineEvent.STARTTLS_READY));
        assertThat(ready.getStarttlsSent()).isTrue();
        assertThat(ready.getStarttlsReady()).isTrue();

        OpenSession established = fold(rx(1, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.3").cipher("TLS_AES_256_GCM_SHA384"));
        assertThat(established.getStarttlsSent()).isTrue();
        assertThat(established.getEstablished()).isTrue();
        assertThat(established.getTlsVersion()).isEqualTo("TLSv1.3");
        assertThat(established.getCipher()).isEqualTo("TLS_AES_256_GCM_SHA384");

        assertThat(fold(rx(1, LineEvent.TLS_FAILED).error("no shared cipher")).getStarttlsSent()).isTrue();
        assertThat(fold(rx(1, LineEvent.MAIL_FROM)).getMailFromSeen()).isTrue();
        assertThat(fold(rx(1, LineEvent.OTHER)).getMailFromSeen()).isFalse();
    }

    @Test
    void aLaterLineWithoutVersionOrCipherKeepsThem() {
        OpenSession s = fold(rx(1, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.2").cipher("AES256-GCM-SHA384"),
                rx(2, LineEvent.TLS_ESTABLISHED));
        assertThat(s.getTlsVersion()).isEqualTo("TLSv1.2");
        assertThat(s.getCipher()).isEqualTo("AES256-GCM-SHA384");
    }

    @Test
    void aDisconnectKeepsItsReasonButNotAnEmptyOne() {
        OpenSession s = fold(tx(1, LineEvent.STARTTLS), tx(2, LineEvent.DISCONNECT).error("Remote(SocketError)"));
        assertThat(s.getDisconnected()).isTrue();
        assertThat(s.getDisconnectReason()).isEqualTo("Remote(SocketError)");
        assertThat(fold(tx(1, LineEvent.DISCONNECT).error("")).getDisconnectReason()).isNull();
        assertThat(fold(tx(1, LineEvent.OTHER)).getDisconnected()).isFalse();
    }

    @Test
    void postfixsDisconnectSummaryOfAFailedStarttlsIsADropWithThatCount() {
        OpenSession mid = fold(rx(1, LineEvent.DISCONNECT).detail("ehlo=1 starttls=0/1 commands=1/2"));
        assertThat(mid.getStarttlsSent()).isTrue();
        assertThat(mid.getFailureOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
        assertThat(mid.getFailureError()).isEqualTo("starttls=0/1");
        assertThat(mid.getFailureTime()).isEqualTo(1);

        OpenSession last = fold(rx(1, LineEvent.DISCONNECT).detail("ehlo=1 starttls=0/1"));
        assertThat(last.getFailureError()).isEqualTo("starttls=0/1");

        OpenSession ok = fold(rx(1, LineEvent.DISCONNECT).detail("ehlo=2 starttls=1 quit=1 commands=4"));
        assertThat(ok.getStarttlsSent()).isFalse();
        assertThat(ok.getFailureRank()).isZero();
    }

    @Test
    void theMostSpecificFailureWinsAndATieGoesToTheEarliestLine() {
        ParsedLine.Builder[] lines = {
                rx(1, LineEvent.TLS_FAILED).error("lost connection"),
                rx(2, LineEvent.TLS_FAILED).error("error:0A000076:SSL routines::no shared cipher"),
                rx(3, LineEvent.TLS_FAILED).error("unsupported protocol"),
                rx(4, LineEvent.TLS_FAILED).error("lost connection after STARTTLS")};
        for (OpenSession s : new OpenSession[] {fold(lines), foldReversed(lines)}) {
            assertThat(s.getFailureOutcome()).isEqualTo(Outcome.NO_SHARED_CIPHER);
            assertThat(s.getFailureError()).isEqualTo("error:0A000076:SSL routines::no shared cipher");
            assertThat(s.getFailureTime()).isEqualTo(2);
        }
    }

    @Test
    void aFailureWithoutTextIsADropWithAnEmptyError() {
        OpenSession s = fold(rx(1, LineEvent.TLS_FAILED));
        assertThat(s.getFailureOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
        assertThat(s.getFailureError()).isEmpty();
        // and an earlier drop with text still takes its place: the tie goes to the earliest line
        SessionFold.add(s, rx(0, LineEvent.TLS_FAILED).error("lost connection").build());
        assertThat(s.getFailureError()).isEqualTo("lost connection");
    }

    @Test
    void policyLinesAreRememberedWithTheirFirstText() {
        OpenSession required = fold(tx(1, LineEvent.STARTTLS_REQUIRED).error("451 5.7.3 Must issue a STARTTLS command first"),
                tx(2, LineEvent.STARTTLS_REQUIRED).error("second"));
        assertThat(required.getStarttlsRequired()).isTrue();
        assertThat(required.getPolicyText()).isEqualTo("451 5.7.3 Must issue a STARTTLS command first");

        OpenSession notOffered = fold(tx(1, LineEvent.STARTTLS_NOT_OFFERED).detail("TLS is required, but was not offered by host"));
        assertThat(notOffered.getStarttlsNotOffered()).isTrue();
        assertThat(notOffered.getStarttlsRequired()).isFalse();
        assertThat(notOffered.getPolicyText()).isEqualTo("TLS is required, but was not offered by host");
    }

    @Test
    void oneLineThatRequiresTlsMakesTheSessionRequireIt() {
        assertThat(fold(tx(1, LineEvent.OTHER), tx(2, LineEvent.OTHER).tlsRequired(true), tx(3, LineEvent.OTHER)).getTlsRequired()).isTrue();
        assertThat(fold(tx(1, LineEvent.OTHER)).getTlsRequired()).isFalse();
    }

    @Test
    void aLineWithoutASourceIsNoEvidence() {
        OpenSession s = fold(rx(1, LineEvent.OTHER).source(null), rx(2, LineEvent.OTHER));
        assertThat(s.getEvidence()).hasSize(1);
        assertThat(s.getLines()).isEqualTo(2);
    }

    @Test
    void theSameLineTwiceIsTwoEvidenceEntriesInPlace() {
        OpenSession s = fold(rx(1, LineEvent.OTHER), rx(2, LineEvent.OTHER), rx(1, LineEvent.OTHER));
        assertThat(s.getEvidence()).extracting(e -> e.getLine()).containsExactly(1L, 1L, 2L);
    }
}
