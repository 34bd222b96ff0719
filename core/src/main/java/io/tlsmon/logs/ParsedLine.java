package io.tlsmon.logs;

import io.tlsmon.avro.PolicyType;

import java.util.Objects;

/**
 * One log line reduced to what it says about its SMTP session. Parsers build these; the session
 * stitcher groups them by {@link #stitchKey()}; the classifier reads them. Lines that say nothing
 * about any session are not turned into a {@code ParsedLine} at all ({@link ParseResult#ignored()}).
 *
 * <p>Unknown string fields are {@code null}; an unknown port is {@code -1}.
 */
public final class ParsedLine {
    private final long time;
    private final SourceKind kind;
    private final String server;
    private final String sessionId;
    private final long sequence;
    private final LineEvent event;
    private final boolean opensSession;
    private final boolean closesSession;
    private final boolean outbound;
    private final String remoteIp;
    private final int remotePort;
    private final String remoteHost;
    private final String localEndpoint;
    private final String connector;
    private final String tlsVersion;
    private final String cipher;
    private final String error;
    private final String detail;
    private final CertificateFact certificate;
    private final boolean starttlsOffered;
    private final boolean tlsRequired;
    private final String policyDomain;
    private final PolicyType policyType;
    private final String source;
    private final long lineNumber;

    private ParsedLine(Builder b) {
        this.time = b.time;
        this.kind = Objects.requireNonNull(b.kind, "kind");
        this.server = b.server;
        this.sessionId = Objects.requireNonNull(b.sessionId, "sessionId");
        this.sequence = b.sequence;
        this.event = Objects.requireNonNull(b.event, "event");
        this.opensSession = b.opensSession;
        this.closesSession = b.closesSession;
        this.outbound = b.outbound == null ? b.kind.outboundByDefault() : b.outbound;
        this.remoteIp = b.remoteIp;
        this.remotePort = b.remotePort;
        this.remoteHost = b.remoteHost;
        this.localEndpoint = b.localEndpoint;
        this.connector = b.connector;
        this.tlsVersion = b.tlsVersion;
        this.cipher = b.cipher;
        this.error = b.error;
        this.detail = b.detail;
        this.certificate = b.certificate;
        this.starttlsOffered = b.starttlsOffered;
        this.tlsRequired = b.tlsRequired;
        this.policyDomain = b.policyDomain;
        this.policyType = b.policyType;
        this.source = b.source;
        this.lineNumber = b.lineNumber;
    }

    public static Builder builder(SourceKind kind, LineEvent event) {
        return new Builder(kind, event);
    }

    /** Event time from the line itself, epoch milliseconds UTC. */
    public long time() { return time; }
    public SourceKind kind() { return kind; }
    /** The logging mail server: the shipper's host, or what the line names (Exchange receive connector prefix, syslog host). May be null. */
    public String server() { return server; }
    /** Exchange session-id; Postfix {@code service[pid]}; Sendmail/Exim pid or queue id. */
    public String sessionId() { return sessionId; }
    /** Exchange sequence-number; otherwise the line number. Orders lines within a session. */
    public long sequence() { return sequence; }
    public LineEvent event() { return event; }
    /** This line starts a new session for its key (an open one with the same key is closed first). */
    public boolean opensSession() { return opensSession; }
    /** This line is the last of its session (disconnect, Postfix delivery status, one-line evidence). */
    public boolean closesSession() { return closesSession; }
    /** Whether the logging server sent this session. */
    public boolean outbound() { return outbound; }
    public String remoteIp() { return remoteIp; }
    public int remotePort() { return remotePort; }
    public String remoteHost() { return remoteHost; }
    public String localEndpoint() { return localEndpoint; }
    /** Exchange connector-id; Postfix service name such as {@code postfix/submission/smtpd}. */
    public String connector() { return connector; }
    /** Normalised: SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3; null when the line names none. */
    public String tlsVersion() { return tlsVersion; }
    public String cipher() { return cipher; }
    /** Raw error name or text, verbatim. */
    public String error() { return error; }
    /** Other text of the line worth keeping (certificate details, delivery status text). */
    public String detail() { return detail; }
    /** What a {@link LineEvent#CERTIFICATE} line says of a certificate; null when it names none (a validation status). */
    public CertificateFact certificate() { return certificate; }
    /** On {@link LineEvent#CAPABILITIES}: STARTTLS was offered. */
    public boolean starttlsOffered() { return starttlsOffered; }
    /** The line shows TLS was mandatory (Postfix {@code TLS is required}, Exchange 451 5.7.3, a RequireTLS connector). */
    public boolean tlsRequired() { return tlsRequired; }
    /** Outbound: the recipient domain the line names (RFC 8460 policy-domain), lower case; else null. */
    public String policyDomain() { return policyDomain; }
    /** Outbound: the RFC 8460 policy the line shows was applied (DANE: TLSA; MTA-STS: STS); null when it shows none. */
    public PolicyType policyType() { return policyType; }
    /** File path or stream the line came from. */
    public String source() { return source; }
    /** 1-based line number in {@link #source()}. */
    public long lineNumber() { return lineNumber; }

    /** The key under which the stitcher groups lines of one session. */
    public String stitchKey() {
        return kind.label() + '|' + (server == null ? "" : server) + '|' + sessionId;
    }

    @Override
    public String toString() {
        return "ParsedLine{" + event + ' ' + kind.label() + ' ' + server + ' ' + sessionId + '#' + sequence
                + (remoteIp != null ? " remote=" + remoteIp + ':' + remotePort : "")
                + (remoteHost != null ? " host=" + remoteHost : "")
                + (tlsVersion != null ? " version=" + tlsVersion : "")
                + (cipher != null ? " cipher=" + cipher : "")
                + (error != null ? " error=" + error : "")
                + (detail != null ? " detail=" + detail : "")
                + (event == LineEvent.CAPABILITIES ? " starttlsOffered=" + starttlsOffered : "")
                + (tlsRequired ? " tlsRequired" : "")
                + (policyDomain != null ? " policyDomain=" + policyDomain : "")
                + (policyType != null ? " policyType=" + policyType : "")
                + (opensSession ? " opens" : "") + (closesSession ? " closes" : "")
                + " @" + source + ':' + lineNumber + '}';
    }

    /** Builds a {@link ParsedLine}; setters return {@code this}. */
    public static final class Builder {
        private long time;
        private final SourceKind kind;
        private String server;
        private String sessionId;
        private long sequence;
        private final LineEvent event;
        private boolean opensSession;
        private boolean closesSession;
        private Boolean outbound;
        private String remoteIp;
        private int remotePort = -1;
        private String remoteHost;
        private String localEndpoint;
        private String connector;
        private String tlsVersion;
        private String cipher;
        private String error;
        private String detail;
        private CertificateFact certificate;
        private boolean starttlsOffered;
        private boolean tlsRequired;
        private String policyDomain;
        private PolicyType policyType;
        private String source;
        private long lineNumber;

        private Builder(SourceKind kind, LineEvent event) {
            this.kind = kind;
            this.event = event;
        }

        public Builder time(long epochMillis) { this.time = epochMillis; return this; }
        public Builder server(String v) { this.server = v; return this; }
        public Builder sessionId(String v) { this.sessionId = v; return this; }
        public Builder sequence(long v) { this.sequence = v; return this; }
        public Builder opensSession(boolean v) { this.opensSession = v; return this; }
        public Builder closesSession(boolean v) { this.closesSession = v; return this; }
        public Builder outbound(boolean v) { this.outbound = v; return this; }
        public Builder remoteIp(String v) { this.remoteIp = v; return this; }
        public Builder remotePort(int v) { this.remotePort = v; return this; }
        public Builder remoteHost(String v) { this.remoteHost = v; return this; }
        public Builder localEndpoint(String v) { this.localEndpoint = v; return this; }
        public Builder connector(String v) { this.connector = v; return this; }
        public Builder tlsVersion(String v) { this.tlsVersion = v; return this; }
        public Builder cipher(String v) { this.cipher = v; return this; }
        public Builder error(String v) { this.error = v; return this; }
        public Builder detail(String v) { this.detail = v; return this; }
        public Builder certificate(CertificateFact v) { this.certificate = v; return this; }
        public Builder starttlsOffered(boolean v) { this.starttlsOffered = v; return this; }
        public Builder tlsRequired(boolean v) { this.tlsRequired = v; return this; }
        public Builder policyDomain(String v) { this.policyDomain = v; return this; }
        public Builder policyType(PolicyType v) { this.policyType = v; return this; }
        public Builder source(String v) { this.source = v; return this; }
        public Builder lineNumber(long v) { this.lineNumber = v; return this; }

        public ParsedLine build() {
            return new ParsedLine(this);
        }
    }
}
