package io.tlsmon.classify;

import io.tlsmon.avro.Outcome;

import java.util.Locale;

/** Facts about each outcome that every output shares. */
public final class Outcomes {
    private Outcomes() {
    }

    /** Whether the outcome is a failed negotiation (OK and DEPRECATED_PROTOCOL did negotiate). */
    public static boolean isFailure(Outcome outcome) {
        return outcome != Outcome.OK && outcome != Outcome.DEPRECATED_PROTOCOL;
    }

    /** The RFC 8460 result-type of a failure; null for a success. */
    public static String tlsrptResultType(Outcome outcome, String error) {
        return switch (outcome) {
            case OK, DEPRECATED_PROTOCOL -> null;
            case CERTIFICATE_UNTRUSTED -> "certificate-not-trusted";
            case CERTIFICATE_EXPIRED -> "certificate-expired";
            case CERTIFICATE_NAME_MISMATCH -> "certificate-host-mismatch";
            case STARTTLS_REQUIRED, STARTTLS_NOT_OFFERED -> "starttls-not-supported";
            case POLICY_FAILURE -> policyResultType(error);
            default -> "validation-failure";
        };
    }

    private static String policyResultType(String error) {
        String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
        if (e.contains("dnssec")) {
            return "dnssec-invalid";
        }
        if (e.contains("tlsa")) {
            return "tlsa-invalid";
        }
        if (e.contains("dane")) {
            return "dane-required";
        }
        if (e.contains("fetch")) {
            return "sts-policy-fetch-error";
        }
        if (e.contains("webpki") || e.contains("certificate")) {
            return "sts-webpki-invalid";
        }
        return "sts-policy-invalid";
    }
}
