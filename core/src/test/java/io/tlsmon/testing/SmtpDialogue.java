package io.tlsmon.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A raw, plaintext SMTP client for the misbehaving-peer scenarios that {@code openssl s_client}
 * cannot play: close right after STARTTLS, send HTTP where a ClientHello belongs, stay silent.
 */
final class SmtpDialogue implements AutoCloseable {
    static final String EHLO_NAME = "client.tlsmon.test";

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    SmtpDialogue(int port, Duration readTimeout) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(RealPostfix.LOOPBACK, port), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects, reads the greeting and says EHLO. */
    static SmtpDialogue greeted(int port, Duration readTimeout) {
        SmtpDialogue dialogue = new SmtpDialogue(port, readTimeout);
        dialogue.expect("220");
        dialogue.command("EHLO " + EHLO_NAME, "250");
        return dialogue;
    }

    /** Sends one command and returns the full (possibly multi-line) reply; checks its code. */
    String command(String line, String expectedCode) {
        send((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return expect(expectedCode);
    }

    void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String expect(String code) {
        StringBuilder reply = new StringBuilder();
        try {
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IllegalStateException("server closed; reply so far: " + reply);
                }
                reply.append(line).append('\n');
            } while (line.length() > 3 && line.charAt(3) == '-');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!reply.toString().startsWith(code)) {
            throw new IllegalStateException("expected " + code + " but got: " + reply);
        }
        return reply.toString();
    }

    /** Reads until the server closes the connection or the read timeout passes; never throws. */
    void awaitServerClose() {
        try {
            while (socket.getInputStream().read() >= 0) {
                // discard whatever the server still sends (an alert, say)
            }
        } catch (IOException closedOrTimedOut) {
            // a reset or a timeout both mean we are done waiting
        }
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
