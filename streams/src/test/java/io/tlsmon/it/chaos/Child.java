package io.tlsmon.it.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One process of the campaign (a broker, a Streams instance, a shipper) that can be SIGKILLed,
 * SIGSTOPped and started again with the same command. Its output goes to a log file of its own,
 * each incarnation after a marker line, and is read here line by line so that the campaign can see
 * when the process says it is back (for the time to recover), with the campaign's own clock.
 */
final class Child {
    enum Kind { BROKER, STREAMS, SHIPPER }

    final String name;
    final Kind kind;
    private final Supplier<List<String>> command;
    private final Path log;
    private final Pattern ready;
    private Process process;
    private int incarnation;
    private volatile long lastReadyNanos = -1;
    private volatile boolean paused;

    /**
     * @param ready a line of the process's own output that says it is doing its work again, or null
     *              when that is judged from outside (brokers, shippers)
     */
    Child(String name, Kind kind, Supplier<List<String>> command, Path log, Pattern ready) {
        this.name = name;
        this.kind = kind;
        this.command = command;
        this.log = log;
        this.ready = ready;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        incarnation++;
        lastReadyNanos = -1;
        paused = false;
        ProcessBuilder pb = new ProcessBuilder(command.get()).redirectErrorStream(true);
        try {
            append("==== " + LocalTime.now() + " start #" + incarnation + ": " + String.join(" ", tail(pb.command())) + "\n");
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Process p = process;
        Thread reader = new Thread(() -> pump(p), name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** SIGKILL, and wait until the process is gone (its sockets, locks and files released). */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL ends a stopped process too

        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not die of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        paused = false;
        append("==== " + LocalTime.now() + " SIGKILL\n");
    }

    /** SIGTERM (an orderly stop), then SIGKILL after {@code graceSeconds}. */
    synchronized void stop(int graceSeconds) {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (paused) {
            resume();
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    synchronized void pause() {
        signal("STOP");
        paused = true;
        append("==== " + LocalTime.now() + " SIGSTOP\n");
    }

    synchronized void resume() {
        signal("CONT");
        paused = false;
        append("==== " + LocalTime.now() + " SIGCONT\n");
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** When the process last printed its ready line (System.nanoTime), -1 since its last start. */
    long lastReadyNanos() {
        return lastReadyNanos;
    }

    Path log() {
        return log;
    }

    int incarnation() {
        return incarnation;
    }

    private void signal(String sig) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).redirectErrorStream(true).start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (ready != null && ready.matcher(line).find()) {
                    lastReadyNanos = System.nanoTime();
                }
                w.write(line);
                w.write('\n');
                w.flush();
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private synchronized void append(String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command without the long classpath, for the log. */
    private static List<String> tail(List<String> cmd) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cmd.size(); i++) {
            if (cmd.get(i).equals("-cp") && i + 1 < cmd.size()) {
                out.add("-cp");
                out.add("<classpath>");
                i++;
            } else {
                out.add(cmd.get(i));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
