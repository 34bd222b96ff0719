package io.tlsmon.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Composed Exchange receive-log sessions for topology tests (written from the documented format in
 * shared/reference/log-formats.md §1; not a real Exchange log).
 */
final class ExchangeLines {
    static final String HEADER_RECEIVE = "#Software: Microsoft Exchange Server\n#Version: 15.0.0.0\n"
            + "#Log-type: SMTP Receive Protocol Log\n"
            + "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";

    private ExchangeLines() {
    }

    private static String line(Instant t, String session, int seq, String remote, String event, String data, String context) {
        return t + ",EX1\\Default Frontend EX1," + session + ',' + seq + ",10.0.0.5:25," + remote + ':' + "50000," + event + ','
                + data + ',' + context;
    }

    /** A whole inbound session: STARTTLS, then success with {@code protocol} or failure with {@code error}. */
    static List<String> session(Instant start, String session, String remoteIp, String protocol, String error) {
        List<String> l = new ArrayList<>();
        int seq = 0;
        l.add(line(start, session, seq++, remoteIp, "+", "", ""));
        l.add(line(start.plusMillis(10), session, seq++, remoteIp, "<", "EHLO mail.sender.example", ""));
        l.add(line(start.plusMillis(20), session, seq++, remoteIp, "<", "STARTTLS", ""));
        l.add(line(start.plusMillis(30), session, seq++, remoteIp, ">", "220 2.0.0 SMTP server ready", ""));
        if (protocol != null) {
            l.add(line(start.plusMillis(40), session, seq++, remoteIp, "*", "",
                    "\"TLS protocol " + protocol + " negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, "
                            + "MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDHE with strength 384 bits\""));
        } else {
            l.add(line(start.plusMillis(40), session, seq++, remoteIp, "*", "", "TLS negotiation failed with error " + error));
        }
        l.add(line(start.plusMillis(50), session, seq, remoteIp, "-", "", "Local"));
        return l;
    }

    /** {@code line} of {@link #session} moved to time {@code t}. */
    static String at(Instant t, String line) {
        return t + line.substring(line.indexOf(','));
    }
}
