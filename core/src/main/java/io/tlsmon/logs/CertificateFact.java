package io.tlsmon.logs;

import io.tlsmon.avro.CertificateRole;

/**
 * What one log line says of a certificate of its session: a new certificate ({@code startsNew}, with
 * its role and whatever the line holds of it: Exchange's {@code Sending certificate} header, or the
 * one-line form of Exchange 2010 with every part), or one more part of the certificate named last
 * (Exchange 2013 and later log subject, issuer, serial, thumbprint and names a line each). Parts
 * the line does not give are null.
 */
public record CertificateFact(CertificateRole role, boolean startsNew, String subject, String issuer, String serialNumber,
                              String thumbprint, String notBefore, String notAfter, String alternateNames) {

    /** A new certificate of {@code role}, nothing of it known yet. */
    public static CertificateFact header(CertificateRole role) {
        return new CertificateFact(role, true, null, null, null, null, null, null, null);
    }

    /** One part of the certificate named last; {@code role} is assumed when no header came before it. */
    public static CertificateFact part(CertificateRole role, Part part, String value) {
        return new CertificateFact(role, false,
                part == Part.SUBJECT ? value : null, part == Part.ISSUER ? value : null,
                part == Part.SERIAL_NUMBER ? value : null, part == Part.THUMBPRINT ? value : null,
                part == Part.NOT_BEFORE ? value : null, part == Part.NOT_AFTER ? value : null,
                part == Part.ALTERNATE_NAMES ? value : null);
    }

    /** The parts a log names a line each. */
    public enum Part { SUBJECT, ISSUER, SERIAL_NUMBER, THUMBPRINT, NOT_BEFORE, NOT_AFTER, ALTERNATE_NAMES }
}
