package io.tlsmon.classify;

import io.tlsmon.avro.Direction;
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

import java.util.List;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

class AttemptClassifierTest {

    private static NegotiationAttempt classify(List<ParsedLine> lines) {
        OpenSession s = SessionFold.open(lines.get(0));
        lines.subList(1, lines.size()).forEach(l -> SessionFold.add(s, l));
        return AttemptClassifier.classify(s);
    }

    private static ParsedLine.Builder rx(long t, LineEvent e) {
        return line(SourceKind.POSTFIX_SMTPD, "postfix/smtpd[42]", t, e);
    }

    @Test
    void theMostSpecificFailureWinsWhateverTheOrder() {
        List<ParsedLine> lines = List.of(
                rx(1, LineEvent.CONNECT).opensSession(true).remoteIp("198.51.100.7").build(),
                rx(2, LineEvent.TLS_FAILED).error("lost connection").build(),
                rx(3, LineEvent.TLS_FAILED).error("error:0A000076:SSL routines::no suitable signature algorithm:no shared cipher").build(),
                rx(4, LineEvent.TLS_FAILED).error("lost connection after STARTTLS").build(),
                rx(5, LineEvent.DISCONNECT).closesSession(true).detail("ehlo=1 starttls=0/1 commands=1/2").build());
        NegotiationAttempt forward = classify(lines);
        NegotiationAttempt backward = classify(List.of(lines.get(4), lines.get(3), lines.get(2), lines.get(1), lines.get(0)));
        assertThat(forward.getOutcome()).isEqualTo(Outcome.NO_SHARED_CIPHER);
        assertThat(forward.getError()).contains("no shared cipher");
        assertThat(backward.getOutcome()).isEqualTo(forward.getOutcome());
        assertThat(backward.getError()).isEqualTo(forward.getError());
        assertThat(forward.getEvidence()).hasSize(5);
        assertThat(forward.getDirection()).isEqualTo(Direction.inbound);
        assertThat(forward.getTlsrptResultType()).isEqualTo("validation-failure");
    }

    @Test
    void aDeprecatedVersionIsAWarningNotAFailure() {
        NegotiationAttempt a = classify(List.of(
                rx(1, LineEvent.CONNECT).opensSession(true).build(),
                rx(2, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1").cipher("ECDHE-RSA-AES256-SHA").build(),
                rx(3, LineEvent.DISCONNECT).closesSession(true).detail("ehlo=2 starttls=1 quit=1 commands=4").build()));
        assertThat(a.getOutcome()).isEqualTo(Outcome.DEPRECATED_PROTOCOL);
        assertThat(a.getTlsVersion()).isEqualTo("TLSv1");
        assertThat(a.getTlsrptResultType()).isNull();
    }

    @Test
    void aDropAfterTheHandshakeIsNotATlsFailure() {
        NegotiationAttempt a = classify(List.of(
                rx(1, LineEvent.TLS_ESTABLISHED).tlsVersion("TLSv1.3").build(),
                rx(2, LineEvent.TLS_FAILED).error("lost connection").build()));
        assertThat(a.getOutcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void aCertificateFailureAfterTheHandshakeIsOne() {
        ParsedLine.Builder tx = line(SourceKind.POSTFIX_SMTP, "postfix/smtp[9]", 1, LineEvent.TLS_ESTABLISHED);
        NegotiationAttempt a = classify(List.of(
                tx.tlsVersion("TLSv1.2").opensSession(true).remoteHost("mx.example.net").build(),
                line(SourceKind.POSTFIX_SMTP, "postfix/smtp[9]", 2, LineEvent.TLS_FAILED).error("Server certificate not trusted").build()));
        assertThat(a.getOutcome()).isEqualTo(Outcome.CERTIFICATE_UNTRUSTED);
        assertThat(a.getDirection()).isEqualTo(Direction.outbound);
        assertThat(a.getTlsrptResultType()).isEqualTo("certificate-not-trusted");
    }

    @Test
    void anInboundPlaintextSessionIsNoAttempt() {
        assertThat(classify(List.of(
                rx(1, LineEvent.CONNECT).opensSession(true).build(),
                rx(2, LineEvent.MAIL_FROM).build(),
                rx(3, LineEvent.DISCONNECT).closesSession(true).detail("ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5").build())))
                .isNull();
    }

    @Test
    void anOutboundSessionWhosePeerOfferedNoStarttlsIsNotOffered() {
        ParsedLine.Builder b = line(SourceKind.EXCHANGE_SEND, "08D5", 1, LineEvent.CAPABILITIES).starttlsOffered(false);
        NegotiationAttempt a = classify(List.of(
                b.build(),
                line(SourceKind.EXCHANGE_SEND, "08D5", 2, LineEvent.MAIL_FROM).build()));
        assertThat(a.getOutcome()).isEqualTo(Outcome.STARTTLS_NOT_OFFERED);
        assertThat(a.getTlsRequired()).isNull();
    }

    @Test
    void aRequiredStarttlsReplyIsStarttlsRequired() {
        NegotiationAttempt a = classify(List.of(
                line(SourceKind.EXCHANGE_SEND, "08D6", 1, LineEvent.CAPABILITIES).starttlsOffered(true).build(),
                line(SourceKind.EXCHANGE_SEND, "08D6", 2, LineEvent.STARTTLS_REQUIRED).tlsRequired(true).build()));
        assertThat(a.getOutcome()).isEqualTo(Outcome.STARTTLS_REQUIRED);
        assertThat(a.getTlsRequired()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "Remote(SocketError), CONNECTION_DROPPED",
            "Remote(TimedOut), HANDSHAKE_TIMEOUT",
            "Local, CONNECTION_DROPPED"})
    void starttlsWithoutAResultTakesTheDisconnectReason(String reason, Outcome expected) {
        NegotiationAttempt a = classify(List.of(
                line(SourceKind.EXCHANGE_RECEIVE, "R1", 1, LineEvent.STARTTLS).build(),
                line(SourceKind.EXCHANGE_RECEIVE, "R1", 2, LineEvent.STARTTLS_READY).build(),
                line(SourceKind.EXCHANGE_RECEIVE, "R1", 3, LineEvent.DISCONNECT).error(reason).closesSession(true).build()));
        assertThat(a.getOutcome()).isEqualTo(expected);
        assertThat(a.getError()).isEqualTo(reason);
    }

    @Test
    void theIdIsStableForTheSameSession() {
        List<ParsedLine> lines = List.of(rx(1, LineEvent.TLS_FAILED).error("0").build());
        assertThat(classify(lines).getId()).isEqualTo(classify(lines).getId());
    }
}
