package io.tlsmon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the harnesses of real mail servers share ({@link RealPostfix}, {@link RealExim},
 * {@link RealSendmail}, {@link SyslogNamespace}): free loopback ports, a start that leaves nothing
 * running when it fails, and the removal of their run folders.
 */
final class LocalServers {
    static final String LOOPBACK = "127.0.0.1";

    /** A server's start-up steps. */
    interface Start {
        void run() throws IOException;
    }

    private LocalServers() {
    }

    /** Runs {@code start}; if it fails, {@code close} stops whatever it had started, and the failure is thrown on. */
    static <S> S startedOrClosed(S server, Start start, Runnable close) {
        try {
            start.run();
            return server;
        } catch (RuntimeException | IOException e) {
            close.run();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /** A loopback port free now and not among {@code taken}. */
    static int freeLoopbackPort(Collection<Integer> taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
                int port = socket.getLocalPort();
                if (!taken.contains(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free loopback port");
    }

    /** Deletes {@code root} and everything under it, as far as it can: a leftover run folder does no harm. */
    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a socket vanishing under us, or similar: the rest still goes
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
