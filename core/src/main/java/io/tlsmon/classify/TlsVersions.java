package io.tlsmon.classify;

import java.util.List;

/** The normalised protocol names of the taxonomy, and which of them are deprecated. */
public final class TlsVersions {
    public static final String SSL3 = "SSLv3";
    public static final String TLS1_0 = "TLSv1";
    public static final String TLS1_1 = "TLSv1.1";
    public static final String TLS1_2 = "TLSv1.2";
    public static final String TLS1_3 = "TLSv1.3";

    /** Oldest first. */
    public static final List<String> ALL = List.of(SSL3, TLS1_0, TLS1_1, TLS1_2, TLS1_3);

    private TlsVersions() {
    }

    /** SSL 3.0, TLS 1.0 and 1.1: they work today but fail against Exchange Online and any MTA-STS domain. */
    public static boolean isDeprecated(String version) {
        return SSL3.equals(version) || TLS1_0.equals(version) || TLS1_1.equals(version);
    }
}
