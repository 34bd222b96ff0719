package io.tlsmon.logs.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.StreamInfo;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Whatever arrives, the parser answers (line, ignored or error with a reason) and never throws. */
class ExchangeLogParserPropertiesTest {
    private static final List<String> FIXTURE_LINES = ExchangeFixtures.logFiles().stream()
            .flatMap((Path p) -> ExchangeFixtures.rawLines(p).stream()).toList();
    /** Characters that matter to the format, to reach deeper than uniformly random text does. */
    private static final String SPECIAL = ",\"\r\uFEFF#*<>+-:[]\\ .TZ0123456789\u201D\u2033";
    private static final List<String> HEADERS = List.of(
            "#Log-type: SMTP Receive Protocol Log", "#Log-type: SMTP Send Protocol Log", "#Log-type: Message Tracking Log",
            "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context",
            "#Fields: event,session-id,date-time,sequence-number,data", "#Fields:", "# composed");

    private static void assertAnswered(ParseResult r) {
        assertThat(r).isNotNull();
        assertThat(r.isLine() || r.isIgnored() || r.isError()).isTrue();
        if (r.isError()) {
            assertThat(r.error()).isNotBlank();
        }
        if (r.isLine()) {
            assertThat(r.line().sessionId()).isNotEmpty();
        }
    }

    private static ExchangeLogParser parser(String path, String header) {
        ExchangeLogParser p = new ExchangeLogParser(StreamInfo.of(null, path));
        if (header != null) {
            assertAnswered(p.parse(header, 1));
        }
        return p;
    }

    @Provide
    Arbitrary<String> header() {
        return Arbitraries.oneOf(Arbitraries.of(HEADERS), Arbitraries.just(null),
                special().map(s -> "#Fields: " + s), special().map(s -> "#Log-type: " + s));
    }

    @Provide
    Arbitrary<String> path() {
        return Arbitraries.of("RECV2025030110-1.LOG", "SEND2025030110-1.LOG", "stdin", "/x/SmtpSend/a.log", "");
    }

    @Provide
    Arbitrary<String> special() {
        return Arbitraries.strings().withChars(SPECIAL.toCharArray()).withCharRange('a', 'f').ofMaxLength(300);
    }

    @Provide
    Arbitrary<String> fixtureLine() {
        return Arbitraries.of(FIXTURE_LINES);
    }

    @Property(tries = 1000)
    void random_text_never_throws(@ForAll String text, @ForAll("path") String path, @ForAll("header") String header) {
        assertAnswered(parser(path, header).parse(text, 2));
    }

    @Property(tries = 1000)
    void random_format_characters_never_throw(@ForAll("special") String text, @ForAll("path") String path,
            @ForAll("header") String header) {
        assertAnswered(parser(path, header).parse(text, 2));
    }

    @Property(tries = 1000)
    void truncated_fixture_lines_never_throw(@ForAll("fixtureLine") String line, @ForAll @IntRange(max = 1000) int cut,
            @ForAll("header") String header) {
        assertAnswered(parser("RECV2025030110-1.LOG", header).parse(line.substring(0, Math.min(cut, line.length())), 2));
    }

    @Property(tries = 2000)
    void mutated_fixture_lines_never_throw(@ForAll("mutated") String line, @ForAll("path") String path,
            @ForAll("header") String header) {
        assertAnswered(parser(path, header).parse(line, 2));
    }

    /** A fixture line with one to five characters replaced, inserted or deleted. */
    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<Character> c = Arbitraries.oneOf(Arbitraries.of(SPECIAL.chars().mapToObj(i -> (char) i).toList()),
                Arbitraries.chars());
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 1000), c.map(ch -> (int) ch)).as((op, at, ch) -> new int[] {op, at, ch});
        return Combinators.combine(fixtureLine(), edit.list().ofMinSize(1).ofMaxSize(5)).as((line, edits) -> {
            StringBuilder sb = new StringBuilder(line);
            for (int[] e : edits) {
                int at = sb.length() == 0 ? 0 : e[1] % (sb.length() + 1);
                switch (e[0]) {
                    case 0 -> {
                        if (at < sb.length()) {
                            sb.setCharAt(at, (char) e[2]);
                        }
                    }
                    case 1 -> sb.insert(at, (char) e[2]);
                    default -> {
                        if (at < sb.length()) {
                            sb.deleteCharAt(at);
                        }
                    }
                }
            }
            return sb.toString();
        });
    }

    @Property(tries = 300)
    void whole_fixture_streams_with_a_mutated_header_never_throw(@ForAll("header") String header) {
        ExchangeLogParser p = parser("stdin", header);
        for (int i = 0; i < FIXTURE_LINES.size(); i += 7) {
            assertAnswered(p.parse(FIXTURE_LINES.get(i), i));
        }
    }
}
