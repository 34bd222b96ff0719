package io.tlsmon.logs.mta;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.Parsers;
import io.tlsmon.logs.StreamInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the parsers over the public samples in {@code ../shared/samples} (read in place, never
 * copied into the repository); skipped where that folder is absent. Lines the samples quote
 * without their syslog envelope get a synthetic one.
 */
class MtaSharedSamplesTest {
    private static final String ENVELOPE = "Mar  1 12:00:00 sample ";

    private static Path samples() {
        for (String candidate : new String[] {"../../shared/samples", "../shared/samples"}) {
            Path p = Paths.get(candidate);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> read(String name) throws IOException {
        Path dir = samples();
        assumeTrue(dir != null && Files.exists(dir.resolve(name)), "shared samples absent");
        return Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private record Outcome(List<ParsedLine> lines, List<String> errors) {
    }

    private static Outcome run(LogFormat format, List<String> lines) {
        LineParser parser = Parsers.forFormat(format, new StreamInfo(null, "sample", ZoneOffset.UTC, System.currentTimeMillis()));
        List<ParsedLine> parsed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ParseResult r = parser.parse(lines.get(i), i + 1);
            if (r.isLine()) {
                parsed.add(r.line());
            } else if (r.isError()) {
                assertThat(r.error()).isNotBlank();
                errors.add(lines.get(i) + " -> " + r.error());
            }
        }
        return new Outcome(parsed, errors);
    }

    /** Sample lines that quote {@code postfix/smtpd[pid]: ...} or {@code sendmail[pid]: ...} without a syslog prefix get one. */
    private static List<String> withEnvelope(List<String> lines) {
        return lines.stream().map(l -> l.startsWith("postfix/") || l.startsWith("sendmail[") || l.startsWith("sm-mta[") ? ENVELOPE + l : l)
                .toList();
    }

    @Test
    void postfixSamples() throws IOException {
        Outcome fail2ban = run(LogFormat.POSTFIX, read("fail2ban-postfix.log"));
        assertThat(fail2ban.errors()).isEmpty();
        assertThat(fail2ban.lines()).anyMatch(l -> "lost connection after STARTTLS".equals(l.error()));

        Outcome web = run(LogFormat.POSTFIX, withEnvelope(read("web-excerpts-postfix-tls.log")));
        assertThat(web.errors()).isEmpty();
        assertThat(web.lines()).anyMatch(l -> l.error() != null && l.error().contains("no shared cipher"));
        assertThat(web.lines()).anyMatch(l -> l.error() != null && l.error().contains("tlsv1 alert unknown ca"));
        assertThat(web.lines()).anyMatch(l -> "Cannot start TLS: handshake failure".equals(l.error()));
        assertThat(web.lines()).anyMatch(l -> l.event() == LineEvent.CAPABILITIES && l.starttlsOffered());
        assertThat(web.lines()).anyMatch(l -> l.event() == LineEvent.TLS_FAILED && "127.0.0.1".equals(l.remoteIp()) && l.remotePort() == 10025);
    }

    @Test
    void whyscreamMessagesWithASyntheticEnvelope() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String row : read("whyscream-postfix-tests.txt")) {
            if (row.startsWith("#")) {
                continue;
            }
            String[] c = row.split("\t", 3);
            if (c.length < 3) {
                continue;
            }
            String daemon = c[0].replace("test/", "").replaceAll("_\\d+\\.yaml$", "");
            daemon = switch (daemon) {
                case "tls_features" -> "smtp";
                case "command_counter_data" -> "smtpd";
                default -> daemon;
            };
            lines.add(ENVELOPE + "postfix/" + daemon + "[4242]: " + c[2]);
        }
        Outcome o = run(LogFormat.POSTFIX, lines);
        assertThat(o.errors()).isEmpty();
        List<ParsedLine> established = o.lines().stream().filter(l -> l.event() == LineEvent.TLS_ESTABLISHED).toList();
        assertThat(established).hasSizeGreaterThanOrEqualTo(8).allSatisfy(l -> {
            assertThat(l.tlsVersion()).isIn("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
            assertThat(l.cipher()).isNotBlank();
            assertThat(l.remoteIp()).isNotBlank();
        });
        assertThat(o.lines()).filteredOn(l -> l.event() == LineEvent.TLS_FAILED).extracting(ParsedLine::error)
                .contains("lost connection", "Connection timed out", "-1", "0", "lost connection after STARTTLS");
        assertThat(o.lines()).filteredOn(l -> l.event() == LineEvent.DELIVERY).extracting(ParsedLine::detail)
                .anyMatch(d -> d != null && d.contains("tls=may:none"));
        assertThat(o.lines()).filteredOn(l -> l.event() == LineEvent.DISCONNECT).extracting(ParsedLine::detail)
                .anyMatch(d -> d != null && d.contains("starttls=1"));
    }

    @Test
    void sendmailSamples() throws IOException {
        Outcome reject = run(LogFormat.SENDMAIL, read("fail2ban-sendmail-reject.log"));
        Outcome auth = run(LogFormat.SENDMAIL, read("fail2ban-sendmail-auth.log"));
        assertThat(reject.errors()).isEmpty();
        assertThat(auth.errors()).isEmpty();
        assertThat(reject.lines()).isEmpty();
        Outcome web = run(LogFormat.SENDMAIL, withEnvelope(read("web-excerpts-sendmail-tls.log")));
        assertThat(web.errors()).isEmpty();
        assertThat(web.lines()).filteredOn(l -> l.event() == LineEvent.TLS_ESTABLISHED).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(l -> {
                    assertThat(l.outbound()).isTrue();
                    assertThat(l.tlsVersion()).isNull();
                    assertThat(l.detail()).contains("verify=FAIL").contains("version=TLSv1/SSLv3");
                });
    }

    @Test
    void eximSamples() throws IOException {
        Outcome exim = run(LogFormat.EXIM, read("fail2ban-exim.log"));
        assertThat(exim.errors()).isEmpty();
        assertThat(exim.lines()).singleElement().satisfies(l -> {
            assertThat(l.event()).isEqualTo(LineEvent.TLS_FAILED);
            assertThat(l.error()).isEqualTo("client gave up after STARTTLS");
            assertThat(l.remoteIp()).isEqualTo("49.212.207.15");
        });
        Outcome spam = run(LogFormat.EXIM, read("fail2ban-exim-spam.log"));
        assertThat(spam.errors()).isEmpty();
    }
}
