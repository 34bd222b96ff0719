package io.tlsmon.logs.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every composed fixture parses cleanly, and what it parses to agrees with expected.tsv. */
class ExchangeFixturesTest {

    static Stream<Path> logFiles() {
        return ExchangeFixtures.logFiles().stream();
    }

    @Test
    void the_fixture_set_is_there() {
        assertThat(ExchangeFixtures.logFiles()).extracting(p -> p.getFileName().toString()).contains(
                "RECV2025030110-1.LOG", "RECV2025030111-1.LOG", "RECV2025030111-2.LOG", "RECV20140601-1.LOG",
                "SEND2025030110-1.LOG", "SEND2025030112-1.LOG", "SEND2025030209-1.LOG");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logFiles")
    void every_line_is_a_line_or_ignored_never_an_error(Path file) {
        List<String> lines = ExchangeFixtures.rawLines(file);
        assertThat(lines.get(0).replace("\uFEFF", "").replace("\r", "")).isEqualTo(ExchangeFixtures.COMPOSED);
        List<ParseResult> results = ExchangeFixtures.parse(List.of(file));
        for (int i = 0; i < results.size(); i++) {
            ParseResult r = results.get(i);
            assertThat(r.isError()).as("%s:%d %s -> %s", file.getFileName(), i + 1, lines.get(i), r).isFalse();
            if (lines.get(i).replace("\uFEFF", "").startsWith("#")) {
                assertThat(r.isIgnored()).as("header line %d", i + 1).isTrue();
            }
            if (r.isLine()) {
                assertThat(r.line().lineNumber()).isEqualTo(i + 1);
                assertThat(r.line().source()).isEqualTo(file.getFileName().toString());
                assertThat(r.line().kind()).isEqualTo(file.getFileName().toString().startsWith("RECV")
                        ? SourceKind.EXCHANGE_RECEIVE : SourceKind.EXCHANGE_SEND);
            }
        }
        assertThat(results).anyMatch(ParseResult::isLine);
    }

    /** Expected rows per stream (a #group of files is one stream), in file order. */
    record Stream_(List<Path> files, List<String[]> rows) {
    }

    static List<Stream_> expectedStreams() throws IOException {
        Path folder = ExchangeFixtures.folder();
        Map<String, Stream_> byFirstFile = new LinkedHashMap<>();
        Map<String, List<Path>> groups = new LinkedHashMap<>();
        for (String row : Files.readAllLines(folder.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
            if (row.startsWith("#group ")) {
                String[] names = row.substring(7).trim().split(" ");
                groups.put(names[0], Stream.of(names).map(folder::resolve).toList());
                continue;
            }
            String[] cols = row.split("\t", -1);
            assertThat(cols).as(row).hasSize(6);
            byFirstFile.computeIfAbsent(cols[0], f -> new Stream_(groups.getOrDefault(f, List.of(folder.resolve(f))),
                    new ArrayList<>())).rows().add(cols);
        }
        return new ArrayList<>(byFirstFile.values());
    }

    @Test
    void expected_rows_name_existing_files_kinds_and_outcomes() throws IOException {
        List<String> outcomes = List.of("OK", "DEPRECATED_PROTOCOL", "PROTOCOL_VERSION_REJECTED", "NO_SHARED_CIPHER",
                "CERTIFICATE_UNTRUSTED", "CERTIFICATE_EXPIRED", "CERTIFICATE_NAME_MISMATCH", "LOCAL_CERTIFICATE_UNUSABLE",
                "STARTTLS_REQUIRED", "STARTTLS_NOT_OFFERED", "CONNECTION_DROPPED", "HANDSHAKE_TIMEOUT",
                "WRONG_PORT_OR_PROTOCOL", "POLICY_FAILURE", "OTHER_TLS_ERROR");
        List<String> seen = new ArrayList<>();
        for (Stream_ s : expectedStreams()) {
            s.files().forEach(f -> assertThat(f).exists());
            for (String[] row : s.rows()) {
                assertThat(row[1]).isIn("exchange-receive", "exchange-send");
                assertThat(row[2]).isIn(outcomes);
                assertThat(row[3]).isIn("-", "PROTOCOL_VERSION_REJECTED");
                seen.add(row[2] + "/" + row[1]);
            }
        }
        // every outcome an Exchange log can express is covered
        assertThat(seen).contains("OK/exchange-receive", "OK/exchange-send", "DEPRECATED_PROTOCOL/exchange-receive",
                "DEPRECATED_PROTOCOL/exchange-send", "NO_SHARED_CIPHER/exchange-receive",
                "CERTIFICATE_UNTRUSTED/exchange-send", "CERTIFICATE_EXPIRED/exchange-send",
                "CERTIFICATE_NAME_MISMATCH/exchange-send", "LOCAL_CERTIFICATE_UNUSABLE/exchange-receive",
                "LOCAL_CERTIFICATE_UNUSABLE/exchange-send", "STARTTLS_REQUIRED/exchange-receive",
                "STARTTLS_REQUIRED/exchange-send", "STARTTLS_NOT_OFFERED/exchange-send",
                "CONNECTION_DROPPED/exchange-receive", "CONNECTION_DROPPED/exchange-send",
                "HANDSHAKE_TIMEOUT/exchange-receive", "OTHER_TLS_ERROR/exchange-receive");
    }

    /**
     * The parser sees in each stream exactly the TLS results the expected rows claim: one success line
     * per negotiated version, one failure line per error name, one 5.7.3 reply per STARTTLS_REQUIRED.
     */
    @Test
    void parsed_tls_results_agree_with_expected_rows() throws IOException {
        for (Stream_ s : expectedStreams()) {
            List<ParsedLine> lines = ExchangeFixtures.parse(s.files()).stream()
                    .filter(ParseResult::isLine).map(ParseResult::line).toList();
            String name = s.files().get(0).getFileName().toString();
            assertThat(lines.stream().filter(l -> l.event() == LineEvent.TLS_ESTABLISHED).map(ParsedLine::tlsVersion))
                    .as(name + " versions")
                    .containsExactlyInAnyOrderElementsOf(s.rows().stream().map(r -> r[4]).filter(v -> !v.equals("-")).toList());
            assertThat(lines.stream().filter(l -> l.event() == LineEvent.TLS_FAILED).map(ParsedLine::error))
                    .as(name + " failures")
                    .containsExactlyInAnyOrderElementsOf(s.rows().stream().map(r -> r[5])
                            .filter(e -> !e.equals("-") && !e.startsWith("Remote(") && !e.contains(" ")).toList());
            assertThat(lines.stream().filter(l -> l.event() == LineEvent.STARTTLS_REQUIRED).count())
                    .as(name + " STARTTLS required")
                    .isEqualTo(s.rows().stream().filter(r -> r[2].equals("STARTTLS_REQUIRED")).count());
        }
    }

    @Test
    void the_rotated_session_has_its_starttls_in_the_first_file_and_its_result_in_the_second() {
        Path folder = ExchangeFixtures.folder();
        List<ParsedLine> first = ExchangeFixtures.parse(List.of(folder.resolve("RECV2025030111-1.LOG"))).stream()
                .filter(ParseResult::isLine).map(ParseResult::line).filter(l -> l.sessionId().equals("08DD58A1B2C31002")).toList();
        List<ParsedLine> second = ExchangeFixtures.parse(List.of(folder.resolve("RECV2025030111-2.LOG"))).stream()
                .filter(ParseResult::isLine).map(ParseResult::line).filter(l -> l.sessionId().equals("08DD58A1B2C31002")).toList();
        assertThat(first).extracting(ParsedLine::event).contains(LineEvent.STARTTLS, LineEvent.STARTTLS_READY)
                .doesNotContain(LineEvent.TLS_ESTABLISHED);
        assertThat(second).extracting(ParsedLine::event).contains(LineEvent.TLS_ESTABLISHED);
        assertThat(second.get(0).sequence()).isGreaterThan(first.get(first.size() - 1).sequence());
    }

    @Test
    void the_quirk_fixtures_still_hold_their_quirks() throws IOException {
        Path folder = ExchangeFixtures.folder();
        byte[] old = Files.readAllBytes(folder.resolve("RECV20140601-1.LOG"));
        assertThat(old).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(new String(old, StandardCharsets.UTF_8)).contains("\r\n").contains("#Version: 14.0.0.0");
        List<ParsedLine> old2010 = lines("RECV20140601-1.LOG");
        assertThat(old2010).filteredOn(l -> l.event() == LineEvent.TLS_ESTABLISHED).extracting(ParsedLine::cipher)
                .containsExactly("CALG_AES_128", "CALG_RC4");

        assertThat(lines("SEND2025030209-1.LOG")).extracting(ParsedLine::connector).containsOnly("组织内 SMTP 发送连接器");
        assertThat(Files.readString(folder.resolve("SEND2025030209-1.LOG"), StandardCharsets.UTF_8)).contains("\r\n");

        assertThat(lines("RECV2025030110-1.LOG")).anyMatch(l -> "2001:db8:99::7".equals(l.remoteIp()) && l.remotePort() == 50123);
        assertThat(lines("SEND2025030110-1.LOG")).anyMatch(l -> "2001:db8:40::25".equals(l.remoteIp()) && l.remotePort() == 25);

        List<String> sendRaw = ExchangeFixtures.rawLines(folder.resolve("SEND2025030110-1.LOG"));
        assertThat(sendRaw).anyMatch(l -> l.contains(",,198.51.100.10:25,*,,attempting to connect"));

        assertThat(lines("SEND2025030112-1.LOG")).filteredOn(l -> l.event() == LineEvent.GREETING)
                .extracting(ParsedLine::remoteHost).contains("AM4PEPF00027A5F.mail.protection.outlook.com", "mail.northwind.example");
        assertThat(lines("SEND2025030112-1.LOG")).filteredOn(l -> l.event() == LineEvent.TLS_ESTABLISHED)
                .extracting(ParsedLine::detail).containsExactly("SP_PROT_TLS1_0_CLIENT");
        assertThat(lines("SEND2025030110-1.LOG")).filteredOn(l -> l.event() == LineEvent.CAPABILITIES)
                .anyMatch(l -> !l.starttlsOffered());

        // the doubled-quote MAIL FROM is a MAIL_FROM line
        assertThat(ExchangeFixtures.rawLines(folder.resolve("RECV2025030110-1.LOG"))).anyMatch(l -> l.contains("\"\"scan,dept\"\""));
    }

    private static List<ParsedLine> lines(String file) {
        return ExchangeFixtures.parse(List.of(ExchangeFixtures.folder().resolve(file))).stream()
                .filter(ParseResult::isLine).map(ParseResult::line).toList();
    }
}
