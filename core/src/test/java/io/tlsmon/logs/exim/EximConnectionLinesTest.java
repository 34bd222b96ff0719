package io.tlsmon.logs.exim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.ParserMemory;
import io.tlsmon.logs.StreamInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * How {@link EximLogParser} reads the several lines Exim 4.96 writes for one SMTP connection (the
 * shapes of fixtures/exim-captured, with example addresses): one attempt per connection, whatever
 * Exim repeats at its end.
 */
class EximConnectionLinesTest {
    private final EximLogParser parser = new EximLogParser(new StreamInfo(null, "mainlog", ZoneOffset.UTC,
            Instant.parse("2026-12-02T00:00:00Z").toEpochMilli()));
    private long lineNumber;

    private ParseResult parse(String line) {
        return parser.parse(line, ++lineNumber);
    }

    private ParsedLine line(String line) {
        ParseResult r = parse(line);
        assertThat(r.isLine()).as(r.toString()).isTrue();
        return r.line();
    }

    @Test
    void aNoMailLineWithTlsIsAnEstablishedHandshake() {
        ParsedLine l = line("2026-12-02 02:45:00 [17640] no MAIL in SMTP connection from [198.51.100.7]:42316 I=[192.0.2.2]:25 D=0s "
                + "X=TLS1.1:ECDHE_X25519__RSA_SHA1__AES_256_CBC__SHA1:256 CV=no C=EHLO,STARTTLS,QUIT");
        assertThat(l.event()).isEqualTo(LineEvent.TLS_ESTABLISHED);
        assertThat(l.tlsVersion()).isEqualTo("TLSv1.1");
        assertThat(l.cipher()).isEqualTo("ECDHE_X25519__RSA_SHA1__AES_256_CBC__SHA1");
        assertThat(l.outbound()).isFalse();
        assertThat(l.sessionId()).isEqualTo("17640");
    }

    @Test
    void theEndOfAConnectionWhoseHandshakeFailedIsNotASecondAttempt() {
        ParsedLine failed = line("2026-12-02 02:45:00 [18709] TLS error on connection from (c.example) [198.51.100.7]:43234 "
                + "I=[192.0.2.2]:25 (gnutls_handshake): A packet with illegal or unsupported version was received.");
        assertThat(failed.event()).isEqualTo(LineEvent.TLS_FAILED);
        assertThat(failed.closesSession()).isTrue();
        assertThat(parse("2026-12-02 02:45:00 [18709] SMTP connection from (c.example) [198.51.100.7]:43234 I=[192.0.2.2]:25 closed by EOF")
                .isIgnored()).isTrue();
        assertThat(parse("2026-12-02 02:45:00 [18709] no MAIL in SMTP connection from (c.example) [198.51.100.7]:43234 I=[192.0.2.2]:25 "
                + "D=0s C=EHLO,STARTTLS").isIgnored()).isTrue();
    }

    @Test
    void withoutPidsTheConnectionIsThePeersAddressAndPort() {
        ParsedLine failed = line("2026-12-02 02:45:00 TLS error on connection from (c.example) [198.51.100.7]:43234 "
                + "(gnutls_handshake): The TLS connection was non-properly terminated.");
        assertThat(failed.sessionId()).isEqualTo("198.51.100.7:43234");
        assertThat(parse("2026-12-02 02:45:00 no MAIL in SMTP connection from (c.example) [198.51.100.7]:43234 D=0s C=EHLO,STARTTLS")
                .isIgnored()).isTrue();
        ParsedLine another = line("2026-12-02 02:45:00 no MAIL in SMTP connection from (c.example) [198.51.100.7]:43240 D=0s C=EHLO,STARTTLS");
        assertThat(another.error()).isEqualTo("client gave up after STARTTLS");
    }

    @Test
    void aRepeatLongAfterTheEndIsANewConnection() {
        line("2026-12-02 02:45:00 [18709] TLS error on connection from [198.51.100.7]:43234 (gnutls_handshake): Error in the pull function.");
        ParsedLine later = line("2026-12-02 03:45:00 [18709] no MAIL in SMTP connection from [198.51.100.8]:5000 D=0s C=EHLO,STARTTLS");
        assertThat(later.event()).isEqualTo(LineEvent.TLS_FAILED);
    }

    @Test
    void anErrorAfterTheHandshakeLeavesTheConnectionOpenForItsLastLine() {
        ParsedLine alert = line("2026-12-02 02:46:00 [19579] TLS error on connection from [198.51.100.7]:44370 I=[192.0.2.2]:25 "
                + "(recv): A TLS fatal alert has been received: Certificate is bad");
        assertThat(alert.event()).isEqualTo(LineEvent.TLS_FAILED);
        assertThat(alert.closesSession()).isFalse();
        ParsedLine last = line("2026-12-02 02:46:00 [19579] no MAIL in SMTP connection from [198.51.100.7]:44370 I=[192.0.2.2]:25 D=0s "
                + "X=TLS1.3:ECDHE_SECP256R1__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no C=EHLO,STARTTLS");
        assertThat(last.event()).isEqualTo(LineEvent.TLS_ESTABLISHED);
        assertThat(last.sessionId()).isEqualTo(alert.sessionId());
    }

    @Test
    void aSecondMessageOverOneConnectionIsNotASecondAttempt() {
        line("2026-12-02 02:46:00 [19489] 1xYaMN-00054L-0D <= <> H=(c.example) [198.51.100.7]:42672 P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S=493");
        assertThat(parse("2026-12-02 02:46:01 [19489] 1xYaMN-00054M-0E <= <> H=(c.example) [198.51.100.7]:42672 P=esmtps "
                + "X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S=493").isIgnored()).isTrue();
    }

    @Test
    void starttlsFromAClientWhereItIsNotOfferedIsNotOffered() {
        ParsedLine l = line("2026-12-02 02:46:00 [19441] SMTP protocol error in \"STARTTLS\" H=(c.example) [198.51.100.7]:50574 "
                + "I=[192.0.2.2]:25 STARTTLS command used when not advertised");
        assertThat(l.event()).isEqualTo(LineEvent.STARTTLS_NOT_OFFERED);
        assertThat(l.outbound()).isFalse();
        assertThat(l.remoteIp()).isEqualTo("198.51.100.7");
        assertThat(parse("2026-12-02 02:46:00 [19441] no MAIL in SMTP connection from (c.example) [198.51.100.7]:50574 D=0s "
                + "C=EHLO,STARTTLS,QUIT").isIgnored()).isTrue();
    }

    @Test
    void anAclRejectionThatRequiresTlsIsStarttlsRequired() {
        ParsedLine in = line("2026-12-02 02:46:00 [24643] H=(c.example) [198.51.100.7]:59692 I=[192.0.2.2]:25 rejected MAIL "
                + "<probe@c.example>: 530 5.7.0 Must issue a STARTTLS command first");
        assertThat(in.event()).isEqualTo(LineEvent.STARTTLS_REQUIRED);
        assertThat(in.outbound()).isFalse();
        assertThat(in.tlsRequired()).isTrue();
        assertThat(in.error()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        assertThat(line("2026-12-02 02:46:00 H=[198.51.100.9] rejected RCPT <a@b.example>: encryption required").event())
                .isEqualTo(LineEvent.STARTTLS_REQUIRED);
        assertThat(parse("2026-12-02 02:46:00 H=[198.51.100.9] rejected RCPT <a@b.example>: relay not permitted").isIgnored()).isTrue();
    }

    @Test
    void aReplyThatRequiresTlsFailsTheDeliveryAsStarttlsRequired() {
        ParsedLine out = line("2026-12-02 02:46:00 [19520] 1xYaEN-0003W3-1F ** probe@plain.example R=r T=t H=mx.example [192.0.2.9]:25 "
                + "I=[192.0.2.2]:54776: SMTP error from remote mail server after pipelined end of data: 530 5.7.0 Must issue a STARTTLS command first DT=0s");
        assertThat(out.event()).isEqualTo(LineEvent.STARTTLS_REQUIRED);
        assertThat(out.outbound()).isTrue();
        assertThat(out.sessionId()).isEqualTo("1xYaEN-0003W3-1F/192.0.2.9");
    }

    @Test
    void hostsRequireTlsIsLoggedTwiceAndCountedOnce() {
        ParsedLine first = line("2026-12-02 02:46:00 [19561] 1xYaMQ-00055T-2J H=mx.example [192.0.2.9]:25: "
                + "a TLS session is required, but the server did not offer TLS support");
        assertThat(first.event()).isEqualTo(LineEvent.STARTTLS_NOT_OFFERED);
        assertThat(first.outbound()).isTrue();
        assertThat(first.tlsRequired()).isTrue();
        // the transport's line names no recipient: the session stays open for the delivery line, which does
        assertThat(first.closesSession()).isFalse();
        assertThat(first.policyDomain()).isNull();
        ParsedLine repeat = line("2026-12-02 02:46:00 [19560] 1xYaMQ-00055T-2J == probe@notls.example R=r T=t defer (-38) H=mx.example "
                + "[192.0.2.9]:25 I=[192.0.2.2]:36764 DT=0s: a TLS session is required, but the server did not offer TLS support");
        assertThat(repeat.event()).isEqualTo(LineEvent.DELIVERY);
        assertThat(repeat.sessionId()).isEqualTo(first.sessionId());
        assertThat(repeat.closesSession()).isTrue();
        assertThat(repeat.policyDomain()).isEqualTo("notls.example");
        // a second repeat is no new session
        assertThat(parse("2026-12-02 02:46:00 [19560] 1xYaMQ-00055T-2J ** probe@notls.example R=r T=t H=mx.example "
                + "[192.0.2.9]:25: a TLS session is required, but the server did not offer TLS support").isIgnored()).isTrue();
        ParsedLine refused = line("2026-12-02 02:46:00 [19595] 1xYaMT-000562-2O == probe@b.example R=r T=t defer (-38) H=mx.example "
                + "[192.0.2.9]:25 I=[192.0.2.2]:46808 DT=0s: a TLS session is required, but an attempt to start TLS failed");
        assertThat(refused.event()).isEqualTo(LineEvent.TLS_FAILED);
        assertThat(refused.error()).isEqualTo("a TLS session is required, but an attempt to start TLS failed");
    }

    @Test
    void aParserMadeAgainOnTheSameMemoryStillKnowsTheConnectionsItEnded() {
        String transport = "2026-12-02 02:46:00 [19561] 1xYaMQ-00055T-2J H=mx.example [192.0.2.9]:25: "
                + "a TLS session is required, but the server did not offer TLS support";
        String delivery = "2026-12-02 02:46:00 [19560] 1xYaMQ-00055T-2J == probe@notls.example R=r T=t defer (-38) H=mx.example "
                + "[192.0.2.9]:25 I=[192.0.2.2]:36764 DT=0s: a TLS session is required, but the server did not offer TLS support";
        String bounce = "2026-12-02 02:46:00 [19560] 1xYaMQ-00055T-2J ** probe@notls.example R=r T=t H=mx.example "
                + "[192.0.2.9]:25: a TLS session is required, but the server did not offer TLS support";
        StreamInfo stream = new StreamInfo(null, "mainlog", ZoneOffset.UTC, Instant.parse("2026-12-02T00:00:00Z").toEpochMilli());
        ParserMemory memory = ParserMemory.inMemory();
        assertThat(new EximLogParser(stream, memory).parse(transport, 1).line().closesSession()).isFalse();
        // a restart: the parser is made again, its memory is the engine's state
        EximLogParser again = new EximLogParser(stream, memory);
        ParsedLine repeat = again.parse(delivery, 2).line();
        assertThat(repeat.event()).isEqualTo(LineEvent.DELIVERY);
        assertThat(repeat.closesSession()).isTrue();
        assertThat(again.parse(bounce, 3).isIgnored()).isTrue();
        EximLogParser forgetful = new EximLogParser(stream, ParserMemory.inMemory());
        assertThat(forgetful.parse(delivery, 2).line().event()).as("what a parser that forgot would make of it")
                .isNotEqualTo(LineEvent.DELIVERY);
    }

    @Test
    void aDeliveryInClearOverSmtpIsStarttlsNotOffered() {
        ParsedLine clear = line("2026-12-02 02:46:00 [19566] 1xYaMR-00055Z-0f => probe@plain-ok.example R=r T=remote_smtp "
                + "H=mx.example [192.0.2.9]:25 I=[192.0.2.2]:36770 K C=\"250 OK id=1xYaMR-00055c-0k\" DT=0s");
        assertThat(clear.event()).isEqualTo(LineEvent.STARTTLS_NOT_OFFERED);
        assertThat(clear.tlsRequired()).isFalse();
        assertThat(clear.detail()).startsWith("=> probe@plain-ok.example R=r T=remote_smtp H=mx.example");
        assertThat(parse("2026-12-02 02:46:00 [19569] 1xYaMR-00055c-0k => :blackhole: <probe@plain-ok.example> R=arrived_over_smtp")
                .isIgnored()).isTrue();
    }

    @Test
    void openSslVerifyErrorsJoinTheDeliveryThatFails() {
        ParsedLine verify = line("2024-03-03 08:09:00 [6100] 1rgAbg-0001Y2-AF [192.0.2.83] SSL verify error: depth=0 "
                + "error=certificate has expired cert=/CN=mx.s.example");
        assertThat(verify.event()).isEqualTo(LineEvent.TLS_FAILED);
        assertThat(verify.outbound()).isTrue();
        assertThat(verify.closesSession()).isFalse();
        assertThat(verify.error()).isEqualTo("SSL verify error: depth=0 error=certificate has expired cert=/CN=mx.s.example");
        ParsedLine failed = line("2024-03-03 08:09:00 [6099] 1rgAbg-0001Y2-AF == e@s.example R=dnslookup T=remote_smtp defer (-37) "
                + "H=mx.s.example [192.0.2.83]: TLS session: (SSL_connect): error:0A000086:SSL routines::certificate verify failed");
        assertThat(failed.sessionId()).isEqualTo(verify.sessionId());
        ParsedLine inbound = line("2024-03-03 08:10:00 [6200] [198.51.100.7] SSL verify error: certificate name mismatch: "
                + "DN=\"/CN=x\" H=\"y\"");
        assertThat(inbound.outbound()).isFalse();
        assertThat(inbound.sessionId()).isEqualTo("6200");
    }
}
