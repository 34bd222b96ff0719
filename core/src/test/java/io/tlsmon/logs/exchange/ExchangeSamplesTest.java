package io.tlsmon.logs.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import io.tlsmon.logs.StreamInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The published Exchange excerpts in ../shared/samples (read in place, never copied). Skipped when the
 * folder is absent. The officedocs and web-excerpt files hold lines mangled by their publishers
 * (markdown escapes, placeholders, typographic quotes, truncations): each must come back as an error
 * with a reason, never as an exception.
 */
class ExchangeSamplesTest {
    private static final Path SAMPLES = Path.of("../../shared/samples");

    private static List<ParseResult> parse(String name) {
        Path file = SAMPLES.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(file), "samples not present: " + file.toAbsolutePath());
        List<String> lines = ExchangeFixtures.rawLines(file);
        ExchangeLogParser parser = new ExchangeLogParser(StreamInfo.of(null, name));
        List<ParseResult> results = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            long number = i + 1;
            assertThatCode(() -> results.add(parser.parse(line, number))).as("%s:%d", name, number).doesNotThrowAnyException();
        }
        results.forEach(r -> {
            if (r.isError()) {
                assertThat(r.error()).isNotBlank();
            }
        });
        return results;
    }

    private static Set<Integer> errorLines(List<ParseResult> results) {
        return IntStream.range(0, results.size()).filter(i -> results.get(i).isError()).mapToObj(i -> i + 1)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<ParsedLine> kept(List<ParseResult> results) {
        return results.stream().filter(ParseResult::isLine).map(ParseResult::line).toList();
    }

    @Test
    void artefacts_receive_session_parses_without_errors() {
        List<ParseResult> results = parse("exchange-artefacts-help-smtpreceive.log");
        assertThat(errorLines(results)).isEmpty();
        List<ParsedLine> lines = kept(results);
        assertThat(lines).allMatch(l -> l.kind() == SourceKind.EXCHANGE_RECEIVE && "SERVER-HOSTNAME".equals(l.server()));
        assertThat(lines).extracting(ParsedLine::event).containsExactly(LineEvent.GREETING, LineEvent.EHLO,
                LineEvent.CAPABILITIES, LineEvent.STARTTLS, LineEvent.STARTTLS_READY, LineEvent.CERTIFICATE,
                LineEvent.TLS_ESTABLISHED, LineEvent.EHLO, LineEvent.CERTIFICATE, LineEvent.CERTIFICATE, LineEvent.CAPABILITIES);
        ParsedLine established = lines.get(6);
        assertThat(established.tlsVersion()).isEqualTo("TLSv1.2");
        assertThat(established.cipher()).isEqualTo("CALG_AES_128/CALG_SHA_256/CALG_ECDH_EPHEM");
        assertThat(lines.get(2).starttlsOffered()).isTrue();
        assertThat(lines.get(10).starttlsOffered()).isFalse();
    }

    @Test
    void officedocs_excerpts_with_markdown_escapes_and_placeholders_are_errors() {
        List<ParseResult> results = parse("exchange-officedocs-support.log");
        assertThat(errorLines(results)).containsExactly(3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 18, 20, 21, 22);
        assertThat(results.get(2).error()).startsWith("unknown event '\\*'");
        assertThat(results.get(9).error()).isEqualTo("bad date-time 'Date/Time.ConnectorId'");
        assertThat(results.get(19).error()).startsWith("too few fields: 1");
    }

    @Test
    void web_excerpts_with_typographic_quotes_and_truncations_are_errors() {
        List<ParseResult> results = parse("web-excerpts-exchange.log");
        assertThat(errorLines(results)).containsExactly(3, 4, 12, 14, 16, 18);
        assertThat(results.get(2).error()).isEqualTo("bad date-time '016-07-19T12:13:14.863Z'");
        assertThat(results.get(3).error()).startsWith("too many fields");
        assertThat(kept(results)).extracting(ParsedLine::event).containsExactly(LineEvent.EHLO, LineEvent.CAPABILITIES,
                LineEvent.STARTTLS, LineEvent.CAPABILITIES, LineEvent.STARTTLS, LineEvent.STARTTLS_READY);
        assertThat(kept(results)).allMatch(l -> l.kind() == SourceKind.EXCHANGE_SEND && l.remoteIp() == null);
    }

    @Test
    void elastic_lines_without_header_take_send_or_receive_from_the_connector() {
        List<ParseResult> results = parse("elastic-integrations-exchange.log");
        // lines 9-12 are message-tracking lines, another log format
        assertThat(errorLines(results)).containsExactly(9, 10, 11, 12);
        assertThat(results.get(1).isIgnored()).as("send-log Set Session Permissions").isTrue();
        List<ParsedLine> lines = kept(results);
        assertThat(lines).extracting(ParsedLine::event)
                .containsExactly(LineEvent.GREETING, LineEvent.CONNECT, LineEvent.EHLO, LineEvent.GREETING);
        assertThat(lines).allMatch(l -> l.kind() == SourceKind.EXCHANGE_RECEIVE && "NETBIOS".equals(l.server()));
        assertThat(lines.get(2).remoteHost()).isEqualTo("mgt.my.domain.tld");
    }
}
