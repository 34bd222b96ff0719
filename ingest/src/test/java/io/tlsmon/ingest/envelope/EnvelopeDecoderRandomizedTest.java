package io.tlsmon.ingest.envelope;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever bytes arrive, the decoder answers with a line or a named failure, and never with
 * {@link FailureReason#UNEXPECTED} (which would mean an exception escaped its checks). Randomized
 * with fixed seeds, so a failure names the seed and the case that reproduce it.
 */
class EnvelopeDecoderRandomizedTest {
    private static final int CASES_PER_SEED = 1500;
    private static final List<String> NAMES = List.of("message", "log", "raw_event", "Message", "msg", "host",
            "hostname", "Hostname", "@timestamp", "timestamp", "date", "EventReceivedTime", "timereported", "path",
            "file", "FileName", "offset", "log_kind", "tlsmon_kind", "LogKind", "fields", "tags", "event", "syslogtag",
            "programname", "procid", "source_type", "agent", "labels", "x");
    private static final List<String> SCALARS = List.of("true", "false", "null", "[]", "{}", "\"auto\"",
            "\"exchange\"", "\"iis\"", "\"2024-03-01T12:00:00Z\"", "\"2024-03-01 12:00:00\"", "\"1709294400.5\"",
            "\"a\\nb\"", "\"\\r\\n\"", "\"\"", "1e400", "-0", "1709294400123", "-1", "9223372036854775808",
            "\"+999999999-12-31T00:00:00Z\"", "\"\\ud800\"");

    private final EnvelopeDecoder decoder = EnvelopeDecoder.withMaxValueBytes(4096);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 20240301L})
    void arbitraryBytesNeverThrow(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            byte[] key = random.nextInt(4) == 0 ? null : bytes(random, random.nextInt(300));
            byte[] value = random.nextInt(50) == 0 ? null : bytes(random, random.nextInt(5000));
            if (value != null && value.length > 0 && random.nextBoolean()) {
                value[0] = '{'; // reach the JSON path too
            }
            assertAnswered(decoder.decode(key, value, random.nextBoolean() ? "t" : null, random.nextLong()),
                    "seed " + seed + " case " + i);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7L, 99L, 31337L})
    void jsonLookalikesNeverThrowAndLinesStayOneLine(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            String json = object(random, 3);
            if (random.nextInt(5) == 0) {
                json = json.substring(0, random.nextInt(json.length() + 1)); // cut short
            }
            String key = random.nextBoolean() ? "h|" + pick(random, List.of("exchange", "postfix", "auto", "", "iis", "|"))
                    : text(random, 20);
            Decoded d = decoder.decode(key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8),
                    null, -1);

            assertAnswered(d, "seed " + seed + " case " + i + ": " + json);
            if (d instanceof Decoded.Line line) {
                assertThat(line.rawLine().getLine()).as(json).isNotEmpty().doesNotContain("\n");
                assertThat(line.key()).as(json).contains("|");
            }
        }
    }

    private static void assertAnswered(Decoded d, String where) {
        assertThat(d).as(where).isNotNull();
        if (d instanceof Decoded.Failure f) {
            assertThat(f.reason()).as(where + " -> " + f.describe()).isNotEqualTo(FailureReason.UNEXPECTED);
        }
    }

    /** An object of envelope field names with values of every JSON type, nested a little. */
    private static String object(SplittableRandom random, int depth) {
        StringBuilder out = new StringBuilder("{");
        int members = random.nextInt(8);
        for (int m = 0; m < members; m++) {
            out.append(m == 0 ? "" : ",").append(quote(pick(random, NAMES))).append(':').append(value(random, depth));
        }
        return out.append('}').toString();
    }

    private static String value(SplittableRandom random, int depth) {
        return switch (random.nextInt(depth > 0 ? 7 : 5)) {
            case 0 -> quote(text(random, 40));
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> String.valueOf(random.nextDouble() * Math.pow(10, random.nextInt(25)));
            case 3, 4 -> pick(random, SCALARS);
            case 5 -> "[" + value(random, depth - 1) + "," + value(random, depth - 1) + "]";
            default -> object(random, depth - 1);
        };
    }

    private static String text(SplittableRandom random, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x20) : (char) (0x20 + random.nextInt(0x3000)));
        }
        return s.toString();
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    private static String pick(SplittableRandom random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
