package io.tlsmon.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A private mount namespace whose {@code /dev/log} belongs to an rsyslogd of our own, which writes
 * the {@code mail} facility to one file in RFC 3164 form ({@code RSYSLOG_TraditionalFileFormat}).
 *
 * <p>Sendmail logs through syslog(3) only, and glibc's syslog(3) always writes to {@code /dev/log}.
 * This machine has no syslog daemon, and creating {@code /dev/log} for the whole host would capture
 * every other program's messages and leave a socket behind. So the namespace gets a fresh tmpfs on
 * {@code /dev} holding just the device nodes a daemon needs, bound from the real {@code /dev}, plus
 * the socket rsyslogd creates; and a private {@code /etc/hosts} that names this host fully, since
 * Sendmail otherwise sleeps a minute trying to qualify an unqualified host name. Every program the
 * harness runs that must log (the daemons, a delivering {@code sendmail}) runs inside it through
 * {@code nsenter}; the namespace and its mounts vanish with its last process.
 */
final class SyslogNamespace implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final Path log;
    private Process rsyslogd;

    private SyslogNamespace(Path dir) {
        this.dir = dir;
        this.log = dir.resolve("maillog");
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) && Files.isExecutable(Path.of("/usr/bin/unshare"))
                && Files.isExecutable(Path.of("/usr/bin/nsenter"));
    }

    /** Starts rsyslogd in a new mount namespace, with its files in {@code dir}. */
    static SyslogNamespace start(Path dir, String fullHostName) {
        SyslogNamespace ns = new SyslogNamespace(dir);
        return LocalServers.startedOrClosed(ns, () -> ns.launch(fullHostName), ns::close);
    }

    Path log() {
        return log;
    }

    /** Runs {@code command} inside the namespace. */
    Commands.Result run(Duration timeout, String stdin, List<String> command) {
        List<String> full = new ArrayList<>(List.of("/usr/bin/nsenter", "-t", Long.toString(rsyslogd.pid()), "-m", "--"));
        full.addAll(command);
        return Commands.run(timeout, stdin, full);
    }

    private void launch(String fullHostName) throws IOException {
        String shortName = Commands.check(COMMAND_TIMEOUT, "hostname").trim();
        Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.1.1 " + fullHostName + " " + shortName + "\n");
        Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                "# private syslog receiver written by io.tlsmon.testing.SyslogNamespace",
                "global(workDirectory=\"" + dir + "\")",
                // no rate limit: a scenario's burst of lines must all be there
                "module(load=\"imuxsock\" SysSock.RateLimit.Interval=\"0\" SysSock.UsePIDFromSystem=\"on\")",
                "module(load=\"builtin:omfile\" template=\"RSYSLOG_TraditionalFileFormat\")",
                "$RepeatedMsgReduction off",
                "mail.* action(type=\"omfile\" file=\"" + log + "\")",
                ""));
        Path setup = dir.resolve("namespace.sh");
        Files.writeString(setup, String.join("\n",
                "#!/bin/sh",
                "# runs as the first process of a private mount namespace (unshare -m)",
                "set -e",
                "d=\"$1\"",
                "mkdir -p \"$d/hostdev\"",
                "mount --bind /dev \"$d/hostdev\"",
                "mount -t tmpfs -o mode=755 tlsmon-dev /dev",
                "for n in null zero full random urandom tty; do",
                "  touch /dev/$n",
                "  mount --bind \"$d/hostdev/$n\" /dev/$n",
                "done",
                "ln -s /proc/self/fd /dev/fd",
                "umount \"$d/hostdev\"",
                "mount --bind \"$d/hosts\" /etc/hosts",
                "exec /usr/sbin/rsyslogd -n -f \"$d/rsyslog.conf\" -i \"$d/rsyslogd.pid\"",
                ""));
        rsyslogd = new ProcessBuilder("/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh",
                setup.toString(), dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start();
        // rsyslogd is ready once the socket exists inside the namespace.
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            if (!rsyslogd.isAlive()) {
                throw new IllegalStateException("rsyslogd exited: "
                        + Files.readString(dir.resolve("rsyslogd.out"), StandardCharsets.UTF_8));
            }
            if (Files.exists(dir.resolve("rsyslogd.pid"))
                    && run(COMMAND_TIMEOUT, null, List.of("/usr/bin/test", "-S", "/dev/log")).ok()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("rsyslogd did not create /dev/log in its namespace");
            }
            RealPostfix.sleep(50);
        }
    }

    @Override
    public void close() {
        if (rsyslogd != null && rsyslogd.isAlive()) {
            rsyslogd.destroy();
            try {
                rsyslogd.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
