package io.tlsmon.logs;

/**
 * What one log line says about its SMTP session, in words common to every MTA. Parsers map their
 * own strings onto these; the classifier reads only these (and the fields of {@link ParsedLine}).
 */
public enum LineEvent {
    /** TCP session opened (Exchange {@code +}; Postfix {@code connect from}). */
    CONNECT,
    /** Session closed. {@code error} holds a stated reason such as {@code Remote(SocketError)}. */
    DISCONNECT,
    /** The server's 220 banner. On outbound logs {@code remoteHost} is the host named in it. */
    GREETING,
    /** The client's EHLO/HELO; on inbound logs {@code remoteHost} is the name it gave. */
    EHLO,
    /** The EHLO reply. {@code starttlsOffered} says whether STARTTLS was among the extensions. */
    CAPABILITIES,
    /** The STARTTLS command was sent. */
    STARTTLS,
    /** The server agreed to start TLS ({@code 220 2.0.0 SMTP server ready} and the like). */
    STARTTLS_READY,
    /** Handshake succeeded: {@code tlsVersion} (normalised) and {@code cipher} are set. */
    TLS_ESTABLISHED,
    /** Evidence of a handshake failure: {@code error} holds the raw error name or text, verbatim. */
    TLS_FAILED,
    /**
     * The serving process cannot use its own key or certificate ({@code error} holds the warning): logged
     * once, when the process starts, outside any session; it holds for the sessions that process serves.
     */
    PROCESS_TLS_PROBLEM,
    /** A certificate was sent or received; {@code detail} holds what the line says of it. */
    CERTIFICATE,
    /** A MAIL FROM in this session (sent or received); after no TLS, the mail goes in clear. */
    MAIL_FROM,
    /** A reply saying TLS is required first ({@code 451 5.7.3} / {@code 530 5.7.0 Must issue a STARTTLS command first}). */
    STARTTLS_REQUIRED,
    /** The client side learnt that the peer did not offer STARTTLS where TLS was required. */
    STARTTLS_NOT_OFFERED,
    /** A delivery result of an outbound session (Postfix {@code status=}); {@code detail} holds its text. */
    DELIVERY,
    /** A line of the session with nothing to say about TLS, kept only for time and endpoints. */
    OTHER
}
