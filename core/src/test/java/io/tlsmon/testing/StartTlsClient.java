package io.tlsmon.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code openssl s_client -starttls smtp} against a listener: a real TLS stack negotiating with
 * chosen protocol versions and ciphers. On success it says QUIT inside TLS, so the server logs a
 * clean session end rather than a lost connection (EHLO and QUIT together would be logged as
 * improper pipelining, since s_client sends its input at once).
 */
final class StartTlsClient {
    private StartTlsClient() {
    }

    /** Runs the handshake; returns s_client's result (exit 0 = the handshake and session completed). */
    static Commands.Result handshake(int port, String... options) {
        List<String> command = new ArrayList<>(List.of(RealPostfix.openssl().toString(), "s_client",
                "-starttls", "smtp", "-name", SmtpDialogue.EHLO_NAME,
                "-connect", RealPostfix.LOOPBACK + ":" + port, "-quiet"));
        command.addAll(List.of(options));
        String session = "QUIT\r\n";
        return Commands.run(Duration.ofSeconds(20), session, command);
    }
}
