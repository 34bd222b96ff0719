package io.tlsmon.logs.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ExchangeLogParserTest {
    static final String RECEIVE = "#Log-type: SMTP Receive Protocol Log";
    static final String SEND = "#Log-type: SMTP Send Protocol Log";
    static final String FIELDS =
            "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";
    static final String TIME = "2025-03-01T10:00:00.150Z";
    static final String RECV_CONNECTOR = "EX01\\Default Frontend EX01";
    static final String SEND_CONNECTOR = "Outbound to Internet";

    /** A parser of an offline stream (no source host) that has read the given header lines. */
    static ExchangeLogParser parser(String path, String... header) {
        ExchangeLogParser p = new ExchangeLogParser(StreamInfo.of(null, path));
        for (String h : header) {
            assertThat(p.parse(h, 1).isIgnored()).as(h).isTrue();
        }
        return p;
    }

    static String receiveLine(String event, String dataAndContext) {
        return TIME + "," + RECV_CONNECTOR + ",08DD58A1B2C30001,7,10.0.0.21:25,198.51.100.10:41001," + event + "," + dataAndContext;
    }

    static String sendLine(String event, String dataAndContext) {
        return TIME + "," + SEND_CONNECTOR + ",08DD58A1C0DE0001,7,10.0.0.21:50000,198.51.100.10:25," + event + "," + dataAndContext;
    }

    static ParseResult receive(String event, String dataAndContext) {
        return parser("in.log", RECEIVE, FIELDS).parse(receiveLine(event, dataAndContext), 42);
    }

    static ParseResult send(String event, String dataAndContext) {
        return parser("out.log", SEND, FIELDS).parse(sendLine(event, dataAndContext), 42);
    }

    static ParsedLine kept(ParseResult r) {
        assertThat(r.isLine()).as("kept: %s", r).isTrue();
        return r.line();
    }

    @Nested
    class Events {
        static Stream<Arguments> receiveEvents() {
            return Stream.of(
                    Arguments.of("+", ",", LineEvent.CONNECT),
                    Arguments.of("-", ",Local", LineEvent.DISCONNECT),
                    Arguments.of("<", "EHLO mx1.fabrikam.example,", LineEvent.EHLO),
                    Arguments.of("<", "HELO mx1.fabrikam.example,", LineEvent.EHLO),
                    Arguments.of("<", "ehlo mx1.fabrikam.example,", LineEvent.EHLO),
                    Arguments.of("<", "STARTTLS,", LineEvent.STARTTLS),
                    Arguments.of(">", "220 2.0.0 SMTP server ready,", LineEvent.STARTTLS_READY),
                    Arguments.of(">", "\"220 ex01.contoso.example Microsoft ESMTP MAIL Service ready at Sat, 01 Mar 2025 10:00:00 +0000\",",
                            LineEvent.GREETING),
                    Arguments.of(">", "250  ex01.contoso.example Hello [198.51.100.10] SIZE 37748736 PIPELINING STARTTLS,",
                            LineEvent.CAPABILITIES),
                    Arguments.of("<", "MAIL FROM:<a@fabrikam.example> SIZE=100,", LineEvent.MAIL_FROM),
                    Arguments.of(">", "451 5.7.3 Must issue a STARTTLS command first,", LineEvent.STARTTLS_REQUIRED),
                    Arguments.of(">", "530 5.7.0 Must issue a STARTTLS command first,", LineEvent.STARTTLS_REQUIRED),
                    Arguments.of(">", "454 4.7.0 TLS not available due to local problem,", LineEvent.TLS_FAILED),
                    Arguments.of("*", ",\"TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption algorithm "
                            + "CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits and key "
                            + "exchange algorithm CALG_ECDH_EPHEM with strength 256 bits\"", LineEvent.TLS_ESTABLISHED),
                    Arguments.of("*", ",TLS negotiation failed with error AlgorithmMismatch", LineEvent.TLS_FAILED),
                    Arguments.of("*", ",Client certificate chain validation status: 'EmptyCertificate'", LineEvent.CERTIFICATE),
                    Arguments.of("*", ",TlsDomainCapabilities='None'; Status='NoRemoteCertificate'", LineEvent.CERTIFICATE),
                    Arguments.of("*", " CN=ex01 CN=ex01 1234 ABCD,Sending certificate Subject Issuer name", LineEvent.CERTIFICATE),
                    // irrelevant commands, replies and information lines
                    Arguments.of(">", "EHLO mx1.fabrikam.example,", null),
                    Arguments.of("<", "220 2.0.0 SMTP server ready,", null),
                    Arguments.of("<", "STARTTLSX,", null),
                    Arguments.of("<", "RCPT TO:<j@contoso.example>,", null),
                    Arguments.of("<", "DATA,", null),
                    Arguments.of("<", "QUIT,", null),
                    Arguments.of("<", "AUTH LOGIN,", null),
                    Arguments.of("<", "X-ANONYMOUSTLS,", null),
                    Arguments.of(">", "250 2.1.0 Sender OK,", null),
                    Arguments.of(">", "250 2.1.5 Recipient OK,", null),
                    Arguments.of(">", "221 2.0.0 Closing connection.,", null),
                    Arguments.of(">", "334 <authentication response>,", null),
                    Arguments.of(">", "530 5.7.57 Client was not authenticated to send anonymous mail,", null),
                    Arguments.of("*", "SMTPSubmit SMTPAcceptAnySender,Set Session Permissions", null),
                    Arguments.of("*", ",Inbound AUTH LOGIN failed because of LogonDenied", null),
                    Arguments.of("*", "08DD58A1B2C30001;2025-03-01T10:00:00.000Z;1,receiving message", null));
        }

        @ParameterizedTest(name = "receive {0},{1} -> {2}")
        @MethodSource("receiveEvents")
        void receive_lines_map_to_events(String event, String rest, LineEvent expected) {
            ParseResult r = receive(event, rest);
            assertThat(r.isError()).as("%s", r).isFalse();
            if (expected == null) {
                assertThat(r.isIgnored()).as("%s", r).isTrue();
            } else {
                assertThat(kept(r).event()).isEqualTo(expected);
                assertThat(r.line().kind()).isEqualTo(SourceKind.EXCHANGE_RECEIVE);
                assertThat(r.line().outbound()).isFalse();
            }
        }

        static Stream<Arguments> sendEvents() {
            return Stream.of(
                    Arguments.of("+", ",", LineEvent.CONNECT),
                    Arguments.of("-", ",Local", LineEvent.DISCONNECT),
                    Arguments.of(">", "EHLO mail.contoso.example,", LineEvent.EHLO),
                    Arguments.of(">", "STARTTLS,", LineEvent.STARTTLS),
                    Arguments.of("<", "220 2.0.0 SMTP server ready,", LineEvent.STARTTLS_READY),
                    Arguments.of("<", "220 mx.fabrikam.example ESMTP Postfix,", LineEvent.GREETING),
                    Arguments.of("<", "250  mx.fabrikam.example Hello [10.0.0.21] SIZE 52428800 PIPELINING STARTTLS,",
                            LineEvent.CAPABILITIES),
                    Arguments.of("<", "250-mx.fabrikam.example PIPELINING SIZE 10240000,", LineEvent.CAPABILITIES),
                    Arguments.of(">", "MAIL FROM:<j@contoso.example> SIZE=20480,", LineEvent.MAIL_FROM),
                    Arguments.of("<", "451 5.7.3 Must issue a STARTTLS command first,", LineEvent.STARTTLS_REQUIRED),
                    Arguments.of("*", ",TLS negotiation failed with error UnknownCredentials", LineEvent.TLS_FAILED),
                    Arguments.of("*", ",Sending certificate", LineEvent.CERTIFICATE),
                    Arguments.of("*", ",Received certificate", LineEvent.CERTIFICATE),
                    Arguments.of("*", ",Remote certificate", LineEvent.CERTIFICATE),
                    Arguments.of("*", "\"CN=Trusted CA 5, O=Corp\",Certificate issuer name", LineEvent.CERTIFICATE),
                    Arguments.of("*", "ABCDEF,Certificate serial number", LineEvent.CERTIFICATE),
                    Arguments.of("*", "ABCDEF,Certificate thumbprint", LineEvent.CERTIFICATE),
                    Arguments.of("*", "*.contoso.example;contoso.example,Certificate alternate names", LineEvent.CERTIFICATE),
                    Arguments.of("*", "CN=mail.contoso.example,Certificate subject", LineEvent.CERTIFICATE),
                    // mirrored: these directions are not ours to map
                    Arguments.of("<", "EHLO mail.contoso.example,", null),
                    Arguments.of("<", "STARTTLS,", null),
                    Arguments.of(">", "220 2.0.0 SMTP server ready,", null),
                    Arguments.of("<", "250 2.1.0 Sender OK,", null),
                    Arguments.of("<", "250 2.6.0 <A1@contoso.example> Queued mail for delivery,", null),
                    Arguments.of("<", "250 OK,", null),
                    Arguments.of(">", "RCPT TO:<x@fabrikam.example>,", LineEvent.OTHER),
                    Arguments.of(">", "BDAT 20480 LAST,", null),
                    Arguments.of("*", ",attempting to connect", null),
                    Arguments.of("*", "None,Set Session Permissions", null));
        }

        @ParameterizedTest(name = "send {0},{1} -> {2}")
        @MethodSource("sendEvents")
        void send_lines_map_to_mirrored_events(String event, String rest, LineEvent expected) {
            ParseResult r = send(event, rest);
            assertThat(r.isError()).as("%s", r).isFalse();
            if (expected == null) {
                assertThat(r.isIgnored()).as("%s", r).isTrue();
            } else {
                assertThat(kept(r).event()).isEqualTo(expected);
                assertThat(r.line().kind()).isEqualTo(SourceKind.EXCHANGE_SEND);
                assertThat(r.line().outbound()).isTrue();
            }
        }

        @Test
        void connect_opens_and_disconnect_closes_with_its_reason() {
            assertThat(kept(receive("+", ",")).opensSession()).isTrue();
            ParsedLine dropped = kept(receive("-", ",Remote(SocketError)"));
            assertThat(dropped.closesSession()).isTrue();
            assertThat(dropped.error()).isEqualTo("Remote(SocketError)");
            assertThat(kept(receive("-", ",Remote(TimedOut)")).error()).isEqualTo("Remote(TimedOut)");
            assertThat(kept(send("-", ",")).error()).isNull();
        }

        @Test
        void our_rcpt_to_names_the_policy_domain_and_theirs_is_ignored() {
            assertThat(kept(send(">", "RCPT TO:<Ann@Fabrikam.Example> NOTIFY=NEVER,")).policyDomain()).isEqualTo("fabrikam.example");
            assertThat(kept(send(">", "rcpt to: <x@fabrikam.example.>,")).policyDomain()).isEqualTo("fabrikam.example");
            assertThat(kept(send(">", "RCPT TO:<postmaster>,")).policyDomain()).isNull();
            assertThat(receive("<", "RCPT TO:<j@contoso.example>,").isIgnored()).isTrue();
        }

        @Test
        void inbound_ehlo_names_the_client_but_outbound_ehlo_is_our_own_name() {
            assertThat(kept(receive("<", "EHLO mx1.fabrikam.example,")).remoteHost()).isEqualTo("mx1.fabrikam.example");
            assertThat(kept(receive("<", "EHLO [95.10.20.33],")).remoteHost()).isEqualTo("[95.10.20.33]");
            assertThat(kept(receive("<", "EHLO,")).remoteHost()).isNull();
            assertThat(kept(send(">", "EHLO mail.contoso.example,")).remoteHost()).isNull();
        }

        @ParameterizedTest(name = "send banner {0} -> {1}")
        @CsvSource(delimiter = '|', nullValues = "null", value = {
            "\"220 AM4PEPF00027A5F.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sat, 01 Mar 2025 12:05:00 +0000\"|AM4PEPF00027A5F.mail.protection.outlook.com",
            "\"220 Microsoft ESMTP MAIL Service ready at Tue, 19 Jul 2016 12:13:14 +0000\"|null",
            "220 mx.fabrikam.example ESMTP Postfix|mx.fabrikam.example",
            "220-mx.fabrikam.example ESMTP|mx.fabrikam.example",
            "220 [192.0.2.1] ESMTP|null",
        })
        void outbound_greeting_names_the_peer_when_the_banner_starts_with_a_host_name(String banner, String host) {
            ParsedLine line = kept(send("<", banner + ","));
            assertThat(line.event()).isEqualTo(LineEvent.GREETING);
            assertThat(line.remoteHost()).isEqualTo(host);
        }

        @Test
        void inbound_greeting_is_our_own_banner() {
            assertThat(kept(receive(">", "220 ex01.contoso.example Microsoft ESMTP MAIL Service ready,")).remoteHost()).isNull();
        }

        @ParameterizedTest(name = "{0} -> starttlsOffered {1}")
        @CsvSource(delimiter = '|', value = {
            "250  mx.fabrikam.example Hello [10.0.0.21] SIZE 52428800 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME|true",
            "250  legacy.example Hello [10.0.0.21] SIZE 10485760 PIPELINING 8BITMIME|false",
            "250-STARTTLS|true",
            "250  mx.example Hello [10.0.0.21] SIZE 1 X-ANONYMOUSTLS XSTARTTLS|false",
        })
        void capabilities_say_whether_starttls_was_offered(String reply, boolean offered) {
            ParsedLine line = kept(send("<", reply + ","));
            assertThat(line.event()).isEqualTo(LineEvent.CAPABILITIES);
            assertThat(line.starttlsOffered()).isEqualTo(offered);
        }

        @Test
        void starttls_first_replies_mark_tls_as_required_and_keep_the_reply() {
            ParsedLine in = kept(receive(">", "451 5.7.3 Must issue a STARTTLS command first,"));
            assertThat(in.tlsRequired()).isTrue();
            assertThat(in.error()).isEqualTo("451 5.7.3 Must issue a STARTTLS command first");
            assertThat(kept(send("<", "451 5.7.3 Must issue a STARTTLS command first,")).tlsRequired()).isTrue();
        }

        @ParameterizedTest(name = "{0} -> {1} {2}")
        @CsvSource(delimiter = '|', nullValues = "null", value = {
            "SP_PROT_TLS1_2_SERVER|TLSv1.2|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "SP_PROT_TLS1_2_CLIENT|TLSv1.2|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "SP_PROT_TLS1_3_SERVER|TLSv1.3|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "SP_PROT_TLS1_1_CLIENT|TLSv1.1|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "SP_PROT_TLS1_0_SERVER|TLSv1|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "SP_PROT_SSL3_CLIENT|SSLv3|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "2048|TLSv1.2|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "1024|TLSv1.2|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "0x800|TLSv1.2|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "4096|TLSv1.3|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "8192|TLSv1.3|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "64|TLSv1|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "128|TLSv1|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "256|TLSv1.1|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "512|TLSv1.1|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "16|SSLv3|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "32|SSLv3|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "16384|null|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
            "SP_PROT_DTLS1_2_SERVER|null|CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM",
        })
        void established_normalises_the_protocol_and_joins_the_algorithms(String protocol, String version, String cipher) {
            ParsedLine line = kept(receive("*", ",\"TLS protocol " + protocol + " negotiation succeeded using bulk encryption "
                    + "algorithm CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits and "
                    + "key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits\""));
            assertThat(line.event()).isEqualTo(LineEvent.TLS_ESTABLISHED);
            assertThat(line.tlsVersion()).isEqualTo(version);
            assertThat(line.cipher()).isEqualTo(cipher);
            assertThat(line.detail()).isEqualTo(protocol);
        }

        @Test
        void exchange_2010_short_form_has_only_the_bulk_algorithm() {
            ParsedLine line = kept(receive("*", ",TLS protocol SP_PROT_TLS1_0_SERVER negotiation succeeded using bulk "
                    + "encryption algorithm CALG_RC4 with strength 128 bits"));
            assertThat(line.tlsVersion()).isEqualTo("TLSv1");
            assertThat(line.cipher()).isEqualTo("CALG_RC4");
        }

        @Test
        void success_text_is_accepted_in_data_too() {
            ParsedLine line = kept(send("*", "\"TLS protocol SP_PROT_TLS1_2_CLIENT negotiation succeeded using bulk encryption "
                    + "algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and "
                    + "key exchange algorithm CALG_ECDHE with strength 256 bits\","));
            assertThat(line.tlsVersion()).isEqualTo("TLSv1.2");
            assertThat(line.cipher()).isEqualTo("CALG_AES_256/CALG_SHA_384/CALG_ECDHE");
        }

        @Test
        void a_tls_protocol_line_that_is_not_a_success_is_an_error_with_the_text() {
            ParseResult r = receive("*", ",TLS protocol SP_PROT_TLS1_2_SERVER something else");
            assertThat(r.isError()).isTrue();
            assertThat(r.error()).contains("unrecognised TLS protocol line").contains("something else");
        }

        @ParameterizedTest
        @CsvSource({"AlgorithmMismatch", "SocketError", "UnknownCredentials", "NoCredentials", "IllegalMessage",
            "UntrustedRoot", "CertExpired", "WrongPrincipal", "SomeFutureName"})
        void failure_keeps_the_error_name_verbatim(String name) {
            ParsedLine line = kept(send("*", ",TLS negotiation failed with error " + name));
            assertThat(line.event()).isEqualTo(LineEvent.TLS_FAILED);
            assertThat(line.error()).isEqualTo(name);
        }

        @Test
        void failure_text_is_accepted_in_data_too() {
            assertThat(kept(send("*", "TLS negotiation failed with error CertExpired,")).error()).isEqualTo("CertExpired");
        }

        @Test
        void certificate_details_read_label_then_value() {
            assertThat(kept(send("*", "\"CN=Trusted CA 5, O=Corp\",Certificate issuer name")).detail())
                    .isEqualTo("Certificate issuer name: CN=Trusted CA 5, O=Corp");
            assertThat(kept(send("*", ",Sending certificate")).detail()).isEqualTo("Sending certificate");
            assertThat(kept(receive("*", ",Client certificate chain validation status: 'UntrustedRoot'")).detail())
                    .isEqualTo("Client certificate chain validation status: 'UntrustedRoot'");
            assertThat(kept(receive("*", "TlsDomainCapabilities='None'; Status='NoRemoteCertificate',")).detail())
                    .isEqualTo("TlsDomainCapabilities='None'; Status='NoRemoteCertificate'");
            assertThat(kept(receive("*", " CN=ex01 CN=CA 12AB,Sending certificate Subject Issuer name")).detail())
                    .isEqualTo("Sending certificate Subject Issuer name: CN=ex01 CN=CA 12AB");
        }
    }

    @Nested
    class Fields {
        @Test
        void common_fields_come_from_the_line_and_the_stream() {
            ParsedLine line = kept(receive("<", "STARTTLS,"));
            assertThat(line.time()).isEqualTo(Instant.parse(TIME).toEpochMilli());
            assertThat(line.sessionId()).isEqualTo("08DD58A1B2C30001");
            assertThat(line.sequence()).isEqualTo(7);
            assertThat(line.connector()).isEqualTo(RECV_CONNECTOR);
            assertThat(line.server()).isEqualTo("EX01");
            assertThat(line.localEndpoint()).isEqualTo("10.0.0.21:25");
            assertThat(line.remoteIp()).isEqualTo("198.51.100.10");
            assertThat(line.remotePort()).isEqualTo(41001);
            assertThat(line.source()).isEqualTo("in.log");
            assertThat(line.lineNumber()).isEqualTo(42);
        }

        @Test
        void source_host_wins_over_the_connector_prefix_and_send_lines_have_no_server_without_it() {
            ExchangeLogParser shipped = new ExchangeLogParser(StreamInfo.of("ex01.contoso.example", "RECV2025030110-1.LOG"));
            assertThat(kept(shipped.parse(receiveLine("<", "STARTTLS,"), 1)).server()).isEqualTo("ex01.contoso.example");
            assertThat(kept(send(">", "STARTTLS,")).server()).isNull();
            ExchangeLogParser shippedSend = new ExchangeLogParser(StreamInfo.of("ex01", "SEND2025030110-1.LOG"));
            assertThat(kept(shippedSend.parse(sendLine(">", "STARTTLS,"), 1)).server()).isEqualTo("ex01");
        }

        @ParameterizedTest(name = "date-time {0}")
        @CsvSource(delimiter = '|', value = {
            "2025-03-01T10:00:00.150Z|2025-03-01T10:00:00.150Z",
            "2025-03-01T10:00:00Z|2025-03-01T10:00:00Z",
            "2025-03-01T10:00:00.1Z|2025-03-01T10:00:00.100Z",
            "2025-03-01T10:00:00.1234567Z|2025-03-01T10:00:00.123Z",
            "2024-02-29T23:59:59.999Z|2024-02-29T23:59:59.999Z",
            "1999-12-31T00:00:00.000Z|1999-12-31T00:00:00.000Z",
        })
        void date_time_is_read_to_epoch_millis(String text, String iso) {
            ParsedLine line = kept(parser("in.log", RECEIVE).parse(
                    text + "," + RECV_CONNECTOR + ",08DD58A1B2C30001,1,10.0.0.21:25,198.51.100.10:41001,+,,", 1));
            assertThat(line.time()).isEqualTo(Instant.parse(iso).toEpochMilli());
        }

        static Stream<Arguments> endpoints() {
            return Stream.of(
                    Arguments.of("198.51.100.10:41001", "198.51.100.10", 41001),
                    Arguments.of("[2001:db8:99::7]:50123", "2001:db8:99::7", 50123),
                    Arguments.of("[2001:db8:99::7]", "2001:db8:99::7", -1),
                    Arguments.of("2001:db8:99::7", "2001:db8:99::7", -1),
                    Arguments.of("198.51.100.10", "198.51.100.10", -1),
                    Arguments.of("198.51.100.10:99999", "198.51.100.10", -1),
                    Arguments.of("", null, -1));
        }

        @ParameterizedTest(name = "remote-endpoint ''{0}''")
        @MethodSource("endpoints")
        void remote_endpoint_forms(String endpoint, String ip, int port) {
            ParsedLine line = kept(parser("out.log", SEND).parse(
                    TIME + ",Outbound to Internet,08DD58A1C0DE0001,2,," + endpoint + ",>,STARTTLS,", 1));
            assertThat(line.remoteIp()).isEqualTo(ip);
            assertThat(line.remotePort()).isEqualTo(port);
            assertThat(line.localEndpoint()).as("empty local endpoint").isNull();
        }

        @Test
        void ipv6_local_endpoint_is_kept_as_written() {
            ParsedLine line = kept(parser("in.log", RECEIVE).parse(TIME + "," + RECV_CONNECTOR
                    + ",08DD58A1B2C3000A,5,[2001:db8:10::21]:25,[2001:db8:99::7]:50123,<,STARTTLS,", 1));
            assertThat(line.localEndpoint()).isEqualTo("[2001:db8:10::21]:25");
        }

        @Test
        void localised_connector_names_are_kept_in_utf8() {
            ParsedLine line = kept(parser("out.log", SEND).parse(
                    TIME + ",组织内 SMTP 发送连接器,08DD59A2E1000001,3,10.0.0.21:50200,10.0.0.22:25,>,STARTTLS,", 1));
            assertThat(line.connector()).isEqualTo("组织内 SMTP 发送连接器");
        }
    }

    @Nested
    class Quirks {
        @Test
        void quoted_fields_hold_commas_and_doubled_quotes() {
            ParsedLine line = kept(receive("<", "\"MAIL FROM:<\"\"scan,dept\"\"@contoso.example> SIZE=1024\","));
            assertThat(line.event()).isEqualTo(LineEvent.MAIL_FROM);
            ParsedLine cert = kept(send("*", "\"CN=\"\"Quoted, Inc\"\", C=US\",Certificate subject"));
            assertThat(cert.detail()).isEqualTo("Certificate subject: CN=\"Quoted, Inc\", C=US");
        }

        @Test
        void a_quoted_connector_id_is_unquoted() {
            ParsedLine line = kept(parser("out.log", SEND).parse(
                    TIME + ",\"Partner, TLS\",08DD58A1C0DE0001,2,,198.51.100.10:25,>,STARTTLS,", 1));
            assertThat(line.connector()).isEqualTo("Partner, TLS");
        }

        @Test
        void byte_order_mark_is_skipped_on_header_and_data_lines() {
            ExchangeLogParser p = parser("x.log", "\uFEFF# composed", "#Log-type: SMTP Send Protocol Log");
            ExchangeLogParser bomHeader = parser("x.log", "\uFEFF#Log-type: SMTP Receive Protocol Log");
            // the header with a BOM still counts: a send-looking connector is read as receive
            assertThat(kept(bomHeader.parse(sendLine("<", "STARTTLS,"), 2)).kind()).isEqualTo(SourceKind.EXCHANGE_RECEIVE);
            assertThat(kept(p.parse("\uFEFF" + sendLine(">", "STARTTLS,"), 3)).event()).isEqualTo(LineEvent.STARTTLS);
        }

        @Test
        void trailing_carriage_return_is_dropped() {
            ParsedLine line = kept(receive("-", ",Remote(SocketError)\r"));
            assertThat(line.error()).isEqualTo("Remote(SocketError)");
            assertThat(kept(send("<", "220 2.0.0 SMTP server ready,\r")).event()).isEqualTo(LineEvent.STARTTLS_READY);
            assertThat(parser("x.log").parse("#Log-type: SMTP Send Protocol Log\r", 1).isIgnored()).isTrue();
        }

        @Test
        void a_missing_trailing_comma_is_tolerated() {
            assertThat(kept(receive("<", "STARTTLS")).event()).isEqualTo(LineEvent.STARTTLS);
            assertThat(kept(receive("-", "")).error()).isNull();
        }

        @Test
        void reordered_and_extra_columns_follow_the_fields_header() {
            ExchangeLogParser p = parser("in.log", RECEIVE,
                    "#Fields: session-id,event,date-time,x-new-field,data,context,sequence-number,remote-endpoint,connector-id,local-endpoint");
            ParsedLine line = kept(p.parse("08DD58A1B2C30001,<,2025-03-01T10:00:00.150Z,extra,EHLO mx1.fabrikam.example,,3,"
                    + "198.51.100.10:41001,EX01\\Default Frontend EX01,10.0.0.21:25", 5));
            assertThat(line.event()).isEqualTo(LineEvent.EHLO);
            assertThat(line.remoteHost()).isEqualTo("mx1.fabrikam.example");
            assertThat(line.sequence()).isEqualTo(3);
            assertThat(line.remotePort()).isEqualTo(41001);
            assertThat(line.localEndpoint()).isEqualTo("10.0.0.21:25");
            assertThat(line.server()).isEqualTo("EX01");
        }

        @Test
        void fields_header_without_a_required_column_makes_lines_errors_that_say_so() {
            ExchangeLogParser p = parser("in.log", RECEIVE, "#Fields: date-time,connector-id,sequence-number,event,data,context");
            ParseResult r = p.parse("2025-03-01T10:00:00.150Z,EX01\\Default,1,<,STARTTLS,", 2);
            assertThat(r.error()).isEqualTo("the #Fields header has no session-id column");
        }

        @Test
        void blank_lines_and_unknown_hash_lines_are_ignored() {
            ExchangeLogParser p = parser("in.log");
            assertThat(p.parse("", 1).isIgnored()).isTrue();
            assertThat(p.parse("   \r", 2).isIgnored()).isTrue();
            assertThat(p.parse("# composed from the documented format", 3).isIgnored()).isTrue();
            assertThat(p.parse("#Software: Microsoft Exchange Server", 4).isIgnored()).isTrue();
            assertThat(p.parse("#Version: 14.0.0.0", 5).isIgnored()).isTrue();
        }

        @Test
        void lines_of_another_exchange_log_type_are_ignored() {
            ExchangeLogParser p = parser("MSGTRK2025030110-1.LOG", "#Log-type: Message Tracking Log",
                    "#Fields: date-time,client-ip,client-hostname,server-ip");
            assertThat(p.parse("2025-03-01T10:00:00.000Z,10.0.0.1,host,10.0.0.2", 3).isIgnored()).isTrue();
        }
    }

    @Nested
    class SendOrReceive {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "RECV2025030110-1.LOG, EXCHANGE_RECEIVE",
            "/logs/ex01/recv20250301-1.log, EXCHANGE_RECEIVE",
            "C:\\Logs\\Hub\\ProtocolLog\\SmtpReceive\\x.log, EXCHANGE_RECEIVE",
            "/mnt/ex01/FrontEnd/ProtocolLog/SmtpReceive/current.log, EXCHANGE_RECEIVE",
            "SEND2025030110-1.LOG, EXCHANGE_SEND",
            "/mnt/ex01/Mailbox/ProtocolLog/SmtpSend/Delivery/x.log, EXCHANGE_SEND",
        })
        void without_a_header_the_path_decides(String path, SourceKind kind) {
            // the connector says the opposite of the path for half of these; the path wins
            ExchangeLogParser p = parser(path);
            String line = kind == SourceKind.EXCHANGE_RECEIVE ? sendLine("<", "STARTTLS,") : receiveLine(">", "STARTTLS,");
            assertThat(kept(p.parse(line, 1)).kind()).isEqualTo(kind);
        }

        @Test
        void the_log_type_header_wins_over_the_path() {
            ExchangeLogParser p = parser("SEND2025030110-1.LOG", RECEIVE);
            assertThat(kept(p.parse(sendLine("<", "STARTTLS,"), 2)).kind()).isEqualTo(SourceKind.EXCHANGE_RECEIVE);
        }

        @Test
        void without_header_or_path_a_backslash_in_the_connector_means_receive_else_send() {
            ExchangeLogParser p = parser("stdin");
            assertThat(kept(p.parse(receiveLine("<", "STARTTLS,"), 1)).kind()).isEqualTo(SourceKind.EXCHANGE_RECEIVE);
            assertThat(kept(p.parse(sendLine(">", "STARTTLS,"), 2)).kind()).isEqualTo(SourceKind.EXCHANGE_SEND);
        }

        @Test
        void nothing_to_decide_by_is_an_error() {
            ParseResult r = parser("stdin").parse(TIME + ",,08DD58A1C0DE0001,1,,198.51.100.10:25,>,STARTTLS,", 1);
            assertThat(r.error()).startsWith("cannot tell send from receive: no #Log-type header");
        }
    }

    @Nested
    class Errors {
        @ParameterizedTest(name = "date-time ''{0}''")
        @CsvSource(delimiter = '|', value = {
            "Date/Time.ConnectorId", "016-07-19T12:13:14.863Z", "2025-13-01T10:00:00.000Z", "2025-02-30T10:00:00.000Z",
            "2025-03-01T24:00:00.000Z", "2025-03-01 10:00:00.000Z", "2025-03-01T10:00:00.000", "2025-03-01T10:00:00.Z",
            "2025-03-01T10:00:00.1x2Z", "2025-03-01T10:00:00+01:00",
        })
        void bad_date_time(String date) {
            ParseResult r = parser("in.log", RECEIVE).parse(date + "," + RECV_CONNECTOR + ",08DD,1,a:1,b:2,<,STARTTLS,", 1);
            assertThat(r.error()).isEqualTo("bad date-time '" + date + "'");
        }

        @Test
        void bad_date_time_is_reported_on_irrelevant_lines_too() {
            ParseResult r = parser("in.log", RECEIVE).parse("yesterday," + RECV_CONNECTOR + ",08DD,1,a:1,b:2,<,RCPT TO:<a@b>,", 1);
            assertThat(r.error()).isEqualTo("bad date-time 'yesterday'");
        }

        @ParameterizedTest(name = "sequence-number ''{0}''")
        @CsvSource(delimiter = '|', emptyValue = "", value = {"x", "-1", "1.5", "''", "12345678901234567890", "SessionId"})
        void bad_sequence_number(String sequence) {
            ParseResult r = parser("in.log", RECEIVE).parse(TIME + "," + RECV_CONNECTOR + ",08DD," + sequence + ",a:1,b:2,<,STARTTLS,", 1);
            assertThat(r.error()).isEqualTo("bad sequence-number '" + sequence + "'");
        }

        @Test
        void too_few_fields_names_the_count() {
            ParseResult r = parser("in.log", RECEIVE).parse("LastError : [{LED=451 4.4.397 Error}]", 1);
            assertThat(r.error()).isEqualTo("too few fields: 1, expected 9");
            ParseResult seven = parser("in.log", RECEIVE).parse(TIME + "," + RECV_CONNECTOR + ",08DD,1,a:1,b:2,<", 2);
            assertThat(seven.error()).isEqualTo("too few fields: 7, expected 9");
        }

        @Test
        void too_many_fields_are_broken_quoting_not_extra_data() {
            // a blog copy with typographic quotes: the banner's comma splits the field
            ParseResult r = send("<", "\u201D220 Microsoft ESMTP MAIL Service ready at Tue, 19 Jul 2016 12:13:14 +0000\u2033,");
            assertThat(r.error()).isEqualTo("too many fields: 10, expected 9 (a comma outside quotes?)");
        }

        @ParameterizedTest(name = "event ''{0}''")
        @CsvSource(delimiter = '|', emptyValue = "", value = {"\\*", "''", "**", "x", "#"})
        void unknown_event(String event) {
            ParseResult r = parser("in.log", RECEIVE).parse(TIME + "," + RECV_CONNECTOR + ",08DD,1,a:1,b:2," + event + ",,", 1);
            assertThat(r.error()).startsWith("unknown event '" + event + "'");
        }

        @Test
        void broken_quoting() {
            assertThat(receive(">", "\"220 ready, never closed,").error()).isEqualTo("unterminated quoted field 8");
            assertThat(receive(">", "\"220 ready\"x,").error())
                    .isEqualTo("unexpected character after the closing quote of field 8");
        }

        @Test
        void empty_session_id() {
            ParseResult r = parser("in.log", RECEIVE).parse(TIME + "," + RECV_CONNECTOR + ",,1,a:1,b:2,<,STARTTLS,", 1);
            assertThat(r.error()).isEqualTo("empty session-id");
        }

        @Test
        void null_line_is_an_error_not_an_exception() {
            assertThat(parser("in.log").parse(null, 1).error()).isNotBlank();
        }

        @Test
        void long_values_are_clipped_in_reasons() {
            String date = "x".repeat(500);
            ParseResult r = parser("in.log", RECEIVE).parse(date + "," + RECV_CONNECTOR + ",08DD,1,a:1,b:2,<,STARTTLS,", 1);
            assertThat(r.error()).hasSizeLessThan(120).startsWith("bad date-time 'xxx").endsWith("...'");
        }
    }
}
