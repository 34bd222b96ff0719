package io.tlsmon.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FormatDetectorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // Postfix in every envelope, RFC 5424 with and without priority included
            "Mar  1 12:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]| POSTFIX",
            "Mar 01 12:00:00 mx1 postfix/submission/smtpd[99]: hello| POSTFIX",
            "2024-03-01T12:00:00.123456+01:00 mx1 postfix-in/smtp[5]: x| POSTFIX",
            "<22>1 2026-11-29T07:39:04.000000+00:00 mx postfix/smtpd 14532 - - connect from unknown[192.0.2.1]| POSTFIX",
            "1 2026-11-29T07:39:04.000000+00:00 mx postfix/smtpd 14532 - - connect from unknown[192.0.2.1]| POSTFIX",
            "Mar  1 12:00:00 postfix/smtpd[1]: no host in a local log| POSTFIX",
            // Sendmail, Exim
            "Mar  1 12:00:00 mx1 sendmail[42]: STARTTLS=client, relay=x, version=TLSv1.2, verify=OK| SENDMAIL",
            "<13>Mar  1 12:00:00 mx1 sm-mta[8]: q1: from=<a@b>| SENDMAIL",
            "Mar  1 12:00:00 mx1 exim4[3]: 2024-03-01 12:00:00 1abcDE-000123-AB Completed| EXIM",
            "2024-03-01 12:00:00 1abcDE-000123-AB <= a@b.example H=mx.b.example [192.0.2.1]| EXIM",
            "2024-03-01 12:00:00 +0100 [4242] TLS error on connection from x [192.0.2.2] (SSL_accept): timed out| EXIM",
            "mx1 exim[99]: 2024-03-01 12:00:03 TLS error on connection to y [198.51.100.2] (SSL_connect): error| EXIM",
            // Exchange: a CSV line or its own header
            "2023-01-11T15:59:51.433Z,EX01\\Default Frontend EX01,08D5,0,10.0.0.5:25,192.0.2.7:50123,+,,| EXCHANGE",
            "\uFEFF2023-01-11T15:59:51.433Z,Outbound to Office 365,08D5,1,,,*,,attempting to connect| EXCHANGE",
            "#Software: Microsoft Exchange Server| EXCHANGE",
            "#Log-type: SMTP Send Protocol Log| EXCHANGE",
            // other programs vote for nothing, whatever their text says
            "Mar  1 12:00:00 mx1 CRON[7]: (root) CMD (/usr/sbin/postfix[1]: check)| null",
            "Mar  1 12:00:00 mx1 dovecot: imap-login: Login: user=<postfix@x>, rip=192.0.2.1| null",
            "<30>1 2024-03-01T12:00:00Z mx1 systemd 1 - - Started Postfix Mail Transport Agent (instance -).| null",
            "Mar  1 12:00:00 mx1 amavis[5]: (12345-01) Passed CLEAN, [192.0.2.1] <a@b> -> <c@d>, STARTTLS=client| null",
            "Mar  1 12:00:00 mx1 last message repeated 3 times| null",
            // no log line of ours at all
            "#Fields: date time s-ip cs-method| null",
            "2024-03-01T12:00:00,foo,bar| null",
            "STARTTLS=client, relay=x, version=TLSv1.2| null",
            "| null",
    })
    void eachLineVotesForTheFormatItsProgramOrShapeSays(String line, LogFormat format) {
        assertThat(FormatDetector.voteOf(line == null ? "" : line)).isEqualTo(format);
    }

    @Test
    void aMailLogWithOtherProgramsIsDetectedByItsMtasLines() {
        FormatDetector d = new FormatDetector();
        for (String line : new String[] {
                "<30>1 2026-11-29T07:39:00Z mx systemd 1 - - Started Postfix Mail Transport Agent.",
                "<22>1 2026-11-29T07:39:04.000000+00:00 mx postfix/smtpd 14532 - - connect from unknown[192.0.2.1]",
                "<22>1 2026-11-29T07:39:05Z mx dovecot 77 - - imap-login: Disconnected",
                "<22>1 2026-11-29T07:39:06.000000+00:00 mx postfix/smtpd 14532 - - lost connection after STARTTLS from unknown[192.0.2.1]",
        }) {
            assertThat(d.offer(line)).isFalse();
        }

        assertThat(d.result()).contains(LogFormat.POSTFIX);
        assertThat(d.linesSeen()).isEqualTo(4);
    }

    @Test
    void anExchangeHeaderDecidesAtOnce() {
        FormatDetector d = new FormatDetector();
        d.offer("Mar  1 12:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]");

        assertThat(d.offer("\uFEFF#Software: Microsoft Exchange Server")).isTrue();
        assertThat(d.result()).contains(LogFormat.EXCHANGE);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "C:\\Logs\\SmtpReceive\\RECV2023011116-1.LOG, EXCHANGE",
            "/archive/send20250301-12.log.gz,            EXCHANGE",
            "/var/log/mail.log,                          null",
            "/var/log/sendmail.log,                      null",
    })
    void fromPathKnowsExchangesFileNamesOnly(String path, LogFormat format) {
        assertThat(FormatDetector.fromPath(path).orElse(null)).isEqualTo(format);
    }
}
