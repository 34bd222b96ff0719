package io.tlsmon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the lines captured from a real Sendmail ({@code fixtures/sendmail-captured/}, written by
 * {@link RealSendmailIT}) through the pure pipeline, without Sendmail: each file must give exactly
 * the attempts its rows of expected.tsv name, and every row must be grounded in its file.
 */
class SendmailCapturedFixturesTest {
    private static final Set<String> VERSIONS = Set.of("-", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private static Path dir() throws URISyntaxException {
        return Paths.get(SendmailCapturedFixturesTest.class.getResource("/fixtures/sendmail-captured").toURI());
    }

    /** The attempts the pure pipeline finds in {@code lines}, read as one syslog file. */
    static List<NegotiationAttempt> attemptsOf(List<String> lines) {
        return CapturedFixtures.attempts(lines);
    }

    @TestFactory
    Stream<DynamicTest> everyCapturedFileIsClassifiedAsExpected() throws URISyntaxException {
        Map<String, List<ExpectedAttempt>> expected = CapturedFixtures.expected(dir());
        assertThat(expected).hasSizeGreaterThanOrEqualTo(20);
        Path dir = dir();
        return expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () ->
                CapturedFixtures.assertClassifies(e.getKey(), CapturedFixtures.logLines(dir.resolve(e.getKey())), e.getValue())));
    }

    @Test
    void everyRowIsGroundedInItsCapturedFile() throws Exception {
        for (Map.Entry<String, List<ExpectedAttempt>> file : CapturedFixtures.expected(dir()).entrySet()) {
            String log = Files.readString(dir().resolve(file.getKey()), StandardCharsets.UTF_8);
            for (ExpectedAttempt row : file.getValue()) {
                assertThat(row.sourceKind()).isEqualTo("sendmail");
                assertThat(Outcome.valueOf(row.outcome())).isNotNull();
                if (row.tlsVersion() != null) {
                    assertThat(VERSIONS).contains(row.tlsVersion());
                    assertThat(log).contains(", version=" + row.tlsVersion() + ",");
                }
                if (row.error() != null) {
                    assertThat(log).contains(row.error());
                }
            }
        }
    }

    @Test
    void everyCapturedFileSaysWhereItCameFromAndHasRealLines() throws Exception {
        List<Path> logs = CapturedFixtures.assertEachIsHeadedAndReal(dir(), "Sendmail", "OpenSSL",
                "[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d \\S+ sm-mta\\[\\d+\\]: .+");
        assertThat(logs).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void scenariosAndFixturesAgree() throws Exception {
        Map<String, List<ExpectedAttempt>> expected = CapturedFixtures.expected(dir());
        for (SendmailScenario scenario : SendmailScenarios.all()) {
            assertThat(dir().resolve(scenario.fileName())).exists();
            assertThat(expected.get(scenario.fileName())).as(scenario.name()).isEqualTo(scenario.expected());
        }
    }
}
