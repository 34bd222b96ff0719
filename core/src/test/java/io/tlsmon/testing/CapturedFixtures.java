package io.tlsmon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.pipeline.LogPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the real-MTA harnesses share about captured lines: running them through the whole pure
 * pipeline as a log file would be, checking the attempts found against the expected ones, and
 * reading a fixture directory's {@code expected.tsv}.
 */
final class CapturedFixtures {
    private CapturedFixtures() {
    }

    /** The attempts the offline pipeline finds in {@code lines}, read as one log file. */
    static List<NegotiationAttempt> attempts(List<String> lines) {
        List<NegotiationAttempt> attempts = new ArrayList<>();
        try (LogPipeline pipeline = new LogPipeline(LogPipeline.Options.defaults(), attempts::add);
             LogPipeline.StreamReader stream = pipeline.openStream("maillog", System.currentTimeMillis())) {
            long n = 0;
            for (String line : lines) {
                stream.line(line, ++n);
            }
        }
        return attempts;
    }

    /**
     * Asserts that the pipeline finds exactly the expected attempts in {@code lines}: as many, and
     * each expected one matched by source, direction, outcome and version, and by an error that
     * contains the expected text (errors are verbatim library texts: the expected one is a
     * distinctive part of it).
     */
    static void assertClassifies(String name, List<String> lines, List<ExpectedAttempt> expected) {
        List<NegotiationAttempt> attempts = attempts(lines);
        assertThat(attempts).as("attempts of %s", name).hasSameSizeAs(expected);
        for (ExpectedAttempt e : expected) {
            assertThat(attempts).as("%s has %s", name, e).anySatisfy(a -> {
                assertThat(a.getSourceKind()).isEqualTo(e.sourceKind());
                assertThat(a.getDirection()).isEqualTo(e.direction());
                assertThat(a.getOutcome().name()).isEqualTo(e.outcome());
                assertThat(a.getTlsVersion()).isEqualTo(e.tlsVersion());
                if (e.error() != null) {
                    assertThat(a.getError()).contains(e.error());
                }
            });
        }
    }

    /** Where {@code -Dtlsmon.capture.dir} asks a Real*IT to write the lines it captured, or null. */
    static Path captureDir() {
        String dir = System.getProperty(RealPostfixIT.CAPTURE_DIR_PROPERTY);
        return dir == null || dir.isBlank() ? null : Paths.get(dir);
    }

    /** Writes the capture's {@code expected.tsv} from the rows of its scenarios, when capturing. */
    static void writeExpected(List<String> rows) throws IOException {
        Path dir = captureDir();
        if (dir != null && !rows.isEmpty()) {
            List<String> tsv = new ArrayList<>();
            tsv.add(ExpectedAttempt.TSV_HEADER);
            tsv.addAll(rows);
            Files.write(dir.resolve("expected.tsv"), tsv, StandardCharsets.UTF_8);
        }
    }

    /** A test resource directory such as {@code /fixtures/exim-captured}. */
    static Path resourceDir(String resource) {
        try {
            return Paths.get(CapturedFixtures.class.getResource(resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of {@code dir/expected.tsv} by file, in file order; a file may have several. */
    static Map<String, List<ExpectedAttempt>> expected(Path dir) {
        Map<String, List<ExpectedAttempt>> byFile = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                assertThat(columns).as("columns of %s", line).hasSize(7);
                byFile.computeIfAbsent(columns[0], f -> new ArrayList<>()).add(ExpectedAttempt.ofTsv(columns));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byFile;
    }

    /** A captured file's log lines, without its header comment. */
    static List<String> logLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that every {@code .log} in {@code dir} is headed with where it came from (the real
     * {@code mta} with its TLS {@code library}, captured by this repository's {@code Real<mta>}
     * harness) and holds only lines of the MTA's own shape, {@code lineRegex}; returns the files.
     */
    static List<Path> assertEachIsHeadedAndReal(Path dir, String mta, String library, String lineRegex) throws IOException {
        List<Path> logs;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            logs = files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).as(log.toString()).startsWith("# captured from a real " + mta + " ")
                    .contains(" with " + library + " ", " by Real" + mta + " (this repository), scenario ");
            assertThat(lines.subList(1, lines.size())).as(log.toString()).isNotEmpty().allMatch(line -> line.matches(lineRegex));
        }
        return logs;
    }
}
