package io.tlsmon.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * An SMTP server of the test's own on a loopback port, for the outbound scenarios that no real
 * server plays on purpose: it offers STARTTLS, agrees to it, and then misbehaves as told, so the
 * MTA's client side logs what it makes of that.
 */
final class MisbehavingPeer implements AutoCloseable {

    /** What the peer does once it has said 220 to STARTTLS. */
    enum Behaviour {
        /** Reads the ClientHello and says nothing until the client gives up. */
        SILENT,
        /** Reads the ClientHello and closes the connection. */
        CLOSE,
        /** Answers the ClientHello with a plaintext SMTP reply, as a server that never started TLS. */
        PLAINTEXT
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private volatile Behaviour behaviour = Behaviour.CLOSE;

    MisbehavingPeer() {
        try {
            server = new ServerSocket(0, 5, InetAddress.getByName(RealPostfix.LOOPBACK));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::serve, "misbehaving-smtp-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void behave(Behaviour next) {
        behaviour = next;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.setSoTimeout(30_000);
                converse(client);
            } catch (SocketException closed) {
                return;
            } catch (IOException dropped) {
                // the client went away: wait for the next one
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = client.getOutputStream();
        say(out, "220 peer.tlsmon.test ESMTP test peer");
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(java.util.Locale.ROOT);
            if (command.startsWith("EHLO")) {
                say(out, "250-peer.tlsmon.test\r\n250-PIPELINING\r\n250 STARTTLS");
            } else if (command.startsWith("STARTTLS")) {
                say(out, "220 2.0.0 Ready to start TLS");
                afterStartTls(client, out);
                return;
            } else if (command.startsWith("QUIT")) {
                say(out, "221 bye");
                return;
            } else {
                say(out, "502 5.5.2 not here");
            }
        }
    }

    private void afterStartTls(Socket client, OutputStream out) throws IOException {
        byte[] hello = new byte[4096];
        int read = client.getInputStream().read(hello);
        switch (behaviour) {
            case CLOSE -> {
                // closing is the behaviour
            }
            case PLAINTEXT -> say(out, "500 5.5.1 what is this: " + read + " bytes");
            case SILENT -> {
                while (client.getInputStream().read(hello) >= 0) {
                    // discard until the client closes or the read times out
                }
            }
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
