package io.tlsmon.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * A raw, plaintext SMTP client for the misbehaving-peer scenarios that {@code openssl s_client}
 * cannot play: close right after STARTTLS, send HTTP where a ClientHello belongs, stay silent,
 * reset the connection mid-handshake.
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

    /** Sends a real ClientHello from the JDK's TLS stack, as the first flight of a handshake. */
    void sendClientHello() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            SSLEngine engine = context.createSSLEngine(RealPostfix.HOSTNAME, 25);
            engine.setUseClientMode(true);
            engine.beginHandshake();
            ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), hello);
            hello.flip();
            byte[] bytes = new byte[hello.remaining()];
            hello.get(bytes);
            send(bytes);
        } catch (GeneralSecurityException | SSLException e) {
            throw new IllegalStateException("cannot build a ClientHello", e);
        }
    }

    /** Waits for the server's first bytes, then closes with a TCP reset (SO_LINGER 0). */
    void resetAfterServerReplies() {
        try {
            socket.getInputStream().read();
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        close();
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
