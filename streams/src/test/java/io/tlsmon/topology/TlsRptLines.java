package io.tlsmon.topology;

import java.util.List;

/** Postfix outbound sessions of two UTC days to two policy domains, for the TLS-RPT topology tests. */
public final class TlsRptLines {
    private TlsRptLines() {
    }

    /** 2025-03-03: a.example two successes, b.example one expired certificate. */
    public static final List<String> DAY1 = List.of(
            "2025-03-03T08:00:00.100000+00:00 mx2 postfix/smtp[100]: Trusted TLS connection established to mx.a.example[203.0.113.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
            "2025-03-03T08:00:00.200000+00:00 mx2 postfix/smtp[100]: 8C2F100001: to=<x@a.example>, relay=mx.a.example[203.0.113.1]:25, delay=0.4, dsn=2.0.0, status=sent (250 ok)",
            "2025-03-03T09:00:00.100000+00:00 mx2 postfix/smtp[102]: certificate verification failed for mx.b.example[203.0.113.2]:25: certificate has expired",
            "2025-03-03T09:00:00.101000+00:00 mx2 postfix/smtp[102]: Untrusted TLS connection established to mx.b.example[203.0.113.2]:25: TLSv1.2 with cipher ECDHE-RSA-AES128-GCM-SHA256 (128/128 bits)",
            "2025-03-03T09:00:00.200000+00:00 mx2 postfix/smtp[102]: 8C2F100003: to=<ap@b.example>, relay=mx.b.example[203.0.113.2]:25, delay=0.4, dsn=4.7.5, status=deferred (Server certificate not verified)",
            "2025-03-03T23:59:00.100000+00:00 mx2 postfix/smtp[103]: Trusted TLS connection established to mx.a.example[203.0.113.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
            "2025-03-03T23:59:00.200000+00:00 mx2 postfix/smtp[103]: 8C2F100002: to=<y@a.example>, relay=mx.a.example[203.0.113.1]:25, delay=0.4, dsn=2.0.0, status=sent (250 ok)");
    /** 2025-03-04, two successes to a.example: with no grace the first closes 2025-03-03. */
    public static final List<String> DAY2 = List.of(
            "2025-03-04T00:10:00.100000+00:00 mx2 postfix/smtp[104]: Trusted TLS connection established to mx.a.example[203.0.113.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
            "2025-03-04T00:10:00.200000+00:00 mx2 postfix/smtp[104]: 8C2F100005: to=<z@a.example>, relay=mx.a.example[203.0.113.1]:25, delay=0.4, dsn=2.0.0, status=sent (250 ok)",
            "2025-03-04T00:20:00.100000+00:00 mx2 postfix/smtp[105]: Trusted TLS connection established to mx.a.example[203.0.113.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
            "2025-03-04T00:20:00.200000+00:00 mx2 postfix/smtp[105]: 8C2F100006: to=<z@a.example>, relay=mx.a.example[203.0.113.1]:25, delay=0.4, dsn=2.0.0, status=sent (250 ok)");

}
