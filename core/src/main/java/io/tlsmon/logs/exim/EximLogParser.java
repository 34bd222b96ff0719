package io.tlsmon.logs.exim;

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
import io.tlsmon.logs.syslog.TlsVersions;

/**
 * Parser of Exim logs: the mainlog ({@code 2024-03-01 12:00:00[.mmm][ +0100] [pid] 1abcDE-000123-AB ...},
 * pid, message id and zone each optional; ids of 6-6-2 or, since Exim 4.97, 6-11-4 characters) and
 * the same text wrapped in syslog ({@code ... host exim[pid]: ...}, any envelope
 * {@link io.tlsmon.logs.syslog.SyslogParser} reads, or {@code host exim[pid]: 2024-03-01 12:00:00 ...}
 * with only Exim's own time); {@link EximEnvelope} finds the text.
 *
 * <p>The lines that say something about TLS, as Exim 4.96 to 4.99 write them (smtp_in.c,
 * transports/smtp.c, deliver.c, tls-gnu.c, tls-openssl.c; the wording is the same in all four):
 * <ul>
 *   <li>{@code TLS error on connection from <peer> (<function>): <reason>}: an inbound failure.
 *       {@code (gnutls_handshake)}, {@code (SSL_accept)}, {@code (cert/key setup: ...)} end the
 *       negotiation; {@code (recv)}, {@code (send)} and the like come after a finished handshake,
 *       so the connection's session stays open for its last line;</li>
 *   <li>{@code <= ... H=... X=TLS1.2:CIPHER:bits CV=no} (a message received over TLS) and
 *       {@code no MAIL in SMTP connection from <peer> ... X=... C=...} (a connection that sent no
 *       MAIL, with {@code +smtp_no_mail}): inbound handshakes done; a {@code no MAIL} line with
 *       STARTTLS last in {@code C=} and no {@code X=} is a client that gave up after STARTTLS;</li>
 *   <li>{@code SMTP protocol error in "STARTTLS" ... STARTTLS command used when not advertised}:
 *       a client wanted TLS from a listener that does not offer it;</li>
 *   <li>{@code rejected MAIL|RCPT ...: <the ACL's message>} naming STARTTLS or TLS as required
 *       (Exim has no built-in wording: an ACL with {@code !encrypted = *} supplies it);</li>
 *   <li>{@code == / ** <address> ... H=<host> [<ip>]...: TLS session: (<function>): <reason>}: an
 *       outbound failure; {@code ...: a TLS session is required, but the server did not offer TLS
 *       support} or {@code ... but an attempt to start TLS failed} (hosts_require_tls), also logged
 *       once before by the transport as {@code H=<host> [<ip>]:<port>: a TLS session is required...};
 *       a reply with {@code Must issue a STARTTLS command first}: the peer required TLS;</li>
 *   <li>{@code => <address> ... H=<host> [<ip>] X=...}: delivered over TLS; without {@code X=} the
 *       message went in clear, which for an smtp transport means the peer offered no STARTTLS (or
 *       the transport avoided TLS: the log does not tell those apart);</li>
 *   <li>{@code [<ip>] SSL verify error: depth=0 error=<X509 reason> cert=...} and
 *       {@code ... SSL verify error: certificate name mismatch: DN="..." H="..."} (Exim on OpenSSL
 *       only; tls-openssl.c): why the verification that the next failure line reports failed.</li>
 * </ul>
 *
 * <p>One SMTP connection is one session: inbound keyed by the pid ({@code +pid}), else by the peer's
 * address and port; outbound by message id and peer address. Exim logs the end of a failed
 * negotiation once and then the connection's end ({@code no MAIL ...}) or the delivery's result
 * ({@code == ...}) again: the parser remembers, for a short while of log time, the connections it
 * already ended, so such a repeat is not taken for a second attempt.
 */
public final class EximLogParser implements LineParser {
    /** How long (log time) a connection the parser ended is remembered: Exim logs its repeats within milliseconds. */
    static final long REMEMBER_MS = 30_000;
    private static final int REMEMBER_MAX = 4096;

    private final StreamInfo stream;
    private final EximEnvelope envelope;
    /** Keys of connections whose negotiation a line already ended, with that line's time. */
    private final RememberedMap ended;

    /**
     * Outbound connections whose transport line ({@code H=... a TLS session is required...}) left the
     * session open for the delivery line that repeats it and names the recipient (the policy domain).
     */
    private final RememberedMap awaitingRecipient;

    // where the Exim text of the current line starts, and what its envelope said
    private String text;
    private int m;
    private int end;
    private long time;
    private String host;
    private long pid;
    private int idStart;
    private int idEnd;
    /** The session id of the line being built: the connection's key. */
    private String lastKey;

    public EximLogParser(StreamInfo stream) {
        this(stream, ParserMemory.inMemory());
    }

    public EximLogParser(StreamInfo stream, ParserMemory memory) {
        this.stream = stream;
        this.envelope = new EximEnvelope(stream);
        this.ended = new RememberedMap(memory, "ended", REMEMBER_MAX, false);
        this.awaitingRecipient = new RememberedMap(memory, "awaiting-recipient", REMEMBER_MAX, false);
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
        idStart = -1;
        int idEnd = messageIdEnd(s, m, end);
        if (idEnd > 0) {
            idStart = m;
            this.idEnd = idEnd;
            m = idEnd + 1;
        }
        if (s.startsWith("TLS error on connection from ", m)) {
            return inboundTlsError(lineNumber, m + 29);
        }
        if (s.startsWith("TLS error on connection to ", m)) {
            Endpoint peer = Endpoint.read(s, m + 27, end);
            return ParseResult.of(ended(line(LineEvent.TLS_FAILED, lineNumber, true, outboundKey(peer)), peer)
                    .error(errorAfter(peer == null ? m + 27 : peer.end)).build());
        }
        if (s.startsWith("<= ", m)) {
            return received(lineNumber);
        }
        if (s.startsWith("=> ", m) || s.startsWith("-> ", m)) {
            return delivered(lineNumber);
        }
        if (s.startsWith("== ", m) || s.startsWith("** ", m)) {
            return deliveryFailed(lineNumber);
        }
        if (s.startsWith("H=", m) && indexOf(s, ": a TLS session is required, but ", m, end) > 0) {
            // the transport's own line, before the delivery's == line says the same
            return tlsRequiredFailure(lineNumber, Endpoint.read(s, m + 2, end),
                    indexOf(s, ": a TLS session is required, but ", m, end) + 2);
        }
        if (s.startsWith("no MAIL in SMTP connection from ", m) || s.startsWith("no MAIL in TFO", m)
                || s.startsWith("SMTP connection from ", m)) {
            return connectionEnd(lineNumber);
        }
        if (s.startsWith("SMTP protocol error in \"STARTTLS\" ", m)
                && indexOf(s, "STARTTLS command used when not advertised", m, end) > 0) {
            Endpoint peer = hostField(s, m);
            return ParseResult.of(ended(line(LineEvent.STARTTLS_NOT_OFFERED, lineNumber, false, inboundKey(peer)), peer)
                    .error("STARTTLS command used when not advertised").build());
        }
        int verify = indexOf(s, "] SSL verify error", m, end);
        if (verify > m && s.charAt(m) == '[') {
            return verifyError(lineNumber, verify);
        }
        if ((s.startsWith("H=", m) || s.startsWith("rejected ", m)) && indexOf(s, " rejected ", m - 1, end) >= m - 1
                && requiresTls(s, m)) {
            Endpoint peer = hostField(s, m - 1);
            return ParseResult.of(ended(line(LineEvent.STARTTLS_REQUIRED, lineNumber, false, inboundKey(peer)), peer)
                    .tlsRequired(true).error(s.substring(indexOf(s, ": ", m, end) + 2, end)).build());
        }
        return ParseResult.ignored();
    }

    private ParseResult inboundTlsError(long lineNumber, int peerAt) {
        Endpoint peer = Endpoint.read(text, peerAt, end);
        String error = errorAfter(peer == null ? peerAt : peer.end);
        ParsedLine.Builder b = Endpoint.applyTo(line(LineEvent.TLS_FAILED, lineNumber, false, inboundKey(peer)), peer)
                .error(error);
        if (afterHandshake(error)) {
            // the handshake was done: the connection's last line (no MAIL ... X=) still belongs to it
            return ParseResult.of(b.closesSession(false).build());
        }
        return ParseResult.of(ended(b, null).build());
    }

    /** {@code (recv): ...}, {@code (send): ...}: tls-gnu.c's record_io_error, and OpenSSL's SSL_read/SSL_write. */
    private static boolean afterHandshake(String error) {
        return error.startsWith("(recv)") || error.startsWith("(send)") || error.startsWith("(SSL_read")
                || error.startsWith("(SSL_write") || error.startsWith("(tls_write)") || error.startsWith("(tls_read)");
    }

    /** A {@code <=} line: an inbound TLS attempt only when it arrived over SMTP with {@code X=}. */
    private ParseResult received(long lineNumber) {
        Endpoint peer = hostField(text, m);
        int x = indexOf(text, " X=", m, end);
        if (peer == null || x < 0) {
            return ParseResult.ignored();
        }
        String key = inboundKey(peer);
        if (remembered(key)) {
            return ParseResult.ignored();
        }
        return ParseResult.of(ended(established(line(LineEvent.TLS_ESTABLISHED, lineNumber, false, key), x), peer).build());
    }

    /** A {@code =>} line: over TLS with {@code X=}, in clear without it. */
    private ParseResult delivered(long lineNumber) {
        Endpoint peer = hostField(text, m);
        if (peer == null) {
            // a local delivery (:blackhole:, a mailbox): no SMTP peer
            return ParseResult.ignored();
        }
        String key = outboundKey(peer);
        if (remembered(key)) {
            return ParseResult.ignored();
        }
        int x = indexOf(text, " X=", m, end);
        if (x < 0) {
            // the delivery line itself says what went in clear, and to whom
            return ParseResult.of(ended(line(LineEvent.STARTTLS_NOT_OFFERED, lineNumber, true, key), peer)
                    .policyDomain(recipientDomain()).detail(text.substring(m, end)).build());
        }
        return ParseResult.of(ended(established(line(LineEvent.TLS_ESTABLISHED, lineNumber, true, key), x), peer)
                .policyDomain(recipientDomain()).build());
    }

    private ParseResult deliveryFailed(long lineNumber) {
        String s = text;
        Endpoint peer = hostField(s, m);
        String key = outboundKey(peer);
        int tls = indexOf(s, "TLS session: ", m, end);
        int required = indexOf(s, "a TLS session is required, but ", m, end);
        boolean starttlsRequired = requiresTls(s, m);
        if (tls < 0 && required < 0 && !starttlsRequired) {
            return ParseResult.ignored();
        }
        if (remembered(key)) {
            if (awaitingRecipient.remove(key)) {
                // the transport's line said it first and left the session open for this line's recipient
                return ParseResult.of(line(LineEvent.DELIVERY, lineNumber, true, key).policyDomain(recipientDomain()).build());
            }
            return ParseResult.ignored();
        }
        if (tls >= 0) {
            return ParseResult.of(ended(line(LineEvent.TLS_FAILED, lineNumber, true, key), peer)
                    .policyDomain(recipientDomain()).error(s.substring(tls + 13, end)).build());
        }
        if (required >= 0) {
            return tlsRequiredFailure(lineNumber, peer, required);
        }
        int reply = indexOf(s, ": ", hostEnd(peer), end);
        return ParseResult.of(ended(line(LineEvent.STARTTLS_REQUIRED, lineNumber, true, key), peer).tlsRequired(true)
                .policyDomain(recipientDomain())
                .error(reply < 0 ? s.substring(m, end) : s.substring(reply + 2, end)).build());
    }

    /** {@code a TLS session is required, but ...} at {@code at}: hosts_require_tls could not be met. */
    private ParseResult tlsRequiredFailure(long lineNumber, Endpoint peer, int at) {
        String key = outboundKey(peer);
        if (remembered(key)) {
            return ParseResult.ignored();
        }
        String reason = text.substring(at, end);
        boolean notOffered = reason.endsWith("the server did not offer TLS support");
        boolean transportLine = text.startsWith("H=", m);
        if (transportLine && idStart >= 0) {
            // the delivery's == or ** line follows with the recipient: it ends the session
            awaitingRecipient.put(key, "");
        }
        return ParseResult.of(ended(line(notOffered ? LineEvent.STARTTLS_NOT_OFFERED : LineEvent.TLS_FAILED, lineNumber, true, key), peer)
                .closesSession(!(transportLine && idStart >= 0))
                .tlsRequired(true).policyDomain(recipientDomain()).error(reason).build());
    }

    /**
     * The domain of the address a {@code =>}, {@code ->}, {@code **} or {@code ==} line delivers to:
     * the first word after the mark ({@code => final@domain <original@domain> R=...}: the final
     * address is the one the SMTP transport sent to). Null on other lines (the transport's own
     * {@code H=...} line names no address).
     */
    private String recipientDomain() {
        boolean delivery = (text.startsWith("=> ", m) || text.startsWith("-> ", m)
                || text.startsWith("** ", m) || text.startsWith("== ", m));
        return delivery ? RecipientDomain.of(text, m + 3, end) : null;
    }

    /** {@code no MAIL in SMTP connection from ...} and {@code SMTP connection from ... closed/lost}. */
    private ParseResult connectionEnd(long lineNumber) {
        String s = text;
        int from = indexOf(s, "connection from ", m, end) + 16;
        Endpoint peer = Endpoint.read(s, from, end);
        String key = inboundKey(peer);
        if (remembered(key)) {
            return ParseResult.ignored();
        }
        int x = indexOf(s, " X=", m, end);
        if (x >= 0 && s.startsWith("no MAIL", m)) {
            return ParseResult.of(ended(established(line(LineEvent.TLS_ESTABLISHED, lineNumber, false, key), x), peer).build());
        }
        if (!lastCommandIsStarttls(s, m)) {
            return ParseResult.ignored();
        }
        return ParseResult.of(ended(line(LineEvent.TLS_FAILED, lineNumber, false, key), peer)
                .error("client gave up after STARTTLS").build());
    }

    /** {@code [ip] SSL verify error...}: the reason of the failure line that follows; keeps the session open. */
    private ParseResult verifyError(long lineNumber, int close) {
        String ip = text.substring(m + 1, close);
        boolean outbound = idStart >= 0;
        String key = outbound ? messageId() + "/" + ip : pid >= 0 ? Long.toString(pid) : ip;
        return ParseResult.of(line(LineEvent.TLS_FAILED, lineNumber, outbound, key)
                .remoteIp(ip).closesSession(false)
                .error(text.substring(close + 2, end)).build());
    }

    private ParsedLine.Builder established(ParsedLine.Builder b, int x) {
        String s = text;
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
        return b.tlsVersion(version).cipher(cipher).detail(detail.isEmpty() ? null : detail);
    }

    /** Whether a rejection's text says TLS was required first (the ACL's own words, so a few phrasings). */
    private boolean requiresTls(String s, int from) {
        String lower = s.substring(from, end).toLowerCase(java.util.Locale.ROOT);
        return lower.contains("must issue a starttls command first") || lower.contains("starttls required")
                || lower.contains("tls required") || lower.contains("encryption required")
                || lower.contains("requires tls") || lower.contains("requires encryption");
    }

    /** The text from the {@code (} or {@code : } after the peer to the end: {@code (function): reason}. */
    private String errorAfter(int from) {
        int open = indexOf(text, " (", from, end);
        if (open >= 0) {
            return text.substring(open + 1, end);
        }
        int colon = indexOf(text, ": ", from, end);
        return colon >= 0 ? text.substring(colon + 2, end) : text.substring(m, end);
    }

    /** Builder of a line that ends its connection's negotiation; remembers the connection. */
    private ParsedLine.Builder ended(ParsedLine.Builder b, Endpoint peer) {
        if (time != Long.MIN_VALUE) {
            ended.put(lastKey, Long.toString(time));
        }
        return peer == null ? b : Endpoint.applyTo(b, peer);
    }

    private boolean remembered(String key) {
        String remembered = ended.get(key);
        if (remembered == null || time == Long.MIN_VALUE) {
            return false;
        }
        long at = Long.parseLong(remembered);
        return time - at <= REMEMBER_MS && time >= at;
    }

    private String inboundKey(Endpoint peer) {
        if (pid >= 0) {
            return Long.toString(pid);
        }
        if (peer != null && peer.ip != null) {
            return peer.port >= 0 ? peer.ip + ":" + peer.port : peer.ip;
        }
        return "exim";
    }

    private String outboundKey(Endpoint peer) {
        String ip = peer == null ? null : peer.ip;
        if (idStart >= 0) {
            return ip == null ? messageId() : messageId() + "/" + ip;
        }
        return pid >= 0 ? Long.toString(pid) : ip != null ? ip : "exim";
    }

    private String messageId() {
        return text.substring(idStart, idEnd);
    }

    private static int hostEnd(Endpoint peer) {
        return peer == null ? 0 : peer.end;
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

    private ParsedLine.Builder line(LineEvent event, long lineNumber, boolean outbound, String sessionId) {
        lastKey = sessionId;
        return ParsedLine.builder(SourceKind.EXIM, event)
                .time(time == Long.MIN_VALUE ? 0 : time)
                .server(host != null ? host : stream.sourceHost())
                .sessionId(sessionId)
                .sequence(lineNumber)
                // a connection's lines are told apart by their key and its end alone: any line may be its first
                .opensSession(false)
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
