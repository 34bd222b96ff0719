package io.tlsmon.logs.exim;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.syslog.Endpoint;
import io.tlsmon.logs.syslog.TlsVersions;

/**
 * Parser of Exim logs: the mainlog ({@code 2024-03-01 12:00:00[.mmm][ +0100] [pid] 1abcDE-000123-AB ...},
 * pid, message id and zone each optional; ids of 6-6-2 or, since Exim 4.97, 6-11-4 characters) and
 * the same text wrapped in syslog ({@code ... host exim[pid]: ...}, any envelope
 * {@link io.tlsmon.logs.syslog.SyslogParser} reads, or {@code host exim[pid]: 2024-03-01 12:00:00 ...}
 * with only Exim's own time); {@link EximEnvelope} finds the text.
 *
 * <p>Exim writes one line per TLS outcome, so every line this parser returns is a one-line attempt
 * (it opens and closes its session):
 * <ul>
 *   <li>{@code TLS error on connection from host (helo) [ip]:port (function): reason} (inbound) and
 *       {@code TLS error on connection to host [ip] (function): reason} (outbound): failure, error = {@code (function): reason};</li>
 *   <li>{@code <= ... H=host (helo) [ip] ... X=TLS1.2:CIPHER:bits CV=no} (inbound) and
 *       {@code => ... H=host [ip] X=...} (outbound): handshake done;</li>
 *   <li>{@code no MAIL in SMTP connection from ... C=EHLO,STARTTLS}: the client gave up right after STARTTLS;</li>
 *   <li>deferrals and failures ({@code ==}, {@code **}) with {@code TLS session: (SSL_connect): ...}: outbound failure;</li>
 *   <li>any line with {@code Must issue a STARTTLS command first}: TLS was required.</li>
 * </ul>
 */
public final class EximLogParser implements LineParser {
    private final StreamInfo stream;
    private final EximEnvelope envelope;

    // where the Exim text of the current line starts, and what its envelope said
    private String text;
    private int m;
    private int end;
    private long time;
    private String host;
    private long pid;
    private int idStart;
    private int idEnd;

    public EximLogParser(StreamInfo stream) {
        this.stream = stream;
        this.envelope = new EximEnvelope(stream);
    }

    @Override
    public ParseResult parse(String line, long lineNumber) {
        if (line.isEmpty() || line.charAt(0) == '#' || line.isBlank()) {
            return ParseResult.ignored();
        }
        String refused = envelope.read(line);
        if (refused != null) {
            return refused.isEmpty() ? ParseResult.ignored() : ParseResult.error(refused);
        }
        text = envelope.line();
        m = envelope.textStart();
        end = envelope.end();
        time = envelope.time();
        host = envelope.host();
        pid = envelope.pid();
        return event(lineNumber);
    }

    // ---------------------------------------------------------------- events

    private ParseResult event(long lineNumber) {
        String s = text;
        // the id is cut out only for lines that become events: other lines cost no allocation
        idStart = -1;
        int idEnd = messageIdEnd(s, m, end);
        if (idEnd > 0) {
            idStart = m;
            this.idEnd = idEnd;
            m = idEnd + 1;
        }
        if (s.startsWith("TLS error on connection from ", m)) {
            return tlsError(lineNumber, m + 29, false);
        }
        if (s.startsWith("TLS error on connection to ", m)) {
            return tlsError(lineNumber, m + 27, true);
        }
        if (s.startsWith("<= ", m)) {
            return delivered(lineNumber, false);
        }
        if (s.startsWith("=> ", m) || s.startsWith("-> ", m)) {
            return delivered(lineNumber, true);
        }
        if (s.startsWith("== ", m) || s.startsWith("** ", m)) {
            int tls = indexOf(s, "TLS session: ", m, end);
            if (tls < 0) {
                return ParseResult.ignored();
            }
            return ParseResult.of(Endpoint.applyTo(line(LineEvent.TLS_FAILED, lineNumber, true), hostField(s, m))
                    .error(s.substring(tls + 13, end)).build());
        }
        if (s.startsWith("no MAIL in SMTP connection from ", m) || s.startsWith("SMTP connection from ", m)) {
            if (!lastCommandIsStarttls(s, m)) {
                return ParseResult.ignored();
            }
            int from = indexOf(s, "connection from ", m, end) + 16;
            return ParseResult.of(Endpoint.applyTo(line(LineEvent.TLS_FAILED, lineNumber, false), Endpoint.read(s, from, end))
                    .error("client gave up after STARTTLS").build());
        }
        if (indexOf(s, "Must issue a STARTTLS command first", m, end) >= 0) {
            return ParseResult.of(Endpoint.applyTo(line(LineEvent.STARTTLS_REQUIRED, lineNumber, false), hostField(s, m))
                    .tlsRequired(true).detail(s.substring(m, end)).build());
        }
        return ParseResult.ignored();
    }

    private ParseResult tlsError(long lineNumber, int peerAt, boolean outbound) {
        String s = text;
        Endpoint peer = Endpoint.read(s, peerAt, end);
        int from = peer == null ? peerAt : peer.end;
        int open = indexOf(s, " (", from, end);
        String error;
        if (open >= 0) {
            error = s.substring(open + 1, end);
        } else {
            int colon = indexOf(s, ": ", from, end);
            error = colon >= 0 ? s.substring(colon + 2, end) : s.substring(m, end);
        }
        return ParseResult.of(Endpoint.applyTo(line(LineEvent.TLS_FAILED, lineNumber, outbound), peer).error(error).build());
    }

    /** A {@code <=} or {@code =>} line: a TLS attempt only when it carries {@code X=}. */
    private ParseResult delivered(long lineNumber, boolean outbound) {
        String s = text;
        int x = indexOf(s, " X=", m, end);
        if (x < 0) {
            return ParseResult.ignored();
        }
        int v = x + 3;
        int vEnd = s.indexOf(' ', v);
        if (vEnd < 0 || vEnd > end) {
            vEnd = end;
        }
        int firstColon = s.indexOf(':', v);
        int lastColon = s.lastIndexOf(':', vEnd - 1);
        String versionName = firstColon > v && firstColon < vEnd ? s.substring(v, firstColon) : s.substring(v, vEnd);
        String cipher = firstColon > v && lastColon > firstColon && lastColon < vEnd ? s.substring(firstColon + 1, lastColon)
                : firstColon > v && firstColon < vEnd ? s.substring(firstColon + 1, vEnd) : null;
        String version = TlsVersions.normalise(versionName);
        String cv = fieldValue(s, " CV=", m, end);
        String detail = (cv == null ? "" : "CV=" + cv) + (version == null ? (cv == null ? "" : ", ") + "X=" + s.substring(v, vEnd) : "");
        return ParseResult.of(Endpoint.applyTo(line(LineEvent.TLS_ESTABLISHED, lineNumber, outbound), hostField(s, m))
                .tlsVersion(version).cipher(cipher).detail(detail.isEmpty() ? null : detail).build());
    }

    private Endpoint hostField(String s, int from) {
        int h = indexOf(s, " H=", from, end);
        return h < 0 ? null : Endpoint.read(s, h + 3, end);
    }

    private boolean lastCommandIsStarttls(String s, int from) {
        String commands = fieldValue(s, " C=", from, end);
        return commands != null && (commands.equals("STARTTLS") || commands.endsWith(",STARTTLS"));
    }

    private static String fieldValue(String s, String key, int from, int end) {
        int at = indexOf(s, key, from, end);
        if (at < 0) {
            return null;
        }
        int v = at + key.length();
        int e = s.indexOf(' ', v);
        return s.substring(v, e < 0 || e > end ? end : e);
    }

    private ParsedLine.Builder line(LineEvent event, long lineNumber, boolean outbound) {
        String sessionId = idStart >= 0 ? text.substring(idStart, idEnd) : pid >= 0 ? Long.toString(pid) : "exim";
        return ParsedLine.builder(SourceKind.EXIM, event)
                .time(time == Long.MIN_VALUE ? 0 : time)
                .server(host != null ? host : stream.sourceHost())
                .sessionId(sessionId)
                .sequence(lineNumber)
                .opensSession(true)
                .closesSession(true)
                .outbound(outbound)
                .connector("exim")
                .source(stream.stream())
                .lineNumber(lineNumber);
    }

    /** End of an Exim message id ({@code 1abcDE-000123-AB} or {@code 1abcDE-00000001Xy-AbCd}) at {@code p}, followed by a space; else -1. */
    static int messageIdEnd(String s, int p, int end) {
        int a = alnumRun(s, p, end);
        if (a - p != 6 || a >= end || s.charAt(a) != '-') {
            return -1;
        }
        int b = alnumRun(s, a + 1, end);
        if ((b - a - 1 != 6 && b - a - 1 != 11) || b >= end || s.charAt(b) != '-') {
            return -1;
        }
        int c = alnumRun(s, b + 1, end);
        if ((c - b - 1 != 2 && c - b - 1 != 4) || c >= end || s.charAt(c) != ' ') {
            return -1;
        }
        return c;
    }

    private static int alnumRun(String s, int p, int end) {
        int i = p;
        while (i < end) {
            char c = s.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static int indexOf(String s, String needle, int from, int end) {
        int i = s.indexOf(needle, from);
        return i >= 0 && i + needle.length() <= end ? i : -1;
    }
}
