package io.tlsmon.logs.exchange;

import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.StreamInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the composed fixtures under {@code fixtures/exchange} on the test classpath. */
final class ExchangeFixtures {
    static final String COMPOSED =
            "# composed from the documented format (shared/reference/log-formats.md §1); not a real Exchange log";

    private ExchangeFixtures() {
    }

    static Path folder() {
        try {
            return Path.of(ExchangeFixtures.class.getResource("/fixtures/exchange/expected.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code *.LOG} files, by name. */
    static List<Path> logFiles() {
        try (Stream<Path> files = Files.list(folder())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".LOG")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Physical lines split on LF only, so a CR of a CRLF file stays for the parser to drop; BOM kept. */
    static List<String> rawLines(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the files in order with one parser, as one stream (a rotation group). */
    static List<ParseResult> parse(List<Path> files) {
        ExchangeLogParser parser = new ExchangeLogParser(StreamInfo.of(null, files.get(0).getFileName().toString()));
        List<ParseResult> results = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = rawLines(file);
            for (int i = 0; i < lines.size(); i++) {
                results.add(parser.parse(lines.get(i), i + 1));
            }
        }
        return results;
    }
}
