package io.tlsmon.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gnutls-cli --starttls-proto=smtp} against a listener: GnuTLS as the client, with a
 * priority string of our choosing, and either no verification or verification against a CA file.
 * On success it says QUIT inside TLS.
 */
final class GnuTlsClient {
    private GnuTlsClient() {
    }

    /** Without verifying the server's certificate. */
    static Commands.Result handshake(int port, String priority) {
        return run(port, priority, List.of("--insecure"));
    }

    /** Verifying the server's certificate against {@code ca} and the name {@code hostname}. */
    static Commands.Result verifying(int port, String priority, Path ca, String hostname) {
        return run(port, priority, List.of("--x509cafile", ca.toString(), "--verify-hostname", hostname));
    }

    private static Commands.Result run(int port, String priority, List<String> trust) {
        List<String> command = new ArrayList<>(List.of(RealExim.gnutlsCli().toString(), "--starttls-proto=smtp",
                "--port", Integer.toString(port), "--priority", priority));
        command.addAll(trust);
        command.add(RealPostfix.LOOPBACK);
        return Commands.run(Duration.ofSeconds(20), "QUIT\r\n", command);
    }
}
