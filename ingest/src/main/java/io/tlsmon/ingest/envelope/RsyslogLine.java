package io.tlsmon.ingest.envelope;

/**
 * Puts an rsyslog JSON record back into the line rsyslog would have written to a file with
 * {@code RSYSLOG_FileFormat} ({@code %TIMESTAMP% %HOSTNAME% %syslogtag%%msg%}): the MTA parsers
 * read a whole syslog line (time, host, {@code postfix/smtpd[pid]:}), not just the message part.
 */
final class RsyslogLine {
    private RsyslogLine() {
    }

    /**
     * The rebuilt line; {@code msg} alone when the record lacks the time or the tag (then there is
     * no syslog envelope to rebuild, and the parser sees the bare message).
     */
    static String rebuild(JsonEnvelope envelope, String msg) {
        String time = envelope.text("/timereported");
        String tag = envelope.text("/syslogtag");
        if (tag == null || tag.isBlank()) {
            String program = envelope.text("/programname");
            if (program != null && !program.isBlank()) {
                String pid = envelope.text("/procid");
                tag = program + (pid != null && !pid.isBlank() && !pid.equals("-") ? "[" + pid + "]" : "") + ":";
            }
        }
        if (time == null || time.isBlank() || tag == null || tag.isBlank()) {
            return msg;
        }
        String host = envelope.text("/hostname");
        StringBuilder line = new StringBuilder(time.length() + tag.length() + msg.length() + 40);
        line.append(time.trim()).append(' ');
        if (host != null && !host.isBlank()) {
            line.append(host.trim()).append(' ');
        }
        line.append(tag.trim());
        // rsyslog's sp-if-no-1st-sp: the message part usually starts with the space after "tag:"
        if (!msg.startsWith(" ")) {
            line.append(' ');
        }
        return line.append(msg).toString();
    }
}
