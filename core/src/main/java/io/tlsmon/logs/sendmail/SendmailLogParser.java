package io.tlsmon.logs.sendmail;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.syslog.Endpoint;
import io.tlsmon.logs.syslog.MtaPrograms;
import io.tlsmon.logs.syslog.SyslogLine;
import io.tlsmon.logs.syslog.SyslogParser;
import io.tlsmon.logs.syslog.TlsVersions;

/**
 * Parser of Sendmail logs (programs {@code sendmail} and {@code sm-*}: {@code sm-mta},
 * {@code sm-msp-queue}, Debian's {@code sm-acceptingconnections}). Sendmail writes one line per
 * STARTTLS outcome, so each is a one-line attempt (it opens and closes its session):
 * <ul>
 *   <li>{@code STARTTLS=client|server, relay=host [ip], version=TLSv1.2, verify=OK, cipher=X, bits=n/m}:
 *       handshake done ({@code tls_get_info}); {@code version=TLSv1/SSLv3} is OpenSSL's cipher class,
 *       not a protocol, so the version stays unknown and the raw value goes to {@code detail};</li>
 *   <li>{@code STARTTLS=server, error: accept failed=-1, reason=no shared cipher, SSL_error=1, errno=0, retry=-1, relay=...}
 *       and {@code STARTTLS=client, error: connect failed=...}: handshake failed (sendmail {@code srvrsmtp.c}/{@code usersmtp.c});
 *       other {@code STARTTLS=..., error: ...} lines (certificate and key setup) fail too.</li>
 * </ul>
 * Everything else is ignored.
 */
public final class SendmailLogParser implements LineParser {
    private final StreamInfo stream;
    private final SyslogParser syslog;

    public SendmailLogParser(StreamInfo stream) {
        this.stream = stream;
        this.syslog = new SyslogParser(stream);
    }

    @Override
    public ParseResult parse(String line, long lineNumber) {
        if (line.isEmpty() || line.charAt(0) == '#' || line.isBlank()) {
            return ParseResult.ignored();
        }
        if (!syslog.parse(line)) {
            return ParseResult.error(syslog.error());
        }
        SyslogLine env = syslog.line();
        if (MtaPrograms.formatOf(env) != LogFormat.SENDMAIL) {
            return ParseResult.ignored();
        }
        String s = env.line();
        int end = env.end();
        int m = env.messageStart();
        String queueId = null;
        if (!s.startsWith("STARTTLS=", m)) {
            int colon = queueIdEnd(s, m, end);
            if (colon < 0 || !s.startsWith("STARTTLS=", colon + 2)) {
                return ParseResult.ignored();
            }
            queueId = s.substring(m, colon);
            m = colon + 2;
        }
        boolean client;
        int p = m + 9;
        if (s.startsWith("client, ", p)) {
            client = true;
            p += 8;
        } else if (s.startsWith("server, ", p)) {
            client = false;
            p += 8;
        } else {
            return ParseResult.ignored();
        }
        if (s.startsWith("error: ", p)) {
            return failed(env, lineNumber, queueId, client, p + 7);
        }
        if (s.startsWith("relay=", p)) {
            return established(env, lineNumber, queueId, client, p);
        }
        return ParseResult.ignored(); // cert-subject/verifymsg/info lines
    }

    private ParseResult established(SyslogLine env, long lineNumber, String queueId, boolean client, int p) {
        String s = env.line();
        int end = env.end();
        int relayEnd = s.indexOf(", version=", p);
        if (relayEnd < 0 || relayEnd > end) {
            return ParseResult.error("Sendmail STARTTLS line without version=: " + s.substring(env.messageStart(), end));
        }
        // host [ip], [ip] or host [ip] (may be forged); a client relay is often only "host."
        Endpoint relay = Endpoint.read(s, p + 6, relayEnd);
        String versionName = field(s, "version=", relayEnd, end);
        String verify = field(s, "verify=", relayEnd, end);
        String cipher = field(s, "cipher=", relayEnd, end);
        String version = TlsVersions.normalise(versionName);
        StringBuilder detail = new StringBuilder();
        if (verify != null) {
            detail.append("verify=").append(verify);
        }
        if (version == null && versionName != null) {
            detail.append(detail.length() > 0 ? ", " : "").append("version=").append(versionName);
        }
        ParsedLine.Builder b = line(LineEvent.TLS_ESTABLISHED, env, lineNumber, queueId, client, relay)
                .tlsVersion(version).cipher(cipher).detail(detail.length() == 0 ? null : detail.toString());
        return ParseResult.of(b.build());
    }

    private ParseResult failed(SyslogLine env, long lineNumber, String queueId, boolean client, int p) {
        String s = env.line();
        int end = env.end();
        String reason = field(s, "reason=", p, end);
        int relayAt = s.indexOf(", relay=", p);
        Endpoint relay = relayAt >= 0 && relayAt < end ? Endpoint.read(s, relayAt + 8, end) : null;
        String error = reason != null ? reason : s.substring(p, relayAt >= 0 && relayAt < end ? relayAt : end);
        return ParseResult.of(line(LineEvent.TLS_FAILED, env, lineNumber, queueId, client, relay).error(error).build());
    }

    /** The relay host when the line names no {@code [ip]} ({@code relay=mx.example.com.}). */
    private static String relayHostWithoutIp(String s, int from, int end) {
        int e = from;
        while (e < end && s.charAt(e) != ',' && s.charAt(e) != ' ') {
            e++;
        }
        if (e == from) {
            return null;
        }
        String h = s.substring(from, e);
        return h.endsWith(".") && h.length() > 1 ? h.substring(0, h.length() - 1) : h;
    }

    /** The value of {@code , key=value} after {@code from}, up to the next {@code ", "}. */
    private static String field(String s, String key, int from, int end) {
        int at = s.indexOf(key, from);
        while (at > 0 && at < end && !(s.charAt(at - 1) == ' ' || s.charAt(at - 1) == ',')) {
            at = s.indexOf(key, at + 1);
        }
        if (at < 0 || at >= end) {
            return null;
        }
        int v = at + key.length();
        int e = s.indexOf(", ", v);
        if (e < 0 || e > end) {
            e = end;
        }
        return s.substring(v, e);
    }

    private ParsedLine.Builder line(LineEvent event, SyslogLine env, long lineNumber, String queueId, boolean client, Endpoint relay) {
        String sessionId = queueId != null ? queueId : env.pid() >= 0 ? Long.toString(env.pid()) : env.program();
        ParsedLine.Builder b = ParsedLine.builder(SourceKind.SENDMAIL, event)
                .time(env.time())
                .server(env.host() != null ? env.host() : stream.sourceHost())
                .sessionId(sessionId)
                .sequence(lineNumber)
                .opensSession(true)
                .closesSession(true)
                .outbound(client)
                .connector(env.program())
                .source(stream.stream())
                .lineNumber(lineNumber);
        if (relay != null) {
            b.remoteHost(relay.host).remoteIp(relay.ip).remotePort(relay.port);
        } else {
            int r = env.line().indexOf("relay=", env.messageStart());
            if (r >= 0 && r < env.end()) {
                b.remoteHost(relayHostWithoutIp(env.line(), r + 6, env.end()));
            }
        }
        return b;
    }

    /** Index of the ':' after a Sendmail queue id ({@code q29Ja84u011122: }) at {@code m}, else -1. */
    private static int queueIdEnd(String s, int m, int end) {
        int i = m;
        while (i < end && Character.isLetterOrDigit(s.charAt(i))) {
            i++;
        }
        return i - m >= 8 && i + 1 < end && s.charAt(i) == ':' && s.charAt(i + 1) == ' ' ? i : -1;
    }
}
