package io.tlsmon.classify;

import io.tlsmon.avro.OpenSession;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.session.SessionFold;
import org.junit.jupiter.api.Test;

import static io.tlsmon.session.Lines.line;
import static org.assertj.core.api.Assertions.assertThat;

class AttemptClassifierDisconnectTest {
    @Test
    void aDisconnectSummaryOfASuccessfulStarttlsAloneIsNoAttempt() {
        OpenSession s = SessionFold.open(line(SourceKind.POSTFIX_SMTPD, "postfix/smtpd[1]", 1, LineEvent.DISCONNECT)
                .closesSession(true).detail("ehlo=2 starttls=1 quit=1 commands=4").build());
        assertThat(AttemptClassifier.classify(s)).isNull();
    }

    @Test
    void aDisconnectSummaryOfAFailedStarttlsIsADrop() {
        OpenSession s = SessionFold.open(line(SourceKind.POSTFIX_SMTPD, "postfix/smtpd[1]", 1, LineEvent.DISCONNECT)
                .closesSession(true).detail("ehlo=1 starttls=0/1 commands=1/2").build());
        assertThat(AttemptClassifier.classify(s).getOutcome()).isEqualTo(io.tlsmon.avro.Outcome.CONNECTION_DROPPED);
    }
}
