package io.tlsmon.logs.sendmail;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.ParserMemory;
import io.tlsmon.logs.RecipientDomain;
import io.tlsmon.logs.RememberedMap;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.syslog.Endpoint;
import io.tlsmon.logs.syslog.MtaPrograms;
import io.tlsmon.logs.syslog.SyslogLine;
import io.tlsmon.logs.syslog.SyslogParser;
import io.tlsmon.logs.syslog.TlsVersions;

/**
 * Parser of Sendmail logs (programs {@code sendmail} and {@code sm-*}: {@code sm-mta},
 * {@code sm-msp-queue}, Debian's {@code sm-acceptingconnections}), from the format strings of
 * Sendmail 8.17.1 (sendmail/tls.c, srvrsmtp.c, deliver.c, parseaddr.c, daemon.c) as a real 8.17.1.9
 * with OpenSSL 3.0 writes them ({@code fixtures/sendmail-captured/}).
 *
 * <p>Sendmail serves each SMTP connection in a forked child and delivers each message from one
 * process, so a session is one process id. An inbound session opens at {@code connect from host
 * [ip]} (LogLevel &gt; 9) or, without it, at the server's handshake line; an outbound one at the
 * client's handshake line and closes at the {@code to=} delivery line; an inbound one ends with the
 * idle gap (Sendmail logs no end of an SMTP session that sent mail). Lines:
 * <ul>
 *   <li>{@code STARTTLS=client|server, relay=host [ip], version=TLSv1.2, verify=OK, cipher=X, bits=n/m}:
 *       handshake done ({@code tls_get_info}, LogLevel &gt; 8). {@code verify=FAIL} alone is not a
 *       failure: only the {@code tls_server} ruleset's reject that may follow says verification was
 *       required. {@code version=TLSv1/SSLv3} is OpenSSL 0.9.8's cipher class, not a protocol.</li>
 *   <li>{@code STARTTLS=server, error: accept failed=-1, reason=..., SSL_error=n, errno=n, retry=n, relay=...}
 *       (srvrsmtp.c) and {@code STARTTLS=client, error: connect failed=...} (deliver.c, no relay):
 *       handshake failed; the whole text is the error, so a {@code reason=unknown} keeps the
 *       {@code SSL_error} and {@code retry=0} (the timeout) that say more. The OpenSSL error queue
 *       follows as {@code STARTTLS=server: error:0A0000C1:SSL routines::no shared cipher:file:line:}
 *       (tlslogerr, LogLevel &gt; 9), read as part of the failure before it.</li>
 *   <li>{@code STARTTLS=server: file ... unsafe: ...}, {@code STARTTLS=server, error: SSL_CTX_use_PrivateKey_file(...) failed}
 *       and the other set-up errors of tls.c: our own certificate or key is unusable; the daemon
 *       logs them when it starts, outside any SMTP session, so each is an attempt of its own.</li>
 *   <li>{@code STARTTLS=client, cert-subject=..., cert-issuer=..., verifymsg=certificate has expired}
 *       (LogLevel &gt; 11): what verification found. Remembered per process: when the
 *       {@code ruleset=tls_server, arg1=FAIL, ..., reject=... authentication failed} that follows
 *       says verification was required, that verifymsg is the failure's error.</li>
 *   <li>{@code ruleset=tls_server, arg1=NONE, ...}: TLS was required of a server that offered no
 *       STARTTLS; any other {@code tls_server} reject fails the TLS session (a CN mismatch, a handshake
 *       failure). {@code ruleset=check_mail|tls_client, ..., reject=... encryption too weak 0 less than n}
 *       and the {@code to=..., reply=...} of a peer that says the same: a side required TLS of a
 *       plaintext session.</li>
 * </ul>
 * Everything else is ignored.
 */
public final class SendmailLogParser implements LineParser {
    /** Processes whose last STARTTLS line is still remembered; more than a busy MTA has at once. */
    private static final int REMEMBERED_PROCESSES = 4096;
    /** What the TLS_connection ruleset (cf/m4/proto.m4) says when the required bits were not there at all. */
    private static final String NO_ENCRYPTION = "encryption too weak 0 less than";

    private final StreamInfo stream;
    private final SyslogParser syslog;
    /** By process: the last verifymsg other than {@code ok}, or {@link #IN_FAILURE} after an error line. */
    private final RememberedMap lastTlsWord;
    private static final String IN_FAILURE = "\u0000failure";

    public SendmailLogParser(StreamInfo stream) {
        this(stream, ParserMemory.inMemory());
    }

    public SendmailLogParser(StreamInfo stream, ParserMemory memory) {
        this.stream = stream;
        this.syslog = new SyslogParser(stream);
        this.lastTlsWord = new RememberedMap(memory, "tls-word", REMEMBERED_PROCESSES, true);
        this.connected = new RememberedMap(memory, "connected", REMEMBERED_PROCESSES, true);
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
        int colon = s.startsWith("NOQUEUE: ", m) ? m + 7 : queueIdEnd(s, m, end);
        if (colon >= 0) {
            m = colon + 2;
        }
        if (s.startsWith("STARTTLS=", m)) {
            return starttls(env, lineNumber, m + 9);
        }
        if (s.startsWith("connect from ", m)) {
            return connect(env, lineNumber, m + 13);
        }
        if (s.startsWith("ruleset=", m)) {
            return ruleset(env, lineNumber, m);
        }
        if (s.startsWith("to=", m)) {
            return delivery(env, lineNumber, m);
        }
        return ParseResult.ignored();
    }

    private ParseResult starttls(SyslogLine env, long lineNumber, int p) {
        String s = env.line();
        int end = env.end();
        boolean client;
        if (s.startsWith("client", p)) {
            client = true;
            p += 6;
        } else if (s.startsWith("server", p)) {
            client = false;
            p += 6;
        } else {
            return ParseResult.ignored();
        }
        String process = processOf(env);
        if (s.startsWith(": error:", p)) {
            // the OpenSSL error queue (tlslogerr): part of the failure logged just before it, if any
            if (!IN_FAILURE.equals(lastTlsWord.get(process))) {
                return ParseResult.ignored();
            }
            return ParseResult.of(line(LineEvent.TLS_FAILED, env, lineNumber, client, null)
                    .error(s.substring(p + 2, end)).build());
        }
        if (s.startsWith(": file ", p)) {
            // safefile() refused a certificate, key or CA file: TLS is off for this daemon or delivery
            return setupFailure(env, lineNumber, client, s.substring(p + 2, end));
        }
        if (!s.startsWith(", ", p)) {
            return ParseResult.ignored();
        }
        p += 2;
        if (s.startsWith("error: accept failed=", p) || s.startsWith("error: connect failed=", p)) {
            lastTlsWord.put(process, IN_FAILURE);
            int relayAt = s.indexOf(", relay=", p);
            boolean hasRelay = relayAt >= 0 && relayAt < end;
            Endpoint relay = hasRelay ? Endpoint.read(s, relayAt + 8, end) : null;
            return ParseResult.of(line(LineEvent.TLS_FAILED, env, lineNumber, client, relay)
                    .opensSession(client || !inboundOpen(env))
                    .error(s.substring(p + 7, hasRelay ? relayAt : end)).build());
        }
        if (s.startsWith("error: ", p)) {
            return setupFailure(env, lineNumber, client, s.substring(p + 7, end));
        }
        if (s.startsWith("relay=", p)) {
            lastTlsWord.remove(process);
            return established(env, lineNumber, client, p);
        }
        if (s.startsWith("cert-subject=", p)) {
            String verifymsg = field(s, "verifymsg=", p, end);
            if (verifymsg != null && !verifymsg.equals("ok")) {
                lastTlsWord.put(process, verifymsg);
            }
            return ParseResult.of(line(LineEvent.CERTIFICATE, env, lineNumber, client, null)
                    .detail(s.substring(p, end)).build());
        }
        return ParseResult.ignored(); // init, start=ok, SSL_shutdown, Diffie-Hellman and other notes
    }

    /** A set-up error of tls.c: one attempt of its own, the OpenSSL error queue after it joining it. */
    private ParseResult setupFailure(SyslogLine env, long lineNumber, boolean client, String error) {
        lastTlsWord.put(processOf(env), IN_FAILURE);
        return ParseResult.of(line(LineEvent.TLS_FAILED, env, lineNumber, client, null)
                .opensSession(true).closesSession(true).error(error).build());
    }

    private ParseResult established(SyslogLine env, long lineNumber, boolean client, int p) {
        String s = env.line();
        int end = env.end();
        int relayEnd = s.indexOf(", version=", p);
        if (relayEnd < 0 || relayEnd > end) {
            return ParseResult.error("Sendmail STARTTLS line without version=: " + s.substring(env.messageStart(), end));
        }
        // host [ip], [ip] or host [ip] (may be forged); a client relay is often only "host." or "[ip]"
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
        ParsedLine.Builder b = line(LineEvent.TLS_ESTABLISHED, env, lineNumber, client, relay)
                .opensSession(client || !inboundOpen(env))
                .tlsVersion(version).cipher(cipher).detail(detail.length() == 0 ? null : detail.toString());
        return ParseResult.of(b.build());
    }

    /**
     * Whether an inbound session of this process was opened by a {@code connect from} line: then the
     * server's handshake line belongs to it rather than opening one (LogLevel 9 logs no connects).
     */
    private boolean inboundOpen(SyslogLine env) {
        return connected.containsKey(processOf(env));
    }

    /** Processes that logged {@code connect from host [ip]}, so are serving an inbound session. */
    private final RememberedMap connected;

    private ParseResult connect(SyslogLine env, long lineNumber, int p) {
        String s = env.line();
        int end = env.end();
        lastTlsWord.remove(processOf(env));
        // "connect from root@localhost" is a local submission; the process may go on to deliver
        boolean network = s.indexOf('[', p) >= 0 && s.indexOf('[', p) < end;
        if (network) {
            connected.put(processOf(env), "");
        } else {
            connected.remove(processOf(env));
        }
        Endpoint peer = network ? Endpoint.read(s, p, end) : null;
        return ParseResult.of(line(LineEvent.CONNECT, env, lineNumber, false, peer).opensSession(true).build());
    }

    /** {@code ruleset=NAME, arg1=A[, arg2=B], relay=R, reject=TEXT}: a ruleset's verdict (parseaddr.c rscheck). */
    private ParseResult ruleset(SyslogLine env, long lineNumber, int p) {
        String s = env.line();
        int end = env.end();
        int comma = s.indexOf(", ", p);
        if (comma < 0 || comma > end) {
            return ParseResult.ignored();
        }
        String name = s.substring(p + 8, comma);
        String arg1 = field(s, "arg1=", comma, end);
        int rejectAt = s.indexOf(", reject=", comma);
        if (rejectAt < 0 || rejectAt > end) {
            return ParseResult.ignored();
        }
        String reject = s.substring(rejectAt + 9, end);
        int relayAt = s.indexOf(", relay=", comma);
        Endpoint relay = relayAt >= 0 && relayAt < rejectAt ? Endpoint.read(s, relayAt + 8, rejectAt) : null;
        if (name.equals("tls_server")) {
            // the client side judged the TLS session it got (deliver.c, after STARTTLS or its absence)
            if ("NONE".equals(arg1)) {
                return ParseResult.of(line(LineEvent.STARTTLS_NOT_OFFERED, env, lineNumber, true, relay)
                        .tlsRequired(true).error(reject).build());
            }
            String remembered = lastTlsWord.get(processOf(env));
            String error = "FAIL".equals(arg1) && remembered != null && !IN_FAILURE.equals(remembered) ? remembered : reject;
            return ParseResult.of(line(LineEvent.TLS_FAILED, env, lineNumber, true, relay)
                    .tlsRequired(true).error(error).build());
        }
        if ((name.equals("check_mail") || name.equals("tls_client") || name.equals("check_rcpt"))
                && reject.contains(NO_ENCRYPTION)) {
            return ParseResult.of(line(LineEvent.STARTTLS_REQUIRED, env, lineNumber, false, relay)
                    .tlsRequired(true).error(reject).build());
        }
        return ParseResult.ignored();
    }

    /** {@code to=..., relay=host [ip], ..., [reply=TEXT, ]stat=...}: a delivery's result ends the client session. */
    private ParseResult delivery(SyslogLine env, long lineNumber, int p) {
        String s = env.line();
        int end = env.end();
        int relayAt = s.indexOf(", relay=", p);
        Endpoint relay = null;
        if (relayAt >= 0 && relayAt < end) {
            int relayEnd = s.indexOf(", ", relayAt + 8);
            relay = Endpoint.read(s, relayAt + 8, relayEnd < 0 || relayEnd > end ? end : relayEnd);
        } else {
            return ParseResult.ignored(); // a local or queued delivery: no SMTP session
        }
        lastTlsWord.remove(processOf(env));
        String reply = field(s, "reply=", p, end);
        // to=<a@x>,<b@y>: Sendmail sends the recipients bound for one host together; the first names the policy domain
        String domain = RecipientDomain.of(s, p + 3, end);
        if (reply != null && reply.contains(NO_ENCRYPTION)) {
            // the peer required TLS of us, and we went on in plaintext
            return ParseResult.of(line(LineEvent.STARTTLS_REQUIRED, env, lineNumber, true, relay)
                    .closesSession(true).policyDomain(domain).error(reply).build());
        }
        return ParseResult.of(line(LineEvent.DELIVERY, env, lineNumber, true, relay)
                .closesSession(true).policyDomain(domain).detail(field(s, "stat=", p, end)).build());
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

    private static String processOf(SyslogLine env) {
        return env.pid() >= 0 ? Long.toString(env.pid()) : env.program();
    }

    private ParsedLine.Builder line(LineEvent event, SyslogLine env, long lineNumber, boolean client, Endpoint relay) {
        ParsedLine.Builder b = ParsedLine.builder(SourceKind.SENDMAIL, event)
                .time(env.time())
                .server(env.host() != null ? env.host() : stream.sourceHost())
                .sessionId(processOf(env))
                .sequence(lineNumber)
                .outbound(client)
                .connector(env.program())
                .source(stream.stream())
                .lineNumber(lineNumber);
        if (relay != null) {
            b.remoteHost(relay.host).remoteIp(relay.ip).remotePort(relay.port);
        } else if (event == LineEvent.TLS_ESTABLISHED || event == LineEvent.TLS_FAILED) {
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
