package io.tlsmon.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends text to a log file the way a logging process does (open, append, close). */
public final class LogWriter {
    private LogWriter() {
    }

    public static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code prefix-i} lines, each with a syslog-like time so the clock reads one. */
    public static String lines(String prefix, int from, int toExclusive) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < toExclusive; i++) {
            sb.append("2024-03-01T10:00:00.000Z,").append(prefix).append('-').append(i).append(",some,payload\n");
        }
        return sb.toString();
    }
}
