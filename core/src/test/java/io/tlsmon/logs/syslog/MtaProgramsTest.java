package io.tlsmon.logs.syslog;

import io.tlsmon.logs.LogFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class MtaProgramsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", value = {
            "postfix/smtpd,             POSTFIX",
            "postfix/submission/smtpd,  POSTFIX",
            "postfix-in/smtp,           POSTFIX",
            "sendmail,                  SENDMAIL",
            "sm-mta,                    SENDMAIL",
            "sm-msp-queue,              SENDMAIL",
            "exim,                      EXIM",
            "exim4,                     EXIM",
            "sendmail-helper,           null",
            "CRON,                      null",
            "dovecot,                   null",
            "systemd,                   null",
            "smtpd,                     null",
    })
    void theMtaOfAProgramTag(String program, LogFormat format) {
        SyslogParser p = new SyslogParser(ZoneOffset.UTC, 0L);
        assertThat(p.parse("Mar  1 12:00:00 mx1 " + program + "[1]: x")).isTrue();

        assertThat(MtaPrograms.formatOf(p.line())).isEqualTo(format);
    }

    @ParameterizedTest
    @CsvSource({"Mar  1 12:00:00 mx1 last message repeated 3 times", "<34>1 2024-03-01T12:00:00Z mx1 - - - - postfix/smtpd"})
    void aLineWithoutTagIsNoMtas(String line) {
        SyslogParser p = new SyslogParser(ZoneOffset.UTC, 0L);
        assertThat(p.parse(line)).isTrue();

        assertThat(MtaPrograms.formatOf(p.line())).isNull();
    }
}
