package io.tlsmon.classify;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProbableCauseTest {
    private static final Long SEEN_DEPRECATED = 1L;

    private static NegotiationAttempt.Builder attemptTowards(String host, Outcome outcome) {
        return NegotiationAttempt.newBuilder().setId("x").setServer("ex1").setSourceKind("exchange-send")
                .setDirection(Direction.outbound).setSessionId("08D5").setRemoteHost(host).setRemoteIp("52.101.0.1")
                .setStartTime(Instant.EPOCH).setEndTime(Instant.EPOCH).setOutcome(outcome)
                .setEvidence(List.of());
    }

    private static NegotiationAttempt dropTowards(String host) {
        return attemptTowards(host, Outcome.CONNECTION_DROPPED).build();
    }

    @Test
    void aDropTowardsExchangeOnlineFromADeprecatedSenderIsProbablyAVersionRejection() {
        assertThat(ProbableCause.infer(dropTowards("contoso-com.mail.protection.outlook.com"), SEEN_DEPRECATED))
                .isEqualTo(Outcome.PROTOCOL_VERSION_REJECTED);
    }

    @Test
    void withoutDeprecatedHistoryOrTowardsAnotherPeerThereIsNoProbableCause() {
        assertThat(ProbableCause.infer(dropTowards("contoso-com.mail.protection.outlook.com"), null)).isNull();
        assertThat(ProbableCause.infer(dropTowards("mx.example.net"), SEEN_DEPRECATED)).isNull();
        assertThat(ProbableCause.infer(dropTowards(null), SEEN_DEPRECATED)).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = "CONNECTION_DROPPED", mode = EnumSource.Mode.EXCLUDE)
    void onlyADropGetsAProbableCause(Outcome outcome) {
        assertThat(ProbableCause.infer(attemptTowards("contoso-com.mail.protection.outlook.com", outcome).build(), SEEN_DEPRECATED))
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "contoso-com.mail.protection.outlook.com",           // worldwide
            "contoso-com.olc.protection.outlook.com",            // other worldwide service names
            "mail.protection.outlook.com",
            "contoso-de.mail.protection.outlook.de",             // Microsoft Cloud Deutschland
            "contoso-cn.mail.protection.partner.outlook.cn",     // 21Vianet
            "contoso-us.mail.protection.office365.us",           // GCC High / DoD
            "CONTOSO-COM.Mail.Protection.Outlook.COM",           // DNS names are case-insensitive
            "contoso-com.mail.protection.outlook.com.",          // fully qualified, with the root dot
            "contoso-us.mail.protection.office365.us."})
    void exchangeOnlineIsRecognisedInEveryCloud(String host) {
        assertThat(ProbableCause.isExchangeOnline(host)).isTrue();
        assertThat(ProbableCause.infer(dropTowards(host), SEEN_DEPRECATED)).isEqualTo(Outcome.PROTOCOL_VERSION_REJECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "mx.example.net",
            "protection.outlook.com",                            // the suffix alone names no endpoint
            "contoso-com.mail.protection.outlook.com.evil.example",
            "evilprotection.outlook.com",
            "contoso.protection.outlook.de",                     // in that cloud only mail.protection
            "contoso.outlook.cn",
            "contoso.office365.us",
            "contoso-com.mail.protection.outlook.com..",
            ""})
    void otherHostsAreNot(String host) {
        assertThat(ProbableCause.isExchangeOnline(host)).isFalse();
    }

    @Test
    void noHostIsNotExchangeOnline() {
        assertThat(ProbableCause.isExchangeOnline(null)).isFalse();
    }

    @Test
    void theHistoryOfAnOutboundAttemptIsItsServersAndOfAnInboundOneItsClientsAddress() {
        assertThat(ProbableCause.historyKey(dropTowards("x"))).isEqualTo("host:ex1");
        NegotiationAttempt inbound = attemptTowards("mail.sender.example", Outcome.CONNECTION_DROPPED)
                .setDirection(Direction.inbound).setRemoteIp("198.51.100.7").build();
        assertThat(ProbableCause.historyKey(inbound)).isEqualTo("ip:198.51.100.7");
    }

    @Test
    void anInboundDropFromAnExchangeOnlineClientHasNoProbableCause() {
        // Exchange Online refuses old protocols as a server; as a client it is ours that would refuse
        NegotiationAttempt fromExo = attemptTowards("contoso-com.mail.protection.outlook.com", Outcome.CONNECTION_DROPPED)
                .setDirection(Direction.inbound).setServer("mx1").setSourceKind("postfix-smtpd").build();
        assertThat(ProbableCause.infer(fromExo, SEEN_DEPRECATED)).isNull();
    }
}
