package io.tlsmon.ingest.envelope;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the host named in a plain syslog line, as rsyslog's {@code RSYSLOG_FileFormat},
 * {@code RSYSLOG_TraditionalFileFormat}, RFC 5424 or Postfix's {@code maillog_file} write it, so a
 * plain-text record without a key still says which server it came from. Lines of other shapes
 * (Exchange CSV, whose timestamp is followed by a comma) name no host.
 */
final class SyslogHost {
    private static final String PRI = "(?:<\\d{1,3}>)?";
    private static final String HOST = "([A-Za-z0-9][A-Za-z0-9._-]{0,252})";
    /** After the host comes the tag: it must exist, and the host must not itself be the tag. */
    private static final String AFTER_HOST = " +[^ ]";

    private static final Pattern RFC3339 = Pattern.compile("^" + PRI
            + "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}(?::?\\d{2})?)? +" + HOST + AFTER_HOST);
    private static final Pattern RFC3164 = Pattern.compile("^" + PRI
            + "[A-Z][a-z]{2} +\\d{1,2} +(?:\\d{4} +)?\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})? +" + HOST + AFTER_HOST);
    private static final Pattern RFC5424 = Pattern.compile("^<\\d{1,3}>\\d{1,2} +[^ ]+ +" + HOST + " ");

    private SyslogHost() {
    }

    /** The host of the line, or null when the line is no syslog line or names no host. */
    static String of(String line) {
        if (line.isEmpty()) {
            return null;
        }
        char first = line.charAt(0);
        if (first != '<' && !Character.isLetterOrDigit(first)) {
            return null;
        }
        String prefix = line.length() > 400 ? line.substring(0, 400) : line;
        for (Pattern p : new Pattern[] {RFC5424, RFC3339, RFC3164}) {
            Matcher m = p.matcher(prefix);
            if (m.find()) {
                // the host pattern admits no ':', '[' or '/', so a tag right after the time
                // ("postfix/smtpd[1]:", a local log without host) never passes for a host
                return m.group(1);
            }
        }
        return null;
    }
}
