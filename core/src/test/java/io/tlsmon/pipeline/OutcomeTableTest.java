package io.tlsmon.pipeline;

import io.tlsmon.avro.NegotiationAttempt;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classification contract, table-driven: for every fixture of every format, the attempts the
 * whole pure pipeline (parse, stitch, classify, probable cause) finds are exactly the rows of that
 * fixture folder's {@code expected.tsv}: {@code file, sourceKind, outcome, probableCause,
 * tlsVersion, error}, or with a {@code direction} column after {@code sourceKind} where the header
 * line names one (the captured fixtures: Exim logs both directions under one source). A {@code #group A B} line reads files A and B as one rotated stream. Errors are
 * kept verbatim, so an expected error matches when it is the verbatim error or a distinctive part of
 * it ({@code unsupported protocol} of {@code error:0A000102:SSL routines::unsupported protocol:...}).
 */
class OutcomeTableTest {

    @TestFactory
    Stream<DynamicTest> everyFixtureYieldsItsExpectedAttempts() throws IOException, URISyntaxException {
        Path root = Path.of(OutcomeTableTest.class.getResource("/fixtures").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> Files.exists(d.resolve("expected.tsv"))).sorted().toList()) {
                Table table = Table.read(dir.resolve("expected.tsv"));
                table.expected.forEach((file, rows) -> tests.add(DynamicTest.dynamicTest(
                        root.relativize(dir) + "/" + file, () -> {
                            List<String> actual = classify(dir, table.groups.getOrDefault(file, List.of(file)), table.directions);
                            assertThat(matchErrors(actual, rows)).as("attempts of %s/%s", dir.getFileName(), file)
                                    .containsExactlyInAnyOrderElementsOf(rows);
                        })));
            }
        }
        return tests.stream();
    }

    static List<String> classify(Path dir, List<String> files) throws IOException {
        return classify(dir, files, false);
    }

    static List<String> classify(Path dir, List<String> files, boolean directions) throws IOException {
        List<NegotiationAttempt> attempts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        LogPipeline.Listener listener = new LogPipeline.Listener() {
            @Override
            public void attempt(NegotiationAttempt a) {
                attempts.add(a);
            }

            @Override
            public void parseError(String source, long lineNumber, String reason, String line) {
                errors.add(source + ":" + lineNumber + ": " + reason);
            }
        };
        try (LogPipeline pipeline = new LogPipeline(LogPipeline.Options.defaults(), listener)) {
            for (String f : files) {
                Path file = dir.resolve(f);
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                     LogPipeline.StreamReader s = pipeline.openStream(file.toString(), Files.getLastModifiedTime(file).toMillis())) {
                    String line;
                    long n = 0;
                    while ((line = r.readLine()) != null) {
                        s.line(line, ++n);
                    }
                }
            }
        }
        assertThat(errors).as("parse errors in fixtures").isEmpty();
        return attempts.stream().map(a -> directions ? rowWithDirection(a) : row(a)).toList();
    }

    /** Each actual row whose error contains the error of a not yet matched expected row, and agrees on the rest, becomes that row. */
    static List<String> matchErrors(List<String> actual, List<String> expected) {
        List<String> open = new ArrayList<>(expected);
        List<String> out = new ArrayList<>();
        for (String a : actual) {
            String match = open.stream().filter(e -> sameButError(a, e)).findFirst().orElse(null);
            if (match != null) {
                open.remove(match);
                out.add(match);
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private static boolean sameButError(String actual, String expected) {
        int a = actual.lastIndexOf('\t');
        int e = expected.lastIndexOf('\t');
        String expectedError = expected.substring(e + 1);
        return actual.substring(0, a).equals(expected.substring(0, e))
                && (actual.substring(a + 1).equals(expectedError)
                || (!expectedError.equals("-") && actual.substring(a + 1).contains(expectedError)));
    }

    static String row(NegotiationAttempt a) {
        return String.join("\t", a.getSourceKind(), a.getOutcome().name(),
                a.getProbableCause() == null ? "-" : a.getProbableCause().name(),
                a.getTlsVersion() == null ? "-" : a.getTlsVersion(),
                a.getError() == null ? "-" : a.getError());
    }

    static String rowWithDirection(NegotiationAttempt a) {
        String row = row(a);
        int tab = row.indexOf('\t');
        return row.substring(0, tab) + '\t' + a.getDirection().name() + row.substring(tab);
    }

    /** The rows of one expected.tsv, by file (the first file of a group holds the group's rows). */
    record Table(Map<String, List<String>> expected, Map<String, List<String>> groups, boolean directions) {
        static Table read(Path tsv) throws IOException {
            Map<String, List<String>> expected = new LinkedHashMap<>();
            Map<String, List<String>> groups = new LinkedHashMap<>();
            List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
            boolean directions = !lines.isEmpty() && lines.get(0).startsWith("# file\tsourceKind\tdirection\t");
            for (String line : lines) {
                if (line.startsWith("#group")) {
                    List<String> files = List.of(line.substring(6).trim().split("\\s+"));
                    groups.put(files.get(0), files);
                    expected.computeIfAbsent(files.get(0), k -> new ArrayList<>());
                    continue;
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                expected.computeIfAbsent(cols[0], k -> new ArrayList<>())
                        .add(String.join("\t", List.of(cols).subList(1, cols.length)));
            }
            return new Table(expected, groups, directions);
        }
    }
}
