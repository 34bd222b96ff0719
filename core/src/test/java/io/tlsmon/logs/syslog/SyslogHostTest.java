package io.tlsmon.logs.syslog;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogHostTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // RFC 3164, with and without a year, with a priority
            "Mar  1 12:00:00 mx1 postfix/smtpd[1]: x| mx1",
            "Mar  1 2024 12:00:00 mx2.example.test sendmail[42]: x| mx2.example.test",
            "<13>Mar  1 12:00:00 mx3 sm-mta[8]: q| mx3",
            // Postfix maillog_file: zero-padded day, first label of the host
            "Mar 01 12:00:00 mx4 postfix/smtpd[99]: hello| mx4",
            // RFC 3339 / ISO, with a priority, with a space instead of the T
            "2024-03-01T12:00:00.123456+01:00 mx5 postfix/smtpd[1]: m| mx5",
            "<22>2024-03-01T12:00:00Z mx6 postfix/smtpd[1]: x| mx6",
            "2024-03-01 12:00:00 +0200 mx7 exim[3]: m| mx7",
            // RFC 5424 with and without priority, and with APP-NAME nil: HOSTNAME is its own field
            "<34>1 2024-03-01T12:00:00.003Z mx8.example.test postfix/smtpd 1234 - - x| mx8.example.test",
            "1 2026-11-29T07:39:04.000000+00:00 mx9 postfix/smtpd 14532 - - connect from unknown[192.0.2.1]| mx9",
            "<34>1 2024-03-01T12:00:00Z mx10 - - - - x| mx10",
            // no host
            "Mar  1 12:00:00 postfix/smtpd[1]: no host in a local log| null",
            "<34>1 2024-03-01T12:00:00Z - postfix/smtpd 1234 - - x| null",
            // no syslog line, or no tag after the word in the host's place
            "2024-03-01T12:00:00.917Z,EX01\\Default Frontend EX01,08DC39F1A2B3C4D5,7,,,*,,x| null",
            "2024-03-01 12:00:00 1abcDE-000123-AB <= a@b.example H=mx.b.example [192.0.2.1]| null",
            "Mar  1 12:00:00 mx1 last message repeated 3 times| null",
            "connect from unknown[192.0.2.1]| null",
    })
    void theHostOfASyslogLine(String line, String host) {
        assertThat(SyslogHost.of(line)).isEqualTo(host);
    }
}
