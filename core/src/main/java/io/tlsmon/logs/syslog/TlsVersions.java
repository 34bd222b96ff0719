package io.tlsmon.logs.syslog;

/** Maps the protocol names MTAs print onto the normalised ones: SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3. */
public final class TlsVersions {
    private TlsVersions() {
    }

    /**
     * @param name OpenSSL's {@code TLSv1.2}, GnuTLS/Exim's {@code TLS1.2}, {@code TLS1.0}, {@code SSL3}, {@code SSLv3} ...
     * @return the normalised name, or null when {@code name} is no single protocol version (for
     *         example Sendmail's {@code TLSv1/SSLv3}, which is OpenSSL's cipher class)
     */
    public static String normalise(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "TLSv1.3", "TLS1.3", "TLSv13", "TLS13" -> "TLSv1.3";
            case "TLSv1.2", "TLS1.2", "TLSv12", "TLS12" -> "TLSv1.2";
            case "TLSv1.1", "TLS1.1", "TLSv11", "TLS11" -> "TLSv1.1";
            case "TLSv1", "TLSv1.0", "TLS1.0", "TLS1", "TLSv10", "TLS10" -> "TLSv1";
            case "SSLv3", "SSL3", "SSL3.0", "SSLv3.0" -> "SSLv3";
            default -> null;
        };
    }
}
