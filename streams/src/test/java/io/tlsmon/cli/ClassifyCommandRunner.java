package io.tlsmon.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** {@code tlsmon classify} for other packages' tests: the offline answer to compare a live run with. */
public final class ClassifyCommandRunner {
    private ClassifyCommandRunner() {
    }

    /** The attempts {@code tlsmon classify} finds in the demo's layout: {@code exchange/} of ex01, {@code postfix/} of mx2. */
    public static int attempts(Path demoLogs) {
        return attempts("ex01", demoLogs.resolve("exchange")) + attempts("mx2", demoLogs.resolve("postfix"));
    }

    private static int attempts(String host, Path path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new CommandLine(new ClassifyCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute("--output", "jsonl", "--host", host, path.toString());
        if (status != 0) {
            throw new AssertionError("tlsmon classify " + path + " exited " + status + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return (int) Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> l.startsWith("{\"record\":\"attempt\"")).count();
    }
}
