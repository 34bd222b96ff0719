package io.tlsmon.classify;

import java.util.Comparator;

/**
 * {@link TlsVersion} facts for the places that hold a version as its label (the Avro fields), so
 * that they never compare label strings themselves.
 */
public final class TlsVersions {
    /**
     * Oldest first by {@link TlsVersion}; a label that names no version sorts before all of them,
     * as it always did.
     */
    public static final Comparator<String> OLDEST_FIRST = Comparator.comparingInt(TlsVersions::rank);

    private TlsVersions() {
    }

    /** Whether a label names SSL 3.0, TLS 1.0 or 1.1; false for null and for unknown labels. */
    public static boolean isDeprecated(String label) {
        return TlsVersion.fromLabel(label).map(TlsVersion::isDeprecated).orElse(false);
    }

    private static int rank(String label) {
        return TlsVersion.fromLabel(label).map(TlsVersion::ordinal).orElse(-1);
    }
}
