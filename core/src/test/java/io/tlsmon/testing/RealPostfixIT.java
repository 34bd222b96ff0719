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
 * Runs a real Postfix on loopback, provokes every {@link PostfixScenarios} outcome and checks the
 * log Postfix wrote. Skipped where Postfix is not installed ({@code .ci/install-postfix.sh}) or
 * where we are not root.
 *
 * <p>With {@code -Dtlsmon.capture.dir=DIR} it also writes each scenario's lines to
 * {@code DIR/<scenario>.log} and the expected classifications to {@code DIR/expected.tsv}: that is
 * how {@code core/src/test/resources/fixtures/postfix-captured/} was made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealPostfixIT {
    static final String CAPTURE_DIR_PROPERTY = "tlsmon.capture.dir";

    private RealPostfix postfix;
    private final List<String> expectedRows = new ArrayList<>();

    @BeforeAll
    void startPostfix() {
        assumeTrue(RealPostfix.available(),
                "needs /usr/sbin/postfix and /usr/bin/openssl (.ci/install-postfix.sh) and root");
        postfix = RealPostfix.start();
    }

    @AfterAll
    void stopPostfix() throws IOException {
        if (postfix == null) {
            return;
        }
        try {
            CapturedFixtures.writeExpected(expectedRows);
        } finally {
            postfix.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> eachScenarioLogsItsEvidence() {
        return PostfixScenarios.all().stream().map(scenario -> DynamicTest.dynamicTest(
                scenario.name() + ": " + scenario.description(), () -> runAndCheck(scenario)));
    }

    private void runAndCheck(PostfixScenario scenario) throws IOException {
        List<String> lines = scenario.run(postfix);
        String log = String.join("\n", lines);

        for (String evidence : scenario.evidence()) {
            assertThat(log).as("log of %s", scenario.name()).contains(evidence);
        }
        // Every expected row must be grounded in what Postfix really wrote.
        for (ExpectedAttempt attempt : scenario.expected()) {
            if (attempt.tlsVersion() != null) {
                assertThat(log).contains(": " + attempt.tlsVersion() + " with cipher");
            }
            if (attempt.error() != null) {
                assertThat(log).contains(attempt.error());
            }
        }
        // And the whole pure pipeline classifies what Postfix really wrote as the scenario expects.
        CapturedFixtures.assertClassifies(scenario.name(), lines, scenario.expected());

        Path captureDir = CapturedFixtures.captureDir();
        if (captureDir != null) {
            capture(captureDir, scenario, lines);
        }
    }

    private void capture(Path dir, PostfixScenario scenario, List<String> lines) throws IOException {
        Files.createDirectories(dir);
        List<String> content = new ArrayList<>();
        content.add("# captured from a real Postfix " + postfix.postfixVersion() + " with OpenSSL "
                + RealPostfix.opensslVersion() + " on " + LocalDate.now(ZoneOffset.UTC)
                + " by RealPostfix (this repository), scenario " + scenario.name() + ": "
                + scenario.description());
        content.addAll(lines);
        Files.write(dir.resolve(scenario.fileName()), content, StandardCharsets.UTF_8);
        for (ExpectedAttempt attempt : scenario.expected()) {
            expectedRows.add(attempt.tsvRow(scenario.fileName()));
        }
    }

}
