package io.tlsmon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TlsRptCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The logs {@code tlsmon demo} ships, as files. */
    static Path demoLogs(Path dir) throws IOException {
        for (String name : List.of("RECV2025030308-1.LOG", "SEND2025030308-1.LOG", "mx2-mail.log")) {
            try (InputStream in = TlsRptCommandTest.class.getResourceAsStream("/demo/" + name)) {
                Path sub = dir.resolve(name.endsWith(".log") ? "postfix" : name.startsWith("RECV") ? "SmtpReceive" : "SmtpSend");
                Files.createDirectories(sub);
                Files.copy(in, sub.resolve(name));
            }
        }
        return dir;
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new CommandLine(new TlsRptCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesOneRfc8460FilePerPolicyDomainOfTheDay(@TempDir Path dir) throws IOException {
        Path logs = demoLogs(dir.resolve("logs"));
        Path out = dir.resolve("reports");
        Run r = run("--date", "2025-03-03", "--organization", "Contoso Ltd", "--contact", "tlsrpt@contoso.example",
                "--out", out.toString(), logs.toString());
        assertThat(r.status()).as(r.err()).isZero();
        List<Path> files;
        try (Stream<Path> s = Files.list(out)) {
            files = s.sorted().toList();
        }
        assertThat(files).isNotEmpty();
        long begin = Instant.parse("2025-03-03T00:00:00Z").getEpochSecond();
        for (Path f : files) {
            String name = f.getFileName().toString();
            assertThat(name).matches("contoso\\.example![a-z0-9.-]+!" + begin + "!" + (begin + 86399) + "\\.json");
            JsonNode report = JSON.readTree(f.toFile());
            assertThat(name.split("!")[1]).isEqualTo(report.path("policies").get(0).path("policy").path("policy-domain").asText());
            assertThat(report.path("organization-name").asText()).isEqualTo("Contoso Ltd");
            assertThat(r.out()).contains(f.toString());
        }
        assertThat(files).extracting(f -> f.getFileName().toString().split("!")[1]).doesNotHaveDuplicates();
        assertThat(r.err()).contains("reports for 2025-03-03");
    }

    @Test
    void anotherDayOrDomainWritesNothing(@TempDir Path dir) throws IOException {
        Path logs = demoLogs(dir.resolve("logs"));
        Run other = run("--date", "2025-03-04", "--out", dir.resolve("a").toString(), logs.toString());
        assertThat(other.status()).isZero();
        assertThat(other.out()).isEmpty();
        Run none = run("--date", "2025-03-03", "--domain", "nowhere.example", "--out", dir.resolve("b").toString(), logs.toString());
        assertThat(none.out()).isEmpty();
        Run one = run("--date", "2025-03-03", "--domain", "Partner.Example.", "--out", dir.resolve("c").toString(), logs.toString());
        assertThat(one.out().lines()).singleElement().asString().contains("!partner.example!");
    }

    @Test
    void aMissingDateIsBadUsage() {
        assertThat(run("some.log").status()).isEqualTo(2);
        assertThat(run("--date", "2025-13-01", "some.log").status()).isEqualTo(2);
    }
}
