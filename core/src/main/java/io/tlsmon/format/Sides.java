package io.tlsmon.format;

import io.tlsmon.avro.Certificate;
import io.tlsmon.avro.CertificateRole;
import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;

import java.util.List;
import java.util.Optional;

/**
 * The client and the server of an attempt's SMTP session. Attempts speak as the logging server
 * (local) and its peer (remote); every SIEM format speaks as initiator and responder (source and
 * destination, client and server), which one is which following the direction.
 */
record Sides(Side client, Side server) {

    /**
     * One end of the session.
     *
     * @param ip          its IP literal, or null when the log names none (or names something else)
     * @param port        its port, or null
     * @param host        its name: the EHLO or banner name of the peer, our server's name for the local end
     * @param certificate the first certificate the log names for this end, or null
     */
    record Side(IpLiteral.Ip ip, Integer port, String host, Certificate certificate) {
    }

    static Sides of(NegotiationAttempt a) {
        Optional<Endpoint> localEndpoint = Endpoint.parse(a.getLocalEndpoint());
        Side local = new Side(localEndpoint.map(Endpoint::ip).orElse(null), localEndpoint.map(Endpoint::port).orElse(null),
                a.getServer(), first(a.getCertificates(), CertificateRole.LOCAL));
        Side remote = new Side(IpLiteral.parse(a.getRemoteIp()).orElse(null), a.getRemotePort(), a.getRemoteHost(),
                first(a.getCertificates(), CertificateRole.REMOTE));
        return a.getDirection() == Direction.outbound ? new Sides(local, remote) : new Sides(remote, local);
    }

    private static Certificate first(List<Certificate> certificates, CertificateRole role) {
        if (certificates == null) {
            return null;
        }
        return certificates.stream().filter(c -> c.getRole() == role).findFirst().orElse(null);
    }
}
