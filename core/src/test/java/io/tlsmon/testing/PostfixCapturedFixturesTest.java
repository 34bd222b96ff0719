package io.tlsmon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the captured Postfix fixtures and their expected.tsv honest without needing Postfix:
 * every row names an existing file, a taxonomy outcome and evidence that is really in that file.
 */
class PostfixCapturedFixturesTest {
    private static final Set<String> OUTCOMES = Set.of("OK", "DEPRECATED_PROTOCOL", "PROTOCOL_VERSION_REJECTED",
            "NO_SHARED_CIPHER", "CERTIFICATE_UNTRUSTED", "CERTIFICATE_EXPIRED", "CERTIFICATE_NAME_MISMATCH",
            "LOCAL_CERTIFICATE_UNUSABLE", "STARTTLS_REQUIRED", "STARTTLS_NOT_OFFERED", "CONNECTION_DROPPED",
            "HANDSHAKE_TIMEOUT", "WRONG_PORT_OR_PROTOCOL", "POLICY_FAILURE", "OTHER_TLS_ERROR");
    private static final Set<String> VERSIONS = Set.of("-", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private static Path dir() throws URISyntaxException {
        return Paths.get(PostfixCapturedFixturesTest.class.getResource("/fixtures/postfix-captured").toURI());
    }

    private static List<String[]> rows() throws IOException, URISyntaxException {
        return Files.readAllLines(dir().resolve("expected.tsv"), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("\t", -1))
                .collect(Collectors.toList());
    }

    @Test
    void everyRowIsGroundedInItsCapturedFile() throws Exception {
        List<String[]> rows = rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(20);
        for (String[] row : rows) {
            assertThat(row).as("columns of %s", String.join("|", row)).hasSize(7);
            Path file = dir().resolve(row[0]);
            assertThat(file).exists();
            String log = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(row[1]).isIn("postfix-smtpd", "postfix-smtp");
            assertThat(row[2]).isEqualTo(row[1].equals("postfix-smtp") ? "outbound" : "inbound");
            assertThat(row[3]).isIn(OUTCOMES);
            assertThat(row[4].equals("-") || OUTCOMES.contains(row[4])).isTrue();
            assertThat(row[5]).isIn(VERSIONS);
            if (!row[5].equals("-")) {
                assertThat(log).contains(": " + row[5] + " with cipher");
            }
            if (!row[6].equals("-")) {
                assertThat(log).contains(row[6]);
            }
            String program = row[1].equals("postfix-smtp") ? "/smtp[" : "/smtpd[";
            assertThat(log).contains(program);
        }
    }

    @Test
    void everyCapturedFileSaysWhereItCameFromAndHasRealLines() throws Exception {
        List<Path> logs = CapturedFixtures.assertEachIsHeadedAndReal(dir(), "Postfix", "OpenSSL",
                "[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d \\S+ postfix\\S*\\[\\d+\\]: .+");
        assertThat(logs).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void scenariosAndFixturesAgree() throws Exception {
        Set<String> files = rows().stream().map(r -> r[0]).collect(Collectors.toSet());
        for (PostfixScenario scenario : PostfixScenarios.all()) {
            assertThat(dir().resolve(scenario.fileName())).exists();
            assertThat(files.contains(scenario.fileName())).as(scenario.name()).isEqualTo(!scenario.expected().isEmpty());
        }
    }
}
