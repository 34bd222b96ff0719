package io.tlsmon.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A loopback SMTP server of the test's own that offers STARTTLS, agrees to it and then misbehaves
 * ({@link RealSendmail.FakeServer}): the peer a real MTA's client side meets when a middlebox or a
 * broken server cuts the handshake. No real server can be configured to do that on demand.
 */
final class StartTlsDropper implements AutoCloseable {
    private final ServerSocket socket;
    private final RealSendmail.FakeServer behaviour;
    private final Duration silence;
    private final Thread acceptor;

    private StartTlsDropper(ServerSocket socket, RealSendmail.FakeServer behaviour, Duration silence) {
        this.socket = socket;
        this.behaviour = behaviour;
        this.silence = silence;
        this.acceptor = new Thread(this::serve, "starttls-dropper-" + behaviour);
        acceptor.setDaemon(true);
    }

    static StartTlsDropper start(RealSendmail.FakeServer behaviour, Duration silence) {
        try {
            ServerSocket socket = new ServerSocket(0, 5, InetAddress.getByName(RealSendmail.LOOPBACK));
            StartTlsDropper dropper = new StartTlsDropper(socket, behaviour, silence);
            dropper.acceptor.start();
            return dropper;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket peer = socket.accept()) {
                peer.setSoTimeout((int) silence.toMillis());
                converse(peer);
            } catch (IOException closedOrGone) {
                // the listener closed, or the peer went away: either way the next one
            }
        }
    }

    private void converse(Socket peer) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = peer.getOutputStream();
        reply(out, "220 fake.tlsmon.test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(java.util.Locale.ROOT);
            if (command.startsWith("EHLO")) {
                reply(out, "250-fake.tlsmon.test\r\n250-PIPELINING\r\n250 STARTTLS");
            } else if (command.startsWith("STARTTLS")) {
                reply(out, "220 2.0.0 Ready to start TLS");
                // take the ClientHello, so the close comes mid-handshake rather than before it
                peer.getInputStream().read(new byte[5]);
                if (behaviour == RealSendmail.FakeServer.SILENT_AFTER_STARTTLS) {
                    // read (and drop) the ClientHello, answer nothing until the peer gives up
                    while (peer.getInputStream().read() >= 0) {
                        // discard
                    }
                }
                return;
            } else if (command.startsWith("QUIT")) {
                reply(out, "221 2.0.0 bye");
                return;
            } else {
                reply(out, "250 2.0.0 ok");
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
