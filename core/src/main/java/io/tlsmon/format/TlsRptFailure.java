package io.tlsmon.format;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.logs.SourceKind;

/**
 * One RFC 8460 failure-details row's key: failed sessions with equal values of all of these are
 * counted together. Null fields are left out of the report (all but {@code resultType} are optional).
 *
 * @param resultType          the taxonomy's TLS-RPT column for the attempt's outcome
 * @param sendingMtaIp        our own address, where the log names it (Exchange send logs' local endpoint)
 * @param receivingMxHostname the MX host name the session went to (Postfix {@code relay=}, Exim {@code H=})
 * @param receivingMxHelo     the name the MX gave of itself (Exchange send logs know only its banner)
 * @param receivingIp         the MX address
 * @param failureReasonCode   the raw error text the log gave, verbatim
 */
public record TlsRptFailure(String resultType, String sendingMtaIp, String receivingMxHostname, String receivingMxHelo,
                            String receivingIp, String failureReasonCode) {

    /** The row {@code a} is counted in; null when {@code a} negotiated (a success has no row). */
    public static TlsRptFailure of(NegotiationAttempt a) {
        if (a.getTlsrptResultType() == null) {
            return null;
        }
        // The host an Exchange send log names is the one in the peer's 220 banner, which is what it
        // calls itself, not the MX name looked up; every other log names the MX it connected to.
        boolean bannerName = SourceKind.EXCHANGE_SEND.label().equals(a.getSourceKind());
        return new TlsRptFailure(a.getTlsrptResultType(), hostOf(a.getLocalEndpoint()),
                bannerName ? null : a.getRemoteHost(), bannerName ? a.getRemoteHost() : null,
                a.getRemoteIp(), a.getError());
    }

    /** {@code 10.0.0.5:51000} → {@code 10.0.0.5}; {@code [2001:db8::1]:25} → {@code 2001:db8::1}; a bare IPv6 address stays. */
    static String hostOf(String endpoint) {
        if (endpoint == null || endpoint.isEmpty()) {
            return null;
        }
        if (endpoint.startsWith("[")) {
            int close = endpoint.indexOf(']');
            return close > 1 ? endpoint.substring(1, close) : null;
        }
        int colon = endpoint.lastIndexOf(':');
        return colon > 0 && endpoint.indexOf(':') == colon ? endpoint.substring(0, colon) : endpoint;
    }
}
