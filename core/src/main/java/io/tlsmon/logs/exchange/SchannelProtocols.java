package io.tlsmon.logs.exchange;

/**
 * Maps the protocol Exchange names in {@code TLS protocol {0} negotiation succeeded ...} to the
 * normalised versions of the taxonomy. Exchange prints an SChannel {@code SchannelProtocols} name
 * ({@code SP_PROT_TLS1_2_SERVER}); builds that do not know a protocol print its numeric flag value.
 */
final class SchannelProtocols {
    private SchannelProtocols() {
    }

    /** SSLv3, TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3; null when the name or value is not one of these. */
    static String normalise(String raw) {
        String name = raw.startsWith("SP_PROT_") ? raw.substring("SP_PROT_".length()) : raw;
        if (name.isEmpty()) {
            return null;
        }
        if (Character.isDigit(name.charAt(0))) {
            return fromFlags(name);
        }
        if (name.startsWith("SSL3")) {
            return "SSLv3";
        }
        if (name.startsWith("TLS1_0") || name.equals("TLS1") || name.startsWith("TLS1_CLIENT")
                || name.startsWith("TLS1_SERVER")) {
            return "TLSv1";
        }
        if (name.startsWith("TLS1_1")) {
            return "TLSv1.1";
        }
        if (name.startsWith("TLS1_2")) {
            return "TLSv1.2";
        }
        if (name.startsWith("TLS1_3")) {
            return "TLSv1.3";
        }
        return null;
    }

    /** SChannel SP_PROT_* flags: each version has a server bit and, one above it, a client bit. */
    private static String fromFlags(String number) {
        long value;
        try {
            value = number.startsWith("0x") || number.startsWith("0X")
                    ? Long.parseLong(number.substring(2), 16) : Long.parseLong(number);
        } catch (NumberFormatException e) {
            return null;
        }
        if (value == 0) {
            return null;
        }
        if ((value & ~0x30L) == 0) {
            return "SSLv3";
        }
        if ((value & ~0xC0L) == 0) {
            return "TLSv1";
        }
        if ((value & ~0x300L) == 0) {
            return "TLSv1.1";
        }
        if ((value & ~0xC00L) == 0) {
            return "TLSv1.2";
        }
        if ((value & ~0x3000L) == 0) {
            return "TLSv1.3";
        }
        return null;
    }
}
