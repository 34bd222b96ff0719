package io.tlsmon.format;

import io.tlsmon.avro.PolicyType;

/** The RFC 8460 spelling of a policy type ({@code policy-type} in a report): {@code tlsa}, {@code sts}, {@code no-policy-found}. */
final class PolicyTypes {
    private PolicyTypes() {
    }

    static String rfc8460(PolicyType t) {
        return switch (t) {
            case TLSA -> "tlsa";
            case STS -> "sts";
            case NO_POLICY_FOUND -> "no-policy-found";
        };
    }
}
