package io.tlsmon.engine;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart between any two lines of a log (the topology's task restored from its changelogs, its
 * parsers made again) gives the same attempts as reading it at once: everything the engine and the
 * parsers remember is in its state. Run over every fixture log, each cut at every line.
 */
class SessionEngineRestartTest {
    private static final long T = 1_741_000_000_000L;

    /** The engine's state: what survives a restart. */
    private static final class State {
        final MapState<OpenSession> sessions = new MapState<>();
        final MapState<Long> clocks = new MapState<>();
        final MapState<Long> lines = new MapState<>();
        MapState<String> parserMemory = new MapState<>();

        SessionEngine engine() {
            return new SessionEngine(EngineSettings.defaults(), sessions, clocks, lines, parserMemory, new EngineCounters());
        }
    }

    /** The attempts of {@code lines}, the engine made again (from the same state) before line {@code cut}; with {@code keepParserMemory} false, the parsers' memory is lost then. */
    private static List<NegotiationAttempt> attempts(String stream, List<String> lines, int cut, boolean keepParserMemory) {
        List<NegotiationAttempt> out = new ArrayList<>();
        EngineOutput.Sink sink = o -> {
            if (o.kind() == EngineOutput.Kind.ATTEMPT) {
                out.add(o.attempt());
            }
        };
        State state = new State();
        SessionEngine engine = state.engine();
        String streamKey = "mx1|" + stream;
        for (int i = 0; i < lines.size(); i++) {
            if (i == cut) {
                if (!keepParserMemory) {
                    state.parserMemory = new MapState<>();
                }
                engine = state.engine();
            }
            engine.accept(new LineInput(streamKey, "mx1", stream, null, null, lines.get(i), i + 1, T, T, null), sink);
        }
        engine.endOfStream(streamKey, sink);
        return out;
    }

    private static List<Path> fixtureLogs() {
        try (Stream<Path> files = Files.walk(Paths.get(SessionEngineRestartTest.class.getResource("/fixtures").toURI()))) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".tsv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> read(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRestartAtAnyLineOfAnyFixtureLogGivesTheSameAttempts() {
        List<Path> logs = fixtureLogs();
        assertThat(logs).hasSizeGreaterThan(50);
        int cuts = 0;
        for (Path log : logs) {
            List<String> lines = read(log);
            String stream = log.getFileName().toString();
            List<NegotiationAttempt> whole = attempts(stream, lines, -1, true);
            for (int cut = 1; cut < lines.size(); cut++) {
                assertThat(attempts(stream, lines, cut, true)).as("%s restarted before line %d", log, cut + 1).isEqualTo(whole);
                cuts++;
            }
        }
        assertThat(cuts).isGreaterThan(500);
    }

    /** The test above sees the parsers' memory: without it, a restart changes what some logs give. */
    @Test
    void withoutTheParsersMemoryARestartWouldChangeTheAttemptsOfSomeLogs() {
        List<String> changed = new ArrayList<>();
        for (Path log : fixtureLogs()) {
            List<String> lines = read(log);
            String stream = log.getFileName().toString();
            List<NegotiationAttempt> whole = attempts(stream, lines, -1, true);
            for (int cut = 1; cut < lines.size(); cut++) {
                if (!attempts(stream, lines, cut, false).equals(whole)) {
                    changed.add(log.getParent().getFileName() + "/" + stream);
                    break;
                }
            }
        }
        // Postfix (the delivery a status line ended, the peer a handshake line opened) and Sendmail (the
        // processes serving a client); no Exim fixture repeats a line across a cut: EximConnectionLinesTest shows it
        assertThat(changed).anyMatch(s -> s.startsWith("postfix")).anyMatch(s -> s.startsWith("sendmail"));
    }
}
