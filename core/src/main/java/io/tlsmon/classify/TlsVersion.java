package io.tlsmon.classify;

import java.util.Optional;

/**
 * The normalised TLS protocol versions of the taxonomy, oldest first. The Avro records carry the
 * {@link #label()}; compare versions through this type rather than through their labels.
 */
public enum TlsVersion {
    SSL3("SSLv3", true),
    TLS1_0("TLSv1", true),
    TLS1_1("TLSv1.1", true),
    TLS1_2("TLSv1.2", false),
    TLS1_3("TLSv1.3", false);

    private final String label;
    private final boolean deprecated;

    TlsVersion(String label, boolean deprecated) {
        this.label = label;
        this.deprecated = deprecated;
    }

    /** The normalised name, as in the taxonomy and on the wire. */
    public String label() {
        return label;
    }

    /** SSL 3.0, TLS 1.0 and 1.1: they work today but fail against Exchange Online and any MTA-STS domain. */
    public boolean isDeprecated() {
        return deprecated;
    }

    /**
     * @param label a normalised name ({@code TLSv1.2}); MTA spellings are normalised by the parsers first
     * @return its version, empty for null or a name that is no normalised version
     */
    public static Optional<TlsVersion> fromLabel(String label) {
        for (TlsVersion v : values()) {
            if (v.label.equals(label)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
