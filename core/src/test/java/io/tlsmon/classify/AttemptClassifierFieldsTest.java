package io.tlsmon.classify;

import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.avro.Outcome;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.session.SessionFold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

/** What the classifier puts on an attempt beside its outcome: server, id, TLS details, error text, evidence. */
class AttemptClassifierFieldsTest {

    private static OpenSession fold(ParsedLine... lines) {
        OpenSession s = SessionFold.open(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            SessionFold.add(s, lines[i]);
        }
        return s;
    }

    private static ParsedLine.Builder rx(long t, LineEvent e) {
        return line(SourceKind.EXCHANGE_RECEIVE, "08DD1", t, e);
    }

    @Test
    void aNegotiatedAttemptCarriesItsVersionAndCipher() {
        NegotiationAttempt a = AttemptClassifier.classify(fold(
                rx(1, LineEvent.STARTTLS).build(),
                rx(2, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.2").cipher("ECDHE-RSA-AES256-GCM-SHA384").build()));
        assertThat(a.getOutcome()).isEqualTo(Outcome.OK);
        assertThat(a.getTlsVersion()).isEqualTo("TLSv1.2");
        assertThat(a.getCipher()).isEqualTo("ECDHE-RSA-AES256-GCM-SHA384");
        assertThat(a.getError()).isNull();
        assertThat(a.getTlsRequired()).isNull();
    }

    @Test
    void aTimeoutAfterTheHandshakeIsNoFailureButAnUnknownErrorIs() {
        NegotiationAttempt timedOut = AttemptClassifier.classify(fold(
                rx(1, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.3").build(),
                rx(2, LineEvent.TLS_FAILED).error("Connection timed out").build()));
        NegotiationAttempt odd = AttemptClassifier.classify(fold(
                rx(1, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.3").build(),
                rx(2, LineEvent.TLS_FAILED).error("IllegalMessage").build()));

        assertThat(timedOut.getOutcome()).isEqualTo(Outcome.OK);
        assertThat(odd.getOutcome()).isEqualTo(Outcome.OTHER_TLS_ERROR);
        assertThat(odd.getError()).isEqualTo("IllegalMessage");
    }

    @Test
    void aFailedHandshakeCarriesNoVersion() {
        OpenSession s = fold(rx(1, LineEvent.TLS_FAILED).error("AlgorithmMismatch").build());
        s.setTlsVersion("TLSv1.2"); // a version offered but never negotiated
        s.setCipher("AES128-SHA");
        NegotiationAttempt a = AttemptClassifier.classify(s);
        assertThat(a.getTlsVersion()).isNull();
        assertThat(a.getCipher()).isNull();
    }

    @Test
    void aStarttlsWithNoResultSaysWhetherTheSessionWasSeenToEnd() {
        NegotiationAttempt disconnected = AttemptClassifier.classify(fold(
                rx(1, LineEvent.STARTTLS).build(),
                rx(2, LineEvent.DISCONNECT).closesSession(true).build()));
        NegotiationAttempt unfinished = AttemptClassifier.classify(fold(rx(1, LineEvent.STARTTLS).build()));

        assertThat(disconnected.getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
        assertThat(disconnected.getError()).isEqualTo("disconnected during the TLS handshake");
        assertThat(unfinished.getOutcome()).isEqualTo(Outcome.CONNECTION_DROPPED);
        assertThat(unfinished.getError()).isEqualTo("no TLS result logged");
    }

    @Test
    void aStarttlsRequiredReplyIsRequiredAndKeepsItsText() {
        NegotiationAttempt a = AttemptClassifier.classify(fold(
                rx(1, LineEvent.STARTTLS_REQUIRED).error("451 5.7.3 Must issue a STARTTLS command first").build()));
        assertThat(a.getOutcome()).isEqualTo(Outcome.STARTTLS_REQUIRED);
        assertThat(a.getError()).isEqualTo("451 5.7.3 Must issue a STARTTLS command first");
        assertThat(a.getTlsRequired()).isTrue();
        assertThat(a.getTlsrptResultType()).isEqualTo("starttls-not-supported");
    }

    @Test
    void theServerIsTheLoggedOne() {
        OpenSession s = fold(rx(1, LineEvent.STARTTLS).server("ex1").localEndpoint("10.0.0.5:25").build());
        assertThat(AttemptClassifier.serverOf(s)).isEqualTo("ex1");
        assertThat(AttemptClassifier.classify(s).getServer()).isEqualTo("ex1");
    }

    @ParameterizedTest(name = "server {0}, local {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "null, 10.0.0.5:25, 10.0.0.5",
            "'', 10.0.0.5:25, 10.0.0.5",
            "null, 10.0.0.5, 10.0.0.5",
            "null, 2001:db8::5, 2001:db8::5",            // an IPv6 address is not host:port
            "null, :25, :25",
            "null, null, unknown",
            "null, '', unknown"})
    void withoutALoggedServerItIsTheLocalAddress(String server, String local, String expected) {
        OpenSession s = fold(rx(1, LineEvent.STARTTLS).build());
        s.setServer(server);
        s.setLocalEndpoint(local);
        assertThat(AttemptClassifier.serverOf(s)).isEqualTo(expected);
    }

    @Test
    void theIdHashesSourceKindServerSessionStartAndFirstLine() {
        OpenSession s = fold(rx(1_740_823_200_000L, LineEvent.STARTTLS).server("ex1").lineNumber(7).build());
        assertThat(AttemptClassifier.classify(s).getId())
                .isEqualTo(NameUuids.of("exchange-receive|ex1|08DD1|1740823200000|test.log:7"));
    }

    /** A Postfix smtpd serves many sessions under one pid, two of them often within one second. */
    @Test
    void twoSessionsOfOneProcessInTheSameSecondHaveTwoIds() {
        OpenSession first = fold(rx(1_000, LineEvent.STARTTLS).lineNumber(1).build());
        OpenSession second = fold(rx(1_000, LineEvent.STARTTLS).lineNumber(5).build());
        assertThat(AttemptClassifier.classify(first).getId()).isNotEqualTo(AttemptClassifier.classify(second).getId());
    }

    @Test
    void evidenceIsHandedOnInFileThenLineOrder() {
        OpenSession s = fold(rx(1, LineEvent.STARTTLS).build());
        s.setEvidence(new ArrayList<>(List.of(new Evidence("b.log", 3L), new Evidence("a.log", 9L), new Evidence("b.log", 1L))));
        assertThat(AttemptClassifier.classify(s).getEvidence()).extracting(e -> e.getSource() + ":" + e.getLine())
                .containsExactly("a.log:9", "b.log:1", "b.log:3");
    }
}
