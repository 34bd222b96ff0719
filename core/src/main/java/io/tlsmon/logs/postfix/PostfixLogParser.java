package io.tlsmon.logs.postfix;

import io.tlsmon.avro.PolicyType;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.ParserMemory;
import io.tlsmon.logs.RecipientDomain;
import io.tlsmon.logs.RememberedMap;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.syslog.Endpoint;
import io.tlsmon.logs.syslog.SyslogLine;
import io.tlsmon.logs.syslog.SyslogParser;
import io.tlsmon.logs.syslog.TlsVersions;

/**
 * Parser of Postfix logs in any envelope {@link SyslogParser} reads. Only the SMTP server
 * ({@code .../smtpd}) and the SMTP client ({@code .../smtp}) speak about TLS negotiations; every
 * other program, Postfix or not, is ignored after reading the envelope, without allocating.
 *
 * <p>Session keys are {@code program[pid]}: one smtpd process serves one client at a time, from
 * {@code connect from} to {@code disconnect from}; one smtp process delivers over one connection at a
 * time, from its first TLS line to the delivery status. smtp logs that status once per recipient;
 * only the first of them ends the session, the others of the same delivery are ignored.
 */
public final class PostfixLogParser implements LineParser {
    private static final String SMTPD = "/smtpd";
    private static final String SMTP = "/smtp";
    private static final String MUST_ISSUE_STARTTLS = "Must issue a STARTTLS command first";
    /** smtpd's reply for {@code reject_plaintext_session} (and the client's view of it). */
    private static final String SESSION_ENCRYPTION_REQUIRED = "Session encryption is required";
    private static final String TLS_LIBRARY_PROBLEM = "warning: TLS library problem: ";
    private static final String ESTABLISHED_FROM = " TLS connection established from ";
    private static final String ESTABLISHED_TO = " TLS connection established to ";
    private static final int MAX_OPEN_PEERS = 10_000;
    /**
     * smtp logs the status lines of all recipients of one delivery together, when it ends; a retry
     * of the same queue file comes no sooner than Postfix's minimal_backoff_time (300 s by default).
     */
    private static final long SAME_DELIVERY_WITHIN_MILLIS = 60_000;

    private final StreamInfo stream;
    private final SyslogParser syslog;
    /**
     * The peer of each smtp session opened by a handshake line ({@code Host offered STARTTLS},
     * {@code certificate verification failed}, {@code SSL_connect error}, {@code TLS connection
     * established}): later handshake lines for the same peer belong to the same session; the
     * delivery status ends it.
     */
    private final RememberedMap openPeer;
    /**
     * The delivery whose status line last ended a session of each smtp process (its time, a newline,
     * then what makes two status lines of one smtp process the same delivery: queue id, relay, tls
     * feature, dsn, status and its text), least recently used first: the status lines of its other
     * recipients say nothing new and must not open sessions.
     */
    private final RememberedMap lastDelivery;

    public PostfixLogParser(StreamInfo stream) {
        this(stream, ParserMemory.inMemory());
    }

    public PostfixLogParser(StreamInfo stream, ParserMemory memory) {
        this.stream = stream;
        this.syslog = new SyslogParser(stream);
        this.openPeer = new RememberedMap(memory, "open-peer", MAX_OPEN_PEERS, true);
        this.lastDelivery = new RememberedMap(memory, "last-delivery", MAX_OPEN_PEERS, true);
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
        if (env.programEndsWith(SMTPD)) {
            return smtpd(env, lineNumber);
        }
        if (env.programEndsWith(SMTP)) {
            ParseResult r = smtp(env, lineNumber);
            if (r.isLine() && !r.line().closesSession()) {
                // A TLS line of this process belongs to a new connection: the next status starts afresh.
                lastDelivery.remove(sessionId(env));
            }
            return r;
        }
        return ParseResult.ignored();
    }

    // ---------------------------------------------------------------- smtpd: inbound

    private ParseResult smtpd(SyslogLine env, long lineNumber) {
        String s = env.line();
        int m = env.messageStart();
        int end = env.end();
        if (s.startsWith("connect from ", m)) {
            Endpoint peer = Endpoint.read(s, m + 13, end);
            if (peer == null) {
                return ParseResult.ignored();
            }
            return ParseResult.of(line(SourceKind.POSTFIX_SMTPD, LineEvent.CONNECT, env, lineNumber)
                    .opensSession(true).remoteHost(peer.host).remoteIp(peer.ip).remotePort(peer.port).build());
        }
        if (s.startsWith("disconnect from ", m)) {
            Endpoint peer = Endpoint.read(s, m + 16, end);
            if (peer == null) {
                return ParseResult.ignored();
            }
            String counts = peer.end < end ? s.substring(peer.end, end).trim() : null;
            return ParseResult.of(line(SourceKind.POSTFIX_SMTPD, LineEvent.DISCONNECT, env, lineNumber)
                    .closesSession(true).remoteHost(peer.host).remoteIp(peer.ip).remotePort(peer.port)
                    .detail(counts == null || counts.isEmpty() ? null : counts).build());
        }
        if (s.startsWith("SSL_accept error from ", m)) {
            Endpoint peer = Endpoint.read(s, m + 22, end);
            String reason = peer == null ? null : afterColon(s, peer.end, end);
            return ParseResult.of(Endpoint.applyTo(line(SourceKind.POSTFIX_SMTPD, LineEvent.TLS_FAILED, env, lineNumber), peer)
                    .error(reason == null ? "SSL_accept error" : reason).build());
        }
        if (s.startsWith("lost connection after STARTTLS from ", m)) {
            return failedAfterStarttls(env, lineNumber, "lost connection after STARTTLS", m + 36);
        }
        if (s.startsWith("timeout after STARTTLS from ", m)) {
            return failedAfterStarttls(env, lineNumber, "timeout after STARTTLS", m + 28);
        }
        int established = indexOf(s, ESTABLISHED_FROM, m, end);
        if (established > m) {
            return established(SourceKind.POSTFIX_SMTPD, env, lineNumber, established, established + ESTABLISHED_FROM.length(), false);
        }
        ParseResult shared = tlsWarnings(SourceKind.POSTFIX_SMTPD, env, lineNumber);
        if (shared != null) {
            return shared;
        }
        if (indexOf(s, MUST_ISSUE_STARTTLS, m, end) >= 0 || indexOf(s, SESSION_ENCRYPTION_REQUIRED, m, end) >= 0) {
            int from = indexOf(s, " from ", m, end);
            Endpoint peer = from < 0 ? null : Endpoint.read(s, from + 6, end);
            return ParseResult.of(Endpoint.applyTo(line(SourceKind.POSTFIX_SMTPD, LineEvent.STARTTLS_REQUIRED, env, lineNumber), peer)
                    .tlsRequired(true).error(reply(s, m, end)).detail(s.substring(m, end)).build());
        }
        return ParseResult.ignored();
    }

    private ParseResult failedAfterStarttls(SyslogLine env, long lineNumber, String error, int peerAt) {
        Endpoint peer = Endpoint.read(env.line(), peerAt, env.end());
        return ParseResult.of(Endpoint.applyTo(line(SourceKind.POSTFIX_SMTPD, LineEvent.TLS_FAILED, env, lineNumber), peer)
                .error(error).build());
    }

    // ---------------------------------------------------------------- smtp: outbound

    private ParseResult smtp(SyslogLine env, long lineNumber) {
        String s = env.line();
        int m = env.messageStart();
        int end = env.end();
        if (s.startsWith("Host offered STARTTLS: [", m)) {
            int close = s.indexOf(']', m + 24);
            String host = close > m + 24 && close < end ? s.substring(m + 24, close) : null;
            return ParseResult.of(line(SourceKind.POSTFIX_SMTP, LineEvent.CAPABILITIES, env, lineNumber)
                    .opensSession(opensHandshake(env, host, null)).starttlsOffered(true).remoteHost(host).build());
        }
        if (s.startsWith("SSL_connect error to ", m)) {
            Endpoint peer = Endpoint.read(s, m + 21, end);
            String reason = peer == null ? null : afterColon(s, peer.end, end);
            return ParseResult.of(Endpoint.applyTo(line(SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, env, lineNumber), peer)
                    .opensSession(opensHandshake(env, peer)).error(reason == null ? "SSL_connect error" : reason).build());
        }
        if (s.startsWith("certificate verification failed for ", m) || s.startsWith("server certificate verification failed for ", m)) {
            int at = s.indexOf(" for ", m) + 5;
            Endpoint peer = Endpoint.read(s, at, end);
            String reason = peer == null ? null : afterColon(s, peer.end, end);
            return ParseResult.of(Endpoint.applyTo(line(SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, env, lineNumber), peer)
                    .opensSession(opensHandshake(env, peer)).error(reason == null ? s.substring(m, end) : reason).build());
        }
        int established = indexOf(s, ESTABLISHED_TO, m, end);
        if (established > m) {
            return established(SourceKind.POSTFIX_SMTP, env, lineNumber, established, established + ESTABLISHED_TO.length(), true);
        }
        ParseResult shared = tlsWarnings(SourceKind.POSTFIX_SMTP, env, lineNumber);
        if (shared != null) {
            return shared;
        }
        int afterQueueId = afterQueueId(s, m, end);
        if (afterQueueId > 0) {
            if (s.startsWith("Cannot start TLS", afterQueueId)) {
                return ParseResult.of(line(SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, env, lineNumber)
                        .error(s.substring(afterQueueId, end)).build());
            }
            if (s.startsWith("to=<", afterQueueId)) {
                return delivery(env, lineNumber, m, afterQueueId);
            }
        }
        return ParseResult.ignored();
    }

    /** {@code QUEUEID: to=<...>, relay=host[ip]:port, ..., [tls=...,] status=S (text)}. */
    private ParseResult delivery(SyslogLine env, long lineNumber, int m, int from) {
        String s = env.line();
        int end = env.end();
        int statusAt = indexOf(s, ", status=", from, end);
        if (statusAt < 0) {
            return ParseResult.ignored();
        }
        if (isFurtherRecipient(env, m, from, statusAt)) {
            return ParseResult.ignored();
        }
        openPeer.remove(sessionId(env));
        int statusStart = statusAt + 9;
        int statusEnd = statusStart;
        while (statusEnd < end && s.charAt(statusEnd) != ' ') {
            statusEnd++;
        }
        String status = s.substring(statusStart, statusEnd);
        String text = null;
        int open = s.indexOf('(', statusEnd);
        if (open >= 0 && open < end) {
            int close = s.lastIndexOf(')', end - 1);
            text = close > open ? s.substring(open + 1, close) : s.substring(open + 1, end);
        }
        Endpoint relay = null;
        int relayAt = indexOf(s, ", relay=", from, statusAt);
        if (relayAt >= 0 && !s.startsWith("none", relayAt + 8)) {
            relay = Endpoint.read(s, relayAt + 8, statusAt + 1);
        }
        String tls = featureValue(s, ", tls=", from, statusAt + 1);
        ParsedLine.Builder b;
        String t = text == null ? "" : text;
        if (t.contains("TLS is required, but was not offered")) {
            b = line(SourceKind.POSTFIX_SMTP, LineEvent.STARTTLS_NOT_OFFERED, env, lineNumber).tlsRequired(true).error(text);
        } else if (t.contains(MUST_ISSUE_STARTTLS) || t.contains(SESSION_ENCRYPTION_REQUIRED)) {
            b = line(SourceKind.POSTFIX_SMTP, LineEvent.STARTTLS_REQUIRED, env, lineNumber).tlsRequired(true).error(text);
        } else if (isTlsFailureText(t)) {
            b = line(SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, env, lineNumber).error(text);
        } else if (tls != null && tls.startsWith("dane") && tls.indexOf(':') > 0) {
            b = line(SourceKind.POSTFIX_SMTP, LineEvent.TLS_FAILED, env, lineNumber).error("tls=" + tls);
        } else {
            b = line(SourceKind.POSTFIX_SMTP, LineEvent.DELIVERY, env, lineNumber);
        }
        String detail = "status=" + status + (text == null ? "" : " (" + text + ")") + (tls == null ? "" : ", tls=" + tls);
        return ParseResult.of(Endpoint.applyTo(b, relay).closesSession(true).detail(detail)
                .policyDomain(RecipientDomain.of(s, from + 3, statusAt)).policyType(policyOf(tls, t)).build());
    }

    /**
     * Whether this status line is one more recipient of the delivery whose status ended this
     * process's last session; if not, it becomes that delivery.
     */
    private boolean isFurtherRecipient(SyslogLine env, int m, int from, int statusAt) {
        String s = env.line();
        int relayAt = indexOf(s, ", relay=", from, statusAt);
        String relay = relayAt < 0 ? "" : featureValue(s, ", relay=", relayAt, statusAt);
        String tls = featureValue(s, ", tls=", from, statusAt + 1);
        String dsn = featureValue(s, ", dsn=", from, statusAt + 1);
        String signature = s.substring(m, from) + relay + '\n' + (tls == null ? "" : tls) + '\n'
                + (dsn == null ? "" : dsn) + '\n' + s.substring(statusAt + 2, env.end());
        String id = sessionId(env);
        String last = lastDelivery.get(id);
        if (last != null) {
            int nl = last.indexOf('\n');
            if (last.startsWith(signature, nl + 1) && last.length() == nl + 1 + signature.length()
                    && Math.abs(env.time() - Long.parseLong(last, 0, nl, 10)) <= SAME_DELIVERY_WITHIN_MILLIS) {
                return true;
            }
        }
        lastDelivery.put(id, env.time() + "\n" + signature);
        return false;
    }

    /**
     * The RFC 8460 policy a Postfix 3.8+ {@code tls=} feature shows: its level comes first
     * ({@code dane}, {@code dane-only}, {@code dane/!requiretls:nocertmatch}), and only the DANE
     * levels are a policy the receiving domain published. {@code secure}, {@code verify} and
     * {@code encrypt} are the sender's own settings (or a policy map tlsmon cannot see into), not
     * a TLSA or MTA-STS policy. Before 3.8 only a status text about TLSA records shows DANE was used.
     */
    static PolicyType policyOf(String tls, String statusText) {
        boolean dane = (tls != null && tls.startsWith("dane")) || statusText.contains("TLSA lookup error")
                || statusText.contains("no TLSA records");
        return dane ? PolicyType.TLSA : null;
    }

    private static boolean isTlsFailureText(String t) {
        return t.contains("Server certificate not verified") || t.contains("Server certificate not trusted")
                || t.contains("while performing the TLS handshake") || t.contains("Cannot start TLS")
                || t.contains("TLSA lookup error") || t.contains("no TLSA records") || t.contains("TLS handshake failed");
    }

    /** The value of {@code , name=value} before {@code limit}, up to the next comma. */
    private static String featureValue(String s, String key, int from, int limit) {
        int at = indexOf(s, key, from, limit);
        if (at < 0) {
            return null;
        }
        int v = at + key.length();
        int e = s.indexOf(',', v);
        if (e < 0 || e > limit) {
            e = limit;
        }
        return s.substring(v, e);
    }

    // ---------------------------------------------------------------- shared by smtpd and smtp

    /** TLS library problems, local certificate problems and DANE warnings; null when the line is none of these. */
    private ParseResult tlsWarnings(SourceKind kind, SyslogLine env, long lineNumber) {
        String s = env.line();
        int m = env.messageStart();
        int end = env.end();
        if (s.startsWith(TLS_LIBRARY_PROBLEM, m)) {
            return ParseResult.of(line(kind, LineEvent.TLS_FAILED, env, lineNumber)
                    .error(s.substring(m + TLS_LIBRARY_PROBLEM.length(), end)).build());
        }
        int t = s.startsWith("warning: ", m) ? m + 9 : m;
        boolean certificateSetup = (s.startsWith("cannot get ", t) || s.startsWith("cannot load ", t))
                && (indexOf(s, "certificate", t, end) >= 0 || indexOf(s, " key ", t, end) >= 0);
        if (certificateSetup || indexOf(s, "disabling TLS support", t, end) >= 0) {
            return ParseResult.of(line(kind, LineEvent.PROCESS_TLS_PROBLEM, env, lineNumber).error(s.substring(t, end)).build());
        }
        if (kind == SourceKind.POSTFIX_SMTP && t > m
                && (indexOf(s, "TLSA lookup error", t, end) >= 0 || indexOf(s, "no TLSA records", t, end) >= 0)) {
            // only the dane levels look TLSA records up: the session ran under the domain's DANE policy
            return ParseResult.of(line(kind, LineEvent.TLS_FAILED, env, lineNumber).error(s.substring(t, end))
                    .policyType(PolicyType.TLSA).build());
        }
        return null;
    }

    /** {@code (Anonymous|Untrusted|Trusted|Verified) TLS connection established (from|to) host[ip](:port)?: TLSv1.2 with cipher X (n/m bits)...}. */
    private ParseResult established(SourceKind kind, SyslogLine env, long lineNumber, int trustEnd, int peerAt, boolean outbound) {
        String s = env.line();
        int end = env.end();
        int m = env.messageStart();
        Endpoint peer = Endpoint.read(s, peerAt, end);
        if (peer == null || peer.end + 2 > end || s.charAt(peer.end) != ':') {
            return ParseResult.error("Postfix TLS connection line without host[ip]: " + s.substring(m, end));
        }
        int v = peer.end + 2;
        int vEnd = s.indexOf(' ', v);
        if (vEnd < 0 || vEnd > end) {
            vEnd = end;
        }
        String versionName = s.substring(v, vEnd);
        String cipher = null;
        if (s.startsWith(" with cipher ", vEnd)) {
            int c = vEnd + 13;
            int cEnd = s.indexOf(' ', c);
            cipher = s.substring(c, cEnd < 0 || cEnd > end ? end : cEnd);
        }
        String version = TlsVersions.normalise(versionName);
        ParsedLine.Builder b = Endpoint.applyTo(line(kind, LineEvent.TLS_ESTABLISHED, env, lineNumber), peer)
                .tlsVersion(version).cipher(cipher).detail(s.substring(m, trustEnd) + (version == null ? ", version=" + versionName : ""));
        if (outbound) {
            b.opensSession(opensHandshake(env, peer));
        }
        return ParseResult.of(b.build());
    }

    private boolean opensHandshake(SyslogLine env, Endpoint peer) {
        return peer == null ? opensHandshake(env, null, null) : opensHandshake(env, peer.host, peer.ip);
    }

    /** An smtp handshake line opens a session unless the open one of this process is with the same peer. */
    private boolean opensHandshake(SyslogLine env, String host, String ip) {
        String id = sessionId(env);
        String open = openPeer.get(id);
        if (open != null && (open.equals(host) || open.equals(ip))) {
            return false;
        }
        openPeer.put(id, host != null ? host : ip != null ? ip : "");
        return true;
    }

    private ParsedLine.Builder line(SourceKind kind, LineEvent event, SyslogLine env, long lineNumber) {
        return ParsedLine.builder(kind, event)
                .time(env.time())
                // the host the line names first: a central syslog server ships the lines of many MTAs
                .server(env.host() != null ? env.host() : stream.sourceHost())
                .sessionId(sessionId(env))
                .sequence(lineNumber)
                .connector(env.program())
                .source(stream.stream())
                .lineNumber(lineNumber);
    }

    private static String sessionId(SyslogLine env) {
        return env.pid() >= 0 ? env.program() + '[' + env.pid() + ']' : env.program();
    }

    /** The text after {@code ": "} at {@code at} (the reason after an endpoint), or null. */
    private static String afterColon(String s, int at, int end) {
        if (at + 1 < end && s.charAt(at) == ':' && s.charAt(at + 1) == ' ') {
            return s.substring(at + 2, end);
        }
        return null;
    }

    /** The SMTP reply of a reject line: {@code 530 5.7.0 Must issue a STARTTLS command first}, without the {@code ; from=...} tail. */
    private static String reply(String s, int m, int end) {
        int phrase = indexOf(s, MUST_ISSUE_STARTTLS, m, end);
        if (phrase < 0) {
            phrase = indexOf(s, SESSION_ENCRYPTION_REQUIRED, m, end);
        }
        int start = s.lastIndexOf(": ", phrase);
        start = start < m ? m : start + 2;
        int stop = s.indexOf(';', phrase);
        return s.substring(start, stop < 0 || stop > end ? end : stop);
    }

    /** Index after {@code QUEUEID: } when the message starts with a queue id, else -1. */
    private static int afterQueueId(String s, int m, int end) {
        int i = m;
        while (i < end) {
            char c = s.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
                i++;
            } else {
                break;
            }
        }
        if (i - m < 5 || i + 1 >= end || s.charAt(i) != ':' || s.charAt(i + 1) != ' ') {
            return -1;
        }
        return i + 2;
    }

    private static int indexOf(String s, String needle, int from, int end) {
        int i = s.indexOf(needle, from);
        return i >= 0 && i + needle.length() <= end ? i : -1;
    }
}
