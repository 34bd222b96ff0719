package io.tlsmon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs real Sendmail daemons on loopback, provokes every {@link SendmailScenarios} outcome and
 * checks the syslog lines Sendmail wrote. Skipped where the private Sendmail is not installed
 * ({@code .ci/install-sendmail.sh}) or where we are not root.
 *
 * <p>With {@code -Dtlsmon.capture.dir=DIR} it also writes each scenario's lines to
 * {@code DIR/<scenario>.log} and the expected classifications to {@code DIR/expected.tsv}: that is
 * how {@code core/src/test/resources/fixtures/sendmail-captured/} was made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealSendmailIT {
    private RealSendmail sendmail;
    private final List<String> expectedRows = new ArrayList<>();

    @BeforeAll
    void startSendmail() {
        assumeTrue(RealSendmail.available(),
                "needs Sendmail unpacked in " + RealSendmail.ROOT + ", rsyslogd, m4 and openssl "
                        + "(.ci/install-sendmail.sh) and root");
        sendmail = RealSendmail.start();
    }

    @AfterAll
    void stopSendmail() throws IOException {
        if (sendmail == null) {
            return;
        }
        try {
            CapturedFixtures.writeExpected(expectedRows);
        } finally {
            sendmail.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> eachScenarioLogsItsEvidence() {
        return SendmailScenarios.all().stream().map(scenario -> DynamicTest.dynamicTest(
                scenario.name() + ": " + scenario.description(), () -> runAndCheck(scenario)));
    }

    private void runAndCheck(SendmailScenario scenario) throws IOException {
        List<String> lines = scenario.run(sendmail);
        String log = String.join("\n", lines);
        // capture first: a failing scenario's lines are what one needs to see
        Path captureDir = CapturedFixtures.captureDir();
        if (captureDir != null) {
            capture(captureDir, scenario, lines);
        }

        for (String evidence : scenario.evidence()) {
            assertThat(log).as("log of %s", scenario.name()).contains(evidence);
        }
        for (ExpectedAttempt attempt : scenario.expected()) {
            if (attempt.tlsVersion() != null) {
                assertThat(log).contains(", version=" + attempt.tlsVersion() + ",");
            }
            if (attempt.error() != null) {
                assertThat(log).contains(attempt.error());
            }
        }
        List<io.tlsmon.avro.NegotiationAttempt> attempts = SendmailCapturedFixturesTest.attemptsOf(lines);
        assertThat(attempts).as("attempts of %s in\n%s", scenario.name(), log).hasSameSizeAs(scenario.expected());
        for (ExpectedAttempt e : scenario.expected()) {
            assertThat(attempts).as("%s has %s", scenario.name(), e).anySatisfy(a -> {
                assertThat(a.getSourceKind()).isEqualTo(e.sourceKind());
                assertThat(a.getOutcome().name()).isEqualTo(e.outcome());
                assertThat(a.getTlsVersion()).isEqualTo(e.tlsVersion());
                if (e.error() != null) {
                    assertThat(a.getError()).contains(e.error());
                }
            });
        }
    }

    private void capture(Path dir, SendmailScenario scenario, List<String> lines) throws IOException {
        Files.createDirectories(dir);
        List<String> content = new ArrayList<>();
        content.add("# captured from a real Sendmail " + sendmail.sendmailVersion() + " with OpenSSL "
                + RealSendmail.opensslVersion() + " on " + LocalDate.now(ZoneOffset.UTC)
                + " by RealSendmail (this repository), scenario " + scenario.name() + ": "
                + scenario.description());
        content.addAll(lines);
        Files.write(dir.resolve(scenario.fileName()), content, StandardCharsets.UTF_8);
        for (ExpectedAttempt attempt : scenario.expected()) {
            expectedRows.add(attempt.tsvRow(scenario.fileName()));
        }
    }

}
