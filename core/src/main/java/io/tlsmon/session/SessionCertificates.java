package io.tlsmon.session;

import io.tlsmon.avro.Certificate;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.logs.CertificateFact;

import java.util.ArrayList;
import java.util.List;

/** The certificates of one session, built up from the {@link CertificateFact}s of its lines. */
final class SessionCertificates {
    /** A session names two (ours and the peer's); more is a log that repeats them, not more to know. */
    static final int MAX = 4;

    private SessionCertificates() {
    }

    static void add(OpenSession s, CertificateFact fact) {
        List<Certificate> certificates = s.getCertificates() == null ? new ArrayList<>() : new ArrayList<>(s.getCertificates());
        if (fact.startsNew() || certificates.isEmpty()) {
            if (certificates.size() >= MAX) {
                return;
            }
            certificates.add(Certificate.newBuilder().setRole(fact.role()).build());
        }
        Certificate c = certificates.get(certificates.size() - 1);
        if (fact.subject() != null) {
            c.setSubject(fact.subject());
        }
        if (fact.issuer() != null) {
            c.setIssuer(fact.issuer());
        }
        if (fact.serialNumber() != null) {
            c.setSerialNumber(fact.serialNumber());
        }
        if (fact.thumbprint() != null) {
            c.setThumbprint(fact.thumbprint());
        }
        if (fact.notBefore() != null) {
            c.setNotBefore(fact.notBefore());
        }
        if (fact.notAfter() != null) {
            c.setNotAfter(fact.notAfter());
        }
        if (fact.alternateNames() != null) {
            c.setAlternateNames(fact.alternateNames());
        }
        s.setCertificates(certificates);
    }
}
