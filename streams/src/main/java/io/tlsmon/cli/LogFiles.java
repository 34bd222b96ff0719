package io.tlsmon.cli;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds log files under the paths a user gives and opens them, gzip'd or not. Files of one folder
 * form one group read oldest first, so that a session continued across a rotation is stitched
 * whole: {@code mail.log.2.gz, mail.log.1, mail.log}; {@code RECV2023011116-1.LOG, ...-2.LOG}.
 */
public final class LogFiles {
    private static final Pattern ROTATION = Pattern.compile("\\.(\\d+)(\\.gz)?$");

    private LogFiles() {
    }

    /** A folder's files, oldest first. */
    public record Group(Path folder, List<Path> files) {
    }

    /**
     * @param problems receives a message for each path that cannot be listed
     */
    public static List<Group> discover(List<Path> paths, java.util.function.Consumer<String> problems) {
        Map<Path, List<Path>> byFolder = new TreeMap<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                problems.accept(p + ": no such file or directory");
                continue;
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                            .forEach(f -> byFolder.computeIfAbsent(folderOf(f), k -> new ArrayList<>()).add(f));
                } catch (IOException | java.io.UncheckedIOException e) {
                    problems.accept(p + ": cannot list: " + e.getMessage());
                }
            } else {
                byFolder.computeIfAbsent(folderOf(p), k -> new ArrayList<>()).add(p);
            }
        }
        List<Group> groups = new ArrayList<>();
        byFolder.forEach((folder, files) -> {
            files.sort(OLDEST_FIRST);
            groups.add(new Group(folder, List.copyOf(files.stream().distinct().toList())));
        });
        return groups;
    }

    private static Path folderOf(Path f) {
        Path parent = f.toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** Rotated copies (higher number = older) before the live file; otherwise by name. */
    static final Comparator<Path> OLDEST_FIRST = Comparator
            .comparingInt((Path p) -> -rotationIndex(p.getFileName().toString()))
            .thenComparing(p -> p.getFileName().toString());

    static int rotationIndex(String name) {
        Matcher m = ROTATION.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** A reader of the file's text: gunzipped when it starts with the gzip magic, bad bytes replaced. */
    public static BufferedReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    }
}
