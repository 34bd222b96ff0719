package io.tlsmon.bench;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.pipeline.LogPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class LogGeneratorTest {
    private static final int LINES = 60_000;

    @ParameterizedTest
    @EnumSource(LogGenerator.Format.class)
    void sameSeedSameLinesOtherSeedOtherLines(LogGenerator.Format format) {
        String[] a = LogGenerator.lines(format, 5_000, 7);
        String[] b = LogGenerator.lines(format, 5_000, 7);
        String[] c = LogGenerator.lines(format, 5_000, 8);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @ParameterizedTest
    @EnumSource(LogGenerator.Format.class)
    void mostLinesSayNothingAboutTls(LogGenerator.Format format) {
        LogGenerator g = new LogGenerator(format, LogGenerator.DEFAULT_SEED);
        for (int i = 0; i < LINES; i++) {
            g.nextLine();
        }
        assertThat(g.stats().nonTlsShare()).isBetween(0.70, 0.86);
        assertThat(g.stats().bytes()).isEqualTo(byteCount(format, LINES));
    }

    private static long byteCount(LogGenerator.Format format, int lines) {
        long n = 0;
        for (String line : LogGenerator.lines(format, lines, LogGenerator.DEFAULT_SEED)) {
            n += line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        return n;
    }

    @Test
    void exchangeBlocksStartWithTheirHeaderAndTimeIncreasesWithinABlock() {
        String[] lines = LogGenerator.lines(LogGenerator.Format.EXCHANGE, LINES, LogGenerator.DEFAULT_SEED);
        assertThat(lines[0]).isEqualTo("#Software: Microsoft Exchange Server");
        Set<String> logTypes = new HashSet<>();
        String previous = null;
        for (String line : lines) {
            if (line.startsWith("#")) {
                if (line.startsWith("#Log-type: ")) {
                    logTypes.add(line);
                }
                previous = null;
                continue;
            }
            String time = line.substring(0, line.indexOf(','));
            if (previous != null) {
                assertThat(time).isGreaterThanOrEqualTo(previous); // ISO-8601 with a fixed width sorts as text
            }
            previous = time;
        }
        assertThat(logTypes).containsExactlyInAnyOrder("#Log-type: SMTP Receive Protocol Log", "#Log-type: SMTP Send Protocol Log");
    }

    @Test
    void postfixTimeNeverGoesBack() {
        DateTimeFormatter syslog = DateTimeFormatter.ofPattern("yyyy MMM ppd HH:mm:ss", Locale.ROOT);
        long previous = Long.MIN_VALUE;
        for (String line : LogGenerator.lines(LogGenerator.Format.POSTFIX, LINES, LogGenerator.DEFAULT_SEED)) {
            long t = LocalDateTime.parse("2026 " + line.substring(0, 15), syslog).toEpochSecond(ZoneOffset.UTC);
            assertThat(t).isGreaterThanOrEqualTo(previous);
            previous = t;
        }
    }

    @Test
    void exchangeSessionsAreInterleavedDozensDeep() {
        Set<String> open = new HashSet<>();
        int deepest = 0;
        for (String line : LogGenerator.lines(LogGenerator.Format.EXCHANGE, LINES, LogGenerator.DEFAULT_SEED)) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", 4);
            String key = f[1] + '|' + f[2];
            if (line.contains(",-,,")) {
                open.remove(key);
            } else {
                open.add(key);
            }
            deepest = Math.max(deepest, open.size());
        }
        assertThat(deepest).isGreaterThanOrEqualTo(24);
    }

    @Test
    void writeStopsAtTheByteLimit() throws Exception {
        LogGenerator g = new LogGenerator(LogGenerator.Format.POSTFIX, 1);
        StringWriter out = new StringWriter();
        long lines = g.write(out, 0, 100_000);
        assertThat(out.toString().length()).isBetween(100_000, 100_000 + 1_000);
        assertThat(out.toString().split("\n")).hasSize((int) lines);
        assertThat(LogGenerator.parseSize("2G")).isEqualTo(2L << 30);
    }

    /**
     * The parsers read every generated line without an error, and the pipeline finds each outcome
     * the generator composed: a guard against a generator that drifts from the documented formats.
     */
    @ParameterizedTest
    @EnumSource(LogGenerator.Format.class)
    void thePipelineReadsEveryLineAndFindsTheComposedOutcomes(LogGenerator.Format format) {
        LogGenerator g = new LogGenerator(format, LogGenerator.DEFAULT_SEED);
        String[] lines = new String[LINES];
        for (int i = 0; i < LINES; i++) {
            lines[i] = g.nextLine();
        }
        Map<String, Long> outcomes = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        LogPipeline.Listener listener = new LogPipeline.Listener() {
            @Override
            public void attempt(NegotiationAttempt attempt) {
                outcomes.merge(attempt.getOutcome().name(), 1L, Long::sum);
            }

            @Override
            public void parseError(String source, long lineNumber, String reason, String line) {
                errors.add(lineNumber + ": " + reason + ": " + line);
            }
        };
        LogFormat logFormat = LogFormat.fromLabel(format.name());
        try (LogPipeline pipeline = new LogPipeline(LogPipeline.Options.defaults().withFormat(logFormat), listener)) {
            try (LogPipeline.StreamReader reader = pipeline.openStream("generated.log", g.clock())) {
                for (int i = 0; i < lines.length; i++) {
                    reader.line(lines[i], i + 1);
                }
            }
        }
        assertThat(errors).isEmpty();
        Set<String> composed = new HashSet<>();
        g.stats().intents().keySet().stream().filter(k -> !k.startsWith("none")).map(k -> k.split(" ")[0]).forEach(composed::add);
        System.out.println(format + " composed " + g.stats().intents() + "\n" + format + " classified " + outcomes);
        assertThat(outcomes.keySet()).containsAll(composed);
    }
}
