package io.tlsmon.ingest.envelope;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever bytes arrive, the decoder answers with a line or a named failure, and never with
 * {@link FailureReason#UNEXPECTED} (which would mean an exception escaped its checks).
 */
class EnvelopeDecoderPropertiesTest {
    private final EnvelopeDecoder decoder = EnvelopeDecoder.withMaxValueBytes(4096);

    @Property(tries = 1000)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 300) byte[] key, @ForAll @Size(max = 5000) byte[] value,
                                  @ForAll long timestamp) {
        assertAnswered(decoder.decode(key, value, "t", timestamp));
    }

    @Property(tries = 1000)
    void jsonLookalikesNeverThrow(@ForAll("jsonLookalikes") String value, @ForAll("keys") String key) {
        assertAnswered(decoder.decode(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), null, -1));
    }

    @Property(tries = 1000)
    void aDecodedLineIsNeverEmptyAndHoldsNoLineFeed(@ForAll("jsonLookalikes") String value) {
        Decoded d = decoder.decode(null, value.getBytes(StandardCharsets.UTF_8), "t", 0);
        if (d instanceof Decoded.Line line) {
            assertThat(line.rawLine().getLine()).isNotEmpty().doesNotContain("\n");
            assertThat(line.key()).contains("|");
        }
    }

    private static void assertAnswered(Decoded d) {
        assertThat(d).isNotNull();
        if (d instanceof Decoded.Failure f) {
            assertThat(f.reason()).as(f.describe()).isNotEqualTo(FailureReason.UNEXPECTED);
        }
    }

    /** Objects built from the envelope field names with values of every JSON type, sometimes cut short. */
    @Provide
    Arbitrary<String> jsonLookalikes() {
        List<String> names = List.of("message", "log", "raw_event", "Message", "msg", "host", "hostname", "Hostname",
                "@timestamp", "timestamp", "date", "EventReceivedTime", "timereported", "path", "file", "FileName",
                "offset", "log_kind", "tlsmon_kind", "LogKind", "fields", "tags", "event", "syslogtag", "programname",
                "procid", "source_type", "agent", "labels", "x");
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(EnvelopeDecoderPropertiesTest::quote),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "[]", "{}", "\"auto\"", "\"exchange\"", "\"iis\"",
                        "\"2024-03-01T12:00:00Z\"", "\"1709294400.5\"", "\"a\\nb\"", "\"\\r\\n\"", "1e400", "-0"));
        Arbitrary<String> value = Arbitraries.recursive(() -> scalar, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"),
                Combinators.combine(Arbitraries.of(names), inner).as((n, v) -> "{" + quote(n) + ":" + v + "}")), 3);
        Arbitrary<String> member = Combinators.combine(Arbitraries.of(names), value).as((n, v) -> quote(n) + ":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(8).map(m -> "{" + String.join(",", m) + "}");
        return Combinators.combine(object, Arbitraries.integers().between(0, 100)).as((json, cut) ->
                cut < 80 ? json : json.substring(0, json.length() * (cut - 80) / 20));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(10),
                        Arbitraries.of("exchange", "postfix", "auto", "", "iis", "|")).as((h, k) -> h + "|" + k));
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
