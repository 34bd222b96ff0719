package io.tlsmon.logs.mta;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.Parsers;
import io.tlsmon.logs.StreamInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the composed fixtures under {@code fixtures/<format>/}: every line parses to a line or is
 * ignored (never an error), each file says in a leading comment that it was composed, and every row
 * of {@code expected.tsv} is well-formed and backed by what the parser reads from its file.
 */
class MtaFixturesTest {
    private static final Set<String> OUTCOMES = Set.of("OK", "DEPRECATED_PROTOCOL", "PROTOCOL_VERSION_REJECTED", "NO_SHARED_CIPHER",
            "CERTIFICATE_UNTRUSTED", "CERTIFICATE_EXPIRED", "CERTIFICATE_NAME_MISMATCH", "LOCAL_CERTIFICATE_UNUSABLE",
            "STARTTLS_REQUIRED", "STARTTLS_NOT_OFFERED", "CONNECTION_DROPPED", "HANDSHAKE_TIMEOUT", "WRONG_PORT_OR_PROTOCOL",
            "POLICY_FAILURE", "OTHER_TLS_ERROR");
    private static final Set<String> VERSIONS = Set.of("-", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    static Path folder(LogFormat format) throws URISyntaxException {
        return Paths.get(Objects.requireNonNull(MtaFixturesTest.class.getResource("/fixtures/" + format.label())).toURI());
    }

    static List<Path> logs(LogFormat format) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(folder(format))) {
            return files.filter(p -> !p.getFileName().toString().equals("expected.tsv")).sorted().toList();
        }
    }

    static List<ParsedLine> parseAll(LogFormat format, Path file) throws IOException {
        LineParser parser = Parsers.forFormat(format, new StreamInfo(null, file.getFileName().toString(), ZoneOffset.UTC,
                java.time.Instant.parse("2024-12-31T00:00:00Z").toEpochMilli()));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<ParsedLine> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ParseResult r = parser.parse(lines.get(i), i + 1);
            assertThat(r.isError()).as("%s:%d %s -> %s", file.getFileName(), i + 1, lines.get(i), r).isFalse();
            if (r.isLine()) {
                parsed.add(r.line());
            }
        }
        return parsed;
    }

    @ParameterizedTest
    @EnumSource(value = LogFormat.class, names = {"POSTFIX", "SENDMAIL", "EXIM"})
    void everyFixtureLineParsesOrIsIgnored(LogFormat format) throws Exception {
        List<Path> files = logs(format);
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
            assertThat(first).as("leading comment of %s", file).startsWith("# Composed by the tlsmon project");
            assertThat(parseAll(format, file)).as("parsed lines of %s", file).isNotEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = LogFormat.class, names = {"POSTFIX", "SENDMAIL", "EXIM"})
    void expectedRowsAreWellFormedAndBackedByTheParsedLines(LogFormat format) throws Exception {
        Path dir = folder(format);
        List<String> rows = Files.readAllLines(dir.resolve("expected.tsv"), StandardCharsets.UTF_8);
        assertThat(rows).isNotEmpty();
        String previousFile = "";
        for (String row : rows) {
            String[] c = row.split("\t", -1);
            assertThat(c).as(row).hasSize(6);
            assertThat(c[0].compareTo(previousFile)).as("rows ordered by file: %s", row).isGreaterThanOrEqualTo(0);
            previousFile = c[0];
            assertThat(dir.resolve(c[0])).as(row).exists();
            assertThat(c[2]).as(row).isIn(OUTCOMES);
            assertThat(c[3]).as(row).isIn(Stream.concat(OUTCOMES.stream(), Stream.of("-")).toList());
            assertThat(c[4]).as(row).isIn(VERSIONS);
            List<ParsedLine> parsed = parseAll(format, dir.resolve(c[0]));
            assertThat(parsed).as(row).anyMatch(l -> l.kind().label().equals(c[1]));
            if (!c[5].equals("-")) {
                assertThat(parsed).as("a line of %s carries the error of %s", c[0], row)
                        .anyMatch(l -> c[5].equals(l.error()) && l.kind().label().equals(c[1]));
            }
            if (!c[4].equals("-")) {
                assertThat(parsed).as("a line of %s negotiated the version of %s", c[0], row)
                        .anyMatch(l -> l.event() == LineEvent.TLS_ESTABLISHED && c[4].equals(l.tlsVersion()));
            }
        }
    }
}
