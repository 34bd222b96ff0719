package io.tlsmon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * The log file a real MTA of a harness writes, read the way the scenarios need it: a mark before
 * a scenario, then the lines written since, once the MTA has written what the scenario waits for
 * and stopped writing (postlogd, Exim and rsyslogd all write asynchronously).
 */
final class MtaLog {
    private final String mta;
    private final Path file;
    private final Charset charset;

    /** {@code charset}: Exim writes the bytes it was given, so its log is read as ISO-8859-1. */
    MtaLog(String mta, Path file, Charset charset) {
        this.mta = mta;
        this.file = file;
        this.charset = charset;
    }

    Path file() {
        return file;
    }

    /** All lines so far. */
    List<String> lines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file, charset) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A position in the log, to read only what a scenario caused. */
    int mark() {
        return lines().size();
    }

    List<String> since(int mark) {
        List<String> all = lines();
        return List.copyOf(all.subList(Math.min(mark, all.size()), all.size()));
    }

    /**
     * Waits until the lines written since {@code mark} satisfy {@code done}, then a little longer
     * until the log stops growing, and returns those lines.
     */
    List<String> await(int mark, Predicate<List<String>> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        List<String> lines = since(mark);
        while (!done.test(lines)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(mta + " did not log the expected lines within " + timeout
                        + "; it logged:\n" + String.join("\n", lines));
            }
            RealPostfix.sleep(100);
            lines = since(mark);
        }
        int settled = 0;
        while (settled < 4 && Instant.now().isBefore(deadline)) {
            RealPostfix.sleep(100);
            List<String> now = since(mark);
            settled = now.size() == lines.size() ? settled + 1 : 0;
            lines = now;
        }
        return lines;
    }
}
