package io.tlsmon.bench;

/**
 * A mail server at the other end of sessions. Its behaviour is fixed for the whole log, as it is in
 * real mail flow: a host that only speaks TLS 1.0 does so in every session.
 */
record Peer(String host, String ip, Behaviour behaviour) {

    enum Behaviour {
        /** Negotiates TLS 1.3 (Postfix) or TLS 1.2 (Exchange). */
        MODERN,
        /** Negotiates TLS 1.2. */
        TLS12,
        /** Only TLS 1.0 (or 1.1): succeeds where allowed, is refused where not. */
        LEGACY,
        /** Never uses STARTTLS, or (as a receiver) never offers it. */
        PLAINTEXT,
        /** Only SSL 3.0 or a protocol we refuse: the handshake fails on the version. */
        ANCIENT,
        /** Drops the connection during the handshake (middleboxes, scanners). */
        DROPS,
        /** Shares no cipher suite with us. */
        NO_SHARED_CIPHER,
        /** Times out during the handshake. */
        SLOW,
        /** Presents a certificate that does not match its name, or is not trusted. */
        BAD_CERTIFICATE,
        /** Exchange Online: TLS 1.2 only. */
        EXCHANGE_ONLINE
    }

    /** {@code host[ip]} as Postfix writes it. */
    String postfix() {
        return host + '[' + ip + ']';
    }
}
