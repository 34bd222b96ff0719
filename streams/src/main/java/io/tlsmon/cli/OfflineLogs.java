package io.tlsmon.cli;

import io.tlsmon.engine.EngineCounters;
import io.tlsmon.pipeline.LogPipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one loop of {@code classify} and {@code tlsrpt}: the offline pipeline over files and folders, each folder's
 * files oldest first, gzip'd rotations too, one group per folder.
 */
final class OfflineLogs {
    /** What a run read. */
    record Read(int files, int unreadable, EngineCounters counters) {
    }

    private OfflineLogs() {
    }

    static Read run(List<Path> paths, LogPipeline.Options options, LogPipeline.Listener listener, PrintStream err, String command) {
        int[] unreadable = {0};
        List<LogFiles.Group> groups = LogFiles.discover(paths, problem -> {
            unreadable[0]++;
            err.println("tlsmon " + command + ": " + problem);
        });
        EngineCounters counters;
        try (LogPipeline pipeline = new LogPipeline(options, listener)) {
            for (LogFiles.Group group : groups) {
                for (Path file : group.files()) {
                    if (!readFile(pipeline, file, err, command)) {
                        unreadable[0]++;
                    }
                }
                pipeline.endGroup();
            }
            counters = pipeline.counters();
        }
        return new Read(groups.stream().mapToInt(g -> g.files().size()).sum(), unreadable[0], counters);
    }

    private static boolean readFile(LogPipeline pipeline, Path file, PrintStream err, String command) {
        long reference;
        try {
            reference = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            reference = System.currentTimeMillis();
        }
        try (BufferedReader reader = LogFiles.open(file);
             LogPipeline.StreamReader stream = pipeline.openStream(file.toString(), reference)) {
            String line;
            long n = 0;
            while ((line = reader.readLine()) != null) {
                stream.line(line, ++n);
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            err.println("tlsmon " + command + ": cannot read " + file + ": " + e.getMessage());
            return false;
        }
    }
}
