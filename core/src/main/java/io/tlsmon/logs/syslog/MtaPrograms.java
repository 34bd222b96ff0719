package io.tlsmon.logs.syslog;

import io.tlsmon.logs.LogFormat;

/**
 * Which MTA wrote a syslog line, by its program tag: the one place that says which tags are whose,
 * for the parsers (which ignore other programs' lines) and for format detection (which must not
 * count them).
 */
public final class MtaPrograms {
    private MtaPrograms() {
    }

    /**
     * {@link LogFormat#POSTFIX} for {@code postfix/...} and the tags of further instances
     * ({@code postfix-in/smtpd}); {@link LogFormat#SENDMAIL} for {@code sendmail} and its {@code sm-}
     * programs ({@code sm-mta}, {@code sm-msp-queue}); {@link LogFormat#EXIM} for {@code exim},
     * {@code exim4}; null for any other program (cron, dovecot, systemd) and for a line without tag.
     * Never allocates.
     */
    public static LogFormat formatOf(SyslogLine env) {
        if (!env.hasProgram()) {
            return null;
        }
        if (env.programStartsWith("postfix")) {
            return LogFormat.POSTFIX;
        }
        if (env.programIs("sendmail") || env.programStartsWith("sm-")) {
            return LogFormat.SENDMAIL;
        }
        if (env.programStartsWith("exim")) {
            return LogFormat.EXIM;
        }
        return null;
    }
}
