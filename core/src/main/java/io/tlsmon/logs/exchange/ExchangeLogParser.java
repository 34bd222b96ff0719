package io.tlsmon.logs.exchange;

import io.tlsmon.avro.CertificateRole;
import io.tlsmon.logs.CertificateFact;
import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.RecipientDomain;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;

/**
 * Parser of Exchange 2010-2019 SMTP Send and Receive protocol logs ({@code SEND*.LOG},
 * {@code RECV*.LOG}; shared/reference/log-formats.md §1).
 *
 * <p>Lines are CSV in the column order of the {@code #Fields:} header. {@code >} and {@code <} are
 * relative to the logging server, so in a receive log {@code <} carries client commands and in a
 * send log {@code >} does; the parser maps both onto the same {@link LineEvent}s.
 *
 * <p>Send or receive is decided, first to last, by the {@code #Log-type:} header, the stream path
 * ({@code SEND*} / {@code RECV*} file name, else an {@code SmtpSend} / {@code SmtpReceive} folder),
 * and finally the connector-id of each line: receive connectors are always named
 * {@code SERVER\Connector}, so a connector-id with a backslash means receive and one without means
 * send (the default). Only a line with an empty connector-id and no other clue is an error.
 *
 * <p>Speed: most lines of a verbose log (RCPT, DATA, queue noise) say nothing about TLS. Each line is
 * scanned once for its field boundaries; relevance is decided on the raw event character and data
 * prefix, and substrings are made only for lines that are kept.
 *
 * <p>A file whose {@code #Log-type} names another Exchange log (message tracking, for one) is not
 * ours to read: its lines are ignored.
 */
public final class ExchangeLogParser implements LineParser {

    private enum Side { RECEIVE, SEND }

    private static final String TLS_PROTOCOL = "TLS protocol ";
    private static final String TLS_FAILED = "TLS negotiation failed with error";
    private static final String[] CERTIFICATE_LABELS = {
        "Sending certificate", "Received certificate", "Remote certificate", "Certificate subject",
        "Certificate issuer name", "Certificate serial number", "Certificate thumbprint",
        "Certificate alternate names",
    };
    private static final String[] CERTIFICATE_STATUS = {
        "Client certificate chain validation status:", "TlsDomainCapabilities=",
    };
    /** Words that only an EHLO reply carries, to tell it from other 250 replies. */
    private static final String[] EHLO_REPLY_TOKENS = {
        "Hello", "STARTTLS", "SIZE", "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", "CHUNKING", "SMTPUTF8", "DSN",
    };
    private static final int MAX_QUOTED = 80;
    private static final String RCPT_TO = "RCPT TO:";

    private final StreamInfo stream;
    private final String source;
    private final Side sideFromPath;
    private final ExchangeHeader header = new ExchangeHeader();
    private final CsvRecord record = new CsvRecord();
    /** The column holding the text that made a {@code *} line relevant (data or context). */
    private int textColumn;

    public ExchangeLogParser(StreamInfo stream) {
        this.stream = stream;
        this.source = stream == null ? null : stream.stream();
        this.sideFromPath = side(ExchangeLogFiles.sideOf(source));
    }

    /**
     * Whether {@code line} has the shape of a protocol-log line in Exchange's default column order:
     * a date-time such as {@code 2023-01-11T15:59:51.433Z} (a BOM before it allowed), a comma, and at
     * least two more fields. For telling the format from lines alone.
     */
    public static boolean isProtocolLogLine(String line) {
        int from = line.startsWith("\uFEFF") ? 1 : 0;
        int comma = line.indexOf(',', from);
        return comma > from && ExchangeTime.parse(line, from, comma) != ExchangeTime.INVALID
                && line.indexOf(',', comma + 1) > 0;
    }

    @Override
    public ParseResult parse(String line, long lineNumber) {
        if (line == null) {
            return ParseResult.error("no line (null)");
        }
        int from = 0;
        int to = line.length();
        if (to > 0 && line.charAt(0) == '\uFEFF') {
            from = 1;
        }
        if (to > from && line.charAt(to - 1) == '\r') {
            to--;
        }
        if (isBlank(line, from, to)) {
            return ParseResult.ignored();
        }
        if (header.offer(line)) {
            return ParseResult.ignored();
        }
        if (header.isOtherLog()) {
            return ParseResult.ignored();
        }
        String csvProblem = record.scan(line, from, to);
        if (csvProblem != null) {
            return ParseResult.error(csvProblem);
        }
        FieldLayout f = header.layout();
        if (f.problem != null) {
            return ParseResult.error(f.problem);
        }
        // Exchange ends a line with an empty context as "...,data," ; accept the comma missing too.
        if (record.count() < f.declared - 1) {
            return ParseResult.error("too few fields: " + record.count() + ", expected " + f.declared);
        }
        // Exchange quotes every value with a comma, so more fields mean broken quoting (blog copies
        // with typographic quotes) or another log's line; reading on would shift the columns.
        if (record.count() > f.declared) {
            return ParseResult.error("too many fields: " + record.count() + ", expected " + f.declared
                    + " (a comma outside quotes?)");
        }
        if (record.length(f.event) != 1 || "+-<>*".indexOf(record.charAt(f.event, 0)) < 0) {
            return ParseResult.error("unknown event '" + quoted(f.event) + "' (expected +, -, <, > or *)");
        }
        // the same reading as ExchangeClock's, which shippers stamp records with
        long time = ExchangeTime.parse(line, record.start(f.dateTime), record.end(f.dateTime));
        if (time == ExchangeTime.INVALID) {
            return ParseResult.error("bad date-time '" + quoted(f.dateTime) + "'");
        }
        long sequence = sequenceNumber(f.sequenceNumber);
        if (sequence < 0) {
            return ParseResult.error("bad sequence-number '" + quoted(f.sequenceNumber) + "'");
        }
        if (record.isEmpty(f.sessionId)) {
            return ParseResult.error("empty session-id");
        }
        Side side = side(f);
        if (side == null) {
            return ParseResult.error("cannot tell send from receive: no #Log-type header, no SmtpSend/SmtpReceive"
                    + " or SEND/RECV path, and an empty connector-id");
        }
        char event = record.charAt(f.event, 0);
        LineEvent lineEvent = relevantEvent(event, side, f);
        if (lineEvent == null) {
            return ParseResult.ignored();
        }
        return build(lineEvent, side, f, time, sequence, lineNumber);
    }

    // ---- relevance: decided on raw regions, before any substring is made ----

    private LineEvent relevantEvent(char event, Side side, FieldLayout f) {
        switch (event) {
            case '+':
                return LineEvent.CONNECT;
            case '-':
                return LineEvent.DISCONNECT;
            case '*':
                return informationEvent(f);
            default:
                boolean fromClient = (event == '<') == (side == Side.RECEIVE);
                return fromClient ? clientCommand(f.data, side) : serverReply(f.data);
        }
    }

    private LineEvent clientCommand(int data, Side side) {
        if ((record.startsWithIgnoreCase(data, "EHLO") || record.startsWithIgnoreCase(data, "HELO"))
                && (record.length(data) == 4 || record.charAt(data, 4) == ' ')) {
            return LineEvent.EHLO;
        }
        if (record.startsWithIgnoreCase(data, "STARTTLS") && isBlankAfter(data, 8)) {
            return LineEvent.STARTTLS;
        }
        if (record.startsWithIgnoreCase(data, "MAIL FROM:")) {
            return LineEvent.MAIL_FROM;
        }
        // our own RCPT TO names the recipient domain, whose TLS policy the session is reported to
        if (side == Side.SEND && record.startsWithIgnoreCase(data, RCPT_TO)) {
            return LineEvent.OTHER;
        }
        return null;
    }

    private LineEvent serverReply(int data) {
        int code = replyCode(data);
        if (code < 0) {
            return null;
        }
        if (code == 220) {
            return record.startsWith(data, "220 2.0.0") ? LineEvent.STARTTLS_READY : LineEvent.GREETING;
        }
        if (code == 250) {
            return isEhloReply(data) ? LineEvent.CAPABILITIES : null;
        }
        if (code >= 400) {
            if (isStarttlsFirstReply(data)) {
                return LineEvent.STARTTLS_REQUIRED;
            }
            // 454 4.7.0 TLS not available due to local problem: the STARTTLS itself was refused.
            if (code == 454 && record.hasToken(data, "TLS")) {
                return LineEvent.TLS_FAILED;
            }
        }
        return null;
    }

    /** The three-digit code that starts a reply, followed by the end, a space or a dash; else -1. */
    private int replyCode(int data) {
        int n = record.length(data);
        if (n < 3) {
            return -1;
        }
        int code = 0;
        for (int k = 0; k < 3; k++) {
            char c = record.charAt(data, k);
            if (c < '0' || c > '9') {
                return -1;
            }
            code = code * 10 + (c - '0');
        }
        if (n > 3 && record.charAt(data, 3) != ' ' && record.charAt(data, 3) != '-') {
            return -1;
        }
        return code;
    }

    /** An EHLO reply has no enhanced status code and names the client or lists extensions. */
    private boolean isEhloReply(int data) {
        int k = 3;
        int n = record.length(data);
        while (k < n && (record.charAt(data, k) == ' ' || record.charAt(data, k) == '-')) {
            k++;
        }
        if (k + 1 < n && Character.isDigit(record.charAt(data, k)) && record.charAt(data, k + 1) == '.') {
            return false;
        }
        for (String token : EHLO_REPLY_TOKENS) {
            if (record.hasToken(data, token)) {
                return true;
            }
        }
        return false;
    }

    private boolean isStarttlsFirstReply(int data) {
        return record.hasToken(data, "5.7.3") || record.containsIgnoreCase(data, "STARTTLS command first")
                || record.containsIgnoreCase(data, "issue a STARTTLS");
    }

    private LineEvent informationEvent(FieldLayout f) {
        int data = f.data;
        int context = f.context;
        // The success text sits in context with data empty; accept it in data too.
        if (record.startsWith(context, TLS_PROTOCOL)) {
            textColumn = context;
            return LineEvent.TLS_ESTABLISHED;
        }
        if (record.startsWith(data, TLS_PROTOCOL)) {
            textColumn = data;
            return LineEvent.TLS_ESTABLISHED;
        }
        if (record.startsWith(context, TLS_FAILED)) {
            textColumn = context;
            return LineEvent.TLS_FAILED;
        }
        if (record.startsWith(data, TLS_FAILED)) {
            textColumn = data;
            return LineEvent.TLS_FAILED;
        }
        for (String label : CERTIFICATE_LABELS) {
            if (record.startsWith(context, label)) {
                textColumn = context;
                return LineEvent.CERTIFICATE;
            }
        }
        // Published logs show these in context with data empty; accept them in data as well.
        for (String label : CERTIFICATE_STATUS) {
            if (record.startsWith(context, label)) {
                textColumn = context;
                return LineEvent.CERTIFICATE;
            }
            if (record.startsWith(data, label)) {
                textColumn = data;
                return LineEvent.CERTIFICATE;
            }
        }
        return null;
    }

    // ---- building the kept line ----

    private ParseResult build(LineEvent event, Side side, FieldLayout f, long time, long sequence, long lineNumber) {
        SourceKind kind = side == Side.RECEIVE ? SourceKind.EXCHANGE_RECEIVE : SourceKind.EXCHANGE_SEND;
        String connector = record.textOrNull(f.connectorId);
        ParsedLine.Builder b = ParsedLine.builder(kind, event)
                .time(time)
                .server(server(side, connector))
                .sessionId(record.text(f.sessionId))
                .sequence(sequence)
                .connector(connector)
                .localEndpoint(record.textOrNull(f.localEndpoint))
                .source(source)
                .lineNumber(lineNumber);
        remoteEndpoint(b, record.textOrNull(f.remoteEndpoint));
        switch (event) {
            case CONNECT -> b.opensSession(true);
            case DISCONNECT -> b.closesSession(true).error(record.textOrNull(f.context));
            case EHLO -> {
                if (side == Side.RECEIVE) {
                    b.remoteHost(argument(record.text(f.data), 4));
                }
            }
            case GREETING -> {
                if (side == Side.SEND) {
                    b.remoteHost(bannerHost(record.text(f.data)));
                }
            }
            case CAPABILITIES -> b.starttlsOffered(record.hasToken(f.data, "STARTTLS"));
            case STARTTLS_REQUIRED -> b.tlsRequired(true).error(record.text(f.data));
            case TLS_ESTABLISHED -> {
                String problem = established(b, record.text(textColumn));
                if (problem != null) {
                    return ParseResult.error(problem);
                }
            }
            case OTHER -> b.policyDomain(recipientDomain(record.text(f.data)));
            case TLS_FAILED -> b.error(failure(f));
            case CERTIFICATE -> b.detail(certificateDetail(f)).certificate(certificateFact(f));
            default -> {
            }
        }
        return ParseResult.of(b.build());
    }

    /** {@code RCPT TO:<user@domain>} (and any ESMTP parameters after it): the domain. */
    private static String recipientDomain(String command) {
        int from = RCPT_TO.length();
        while (from < command.length() && command.charAt(from) == ' ') {
            from++;
        }
        return RecipientDomain.of(command, from, command.length());
    }

    private String server(Side side, String connector) {
        if (stream != null && stream.sourceHost() != null) {
            return stream.sourceHost();
        }
        if (side == Side.RECEIVE && connector != null) {
            int slash = connector.indexOf('\\');
            return slash > 0 ? connector.substring(0, slash) : null;
        }
        return null;
    }

    /**
     * {@code TLS protocol P negotiation succeeded using bulk encryption algorithm A with strength N bits,
     * MAC hash algorithm M with strength N bits and key exchange algorithm K with strength N bits};
     * Exchange 2010 stops after the bulk algorithm.
     */
    private static String established(ParsedLine.Builder b, String text) {
        int start = TLS_PROTOCOL.length();
        int space = text.indexOf(' ', start);
        if (space < 0 || !text.startsWith(" negotiation succeeded", space)) {
            return "unrecognised TLS protocol line '" + clip(text) + "' (expected 'TLS protocol P negotiation succeeded ...')";
        }
        String protocol = text.substring(start, space);
        b.tlsVersion(SchannelProtocols.normalise(protocol)).detail(protocol);
        String bulk = wordAfter(text, "bulk encryption algorithm ");
        String mac = wordAfter(text, "MAC hash algorithm ");
        String keyExchange = wordAfter(text, "key exchange algorithm ");
        StringBuilder cipher = new StringBuilder();
        for (String part : new String[] {bulk, mac, keyExchange}) {
            if (part != null) {
                cipher.append(cipher.length() == 0 ? "" : "/").append(part);
            }
        }
        b.cipher(cipher.length() == 0 ? null : cipher.toString());
        return null;
    }

    private static String wordAfter(String text, String marker) {
        int at = text.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int start = at + marker.length();
        int end = start;
        while (end < text.length() && text.charAt(end) != ' ' && text.charAt(end) != ',') {
            end++;
        }
        return end > start ? text.substring(start, end) : null;
    }

    private String failure(FieldLayout f) {
        if (record.charAt(f.event, 0) != '*') {
            return record.text(f.data); // a 454 reply: keep it whole
        }
        String text = record.text(textColumn);
        String name = text.substring(TLS_FAILED.length()).trim();
        return name.isEmpty() ? text : name;
    }

    private String certificateDetail(FieldLayout f) {
        String label = record.text(f.context);
        if (textColumn == f.data || !startsWithAny(label, CERTIFICATE_LABELS)) {
            // a status line: the text already reads "label: 'value'" or "label='value'; ..."
            return record.text(textColumn);
        }
        String value = record.text(f.data).trim();
        return value.isEmpty() ? label : label + ": " + value;
    }

    /**
     * The certificate a label line names: {@code Sending certificate} is the logging server's own,
     * {@code Received certificate} and {@code Remote certificate} the peer's, and the
     * {@code Certificate ...} lines after them parts of it (the peer's when no header came first);
     * validation status lines name none.
     */
    private CertificateFact certificateFact(FieldLayout f) {
        if (textColumn == f.data) {
            return null;
        }
        String label = record.text(f.context);
        String value = record.text(f.data).trim();
        if (label.startsWith("Sending certificate")) {
            return value.isEmpty() ? CertificateFact.header(CertificateRole.LOCAL) : ExchangeCertificateLine.read(CertificateRole.LOCAL, value);
        }
        if (label.startsWith("Received certificate") || label.startsWith("Remote certificate")) {
            return value.isEmpty() ? CertificateFact.header(CertificateRole.REMOTE) : ExchangeCertificateLine.read(CertificateRole.REMOTE, value);
        }
        CertificateFact.Part part = switch (label) {
            case "Certificate subject" -> CertificateFact.Part.SUBJECT;
            case "Certificate issuer name" -> CertificateFact.Part.ISSUER;
            case "Certificate serial number" -> CertificateFact.Part.SERIAL_NUMBER;
            case "Certificate thumbprint" -> CertificateFact.Part.THUMBPRINT;
            case "Certificate alternate names" -> CertificateFact.Part.ALTERNATE_NAMES;
            default -> null;
        };
        return part == null || value.isEmpty() ? null : CertificateFact.part(CertificateRole.REMOTE, part, value);
    }

    private static boolean startsWithAny(String text, String[] prefixes) {
        for (String prefix : prefixes) {
            if (text.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ip:port}, {@code [v6]:port}, {@code [v6]}, or a bare IPv6 address (no port). */
    private static void remoteEndpoint(ParsedLine.Builder b, String endpoint) {
        if (endpoint == null) {
            return;
        }
        String v = endpoint.trim();
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                b.remoteIp(v);
                return;
            }
            b.remoteIp(v.substring(1, close));
            if (close + 1 < v.length() && v.charAt(close + 1) == ':') {
                b.remotePort(port(v, close + 2));
            }
            return;
        }
        int colon = v.indexOf(':');
        if (colon < 0 || v.indexOf(':', colon + 1) >= 0) {
            b.remoteIp(v);
            return;
        }
        b.remoteIp(v.substring(0, colon)).remotePort(port(v, colon + 1));
    }

    /** The port at {@code v[from...]}; -1 when it is not a number from 0 to 65535. */
    private static int port(String v, int from) {
        int n = v.length() - from;
        if (n < 1 || n > 5) {
            return -1;
        }
        int port = 0;
        for (int i = from; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535 ? port : -1;
    }

    /** What follows an SMTP verb, trimmed; null when nothing does. */
    private static String argument(String command, int verbLength) {
        String rest = command.substring(Math.min(verbLength, command.length())).trim();
        return rest.isEmpty() ? null : rest;
    }

    /** The host a banner names ({@code 220 mx.example.com ESMTP}); null when the first word is no host name. */
    private static String bannerHost(String banner) {
        int start = 3;
        while (start < banner.length() && (banner.charAt(start) == ' ' || banner.charAt(start) == '-')) {
            start++;
        }
        int end = start;
        boolean dot = false;
        boolean letter = false;
        while (end < banner.length() && banner.charAt(end) != ' ') {
            char c = banner.charAt(end);
            dot |= c == '.';
            letter |= Character.isLetter(c);
            end++;
        }
        return dot && letter ? banner.substring(start, end) : null;
    }

    // ---- header, side, small helpers ----

    private Side side(FieldLayout f) {
        Side fromHeader = side(header.side());
        if (fromHeader != null) {
            return fromHeader;
        }
        if (sideFromPath != null) {
            return sideFromPath;
        }
        if (record.isEmpty(f.connectorId)) {
            return null;
        }
        return record.indexOf(f.connectorId, '\\') >= 0 ? Side.RECEIVE : Side.SEND;
    }

    private static Side side(SourceKind kind) {
        return kind == SourceKind.EXCHANGE_SEND ? Side.SEND : kind == SourceKind.EXCHANGE_RECEIVE ? Side.RECEIVE : null;
    }

    /** Parses digits only; -1 for anything else (empty, sign, letters, too long). */
    private long sequenceNumber(int column) {
        int n = record.length(column);
        if (n < 1 || n > 18) {
            return -1;
        }
        long v = 0;
        for (int k = 0; k < n; k++) {
            char c = record.charAt(column, k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private boolean isBlankAfter(int column, int offset) {
        for (int k = offset; k < record.length(column); k++) {
            if (record.charAt(column, k) != ' ') {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(String line, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(line.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private String quoted(int column) {
        return clip(record.text(column));
    }

    private static String clip(String s) {
        return s.length() <= MAX_QUOTED ? s : s.substring(0, MAX_QUOTED) + "...";
    }
}
