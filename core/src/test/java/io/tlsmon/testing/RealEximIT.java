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
 * Runs a real Exim on loopback, provokes every {@link EximScenarios} outcome in both directions and
 * checks the mainlog Exim wrote and what the pipeline makes of it. Skipped where the unpacked Exim
 * ({@code .ci/install-exim.sh}) or the clients are missing, or where we are not root.
 *
 * <p>With {@code -Dtlsmon.capture.dir=DIR} it also writes each scenario's lines to
 * {@code DIR/<scenario>.log} and the expected classifications to {@code DIR/expected.tsv}: that is
 * how {@code core/src/test/resources/fixtures/exim-captured/} was made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealEximIT {
    private RealExim exim;
    private final List<String> expectedRows = new ArrayList<>();

    @BeforeAll
    void startExim() {
        assumeTrue(RealExim.available(), "needs Exim unpacked in " + RealExim.ROOT
                + ", gnutls-cli, openssl and swaks (.ci/install-exim.sh) and root");
        exim = RealExim.start();
    }

    @AfterAll
    void stopExim() throws IOException {
        if (exim == null) {
            return;
        }
        try {
            CapturedFixtures.writeExpected(expectedRows);
        } finally {
            exim.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioIsLoggedAndClassified() {
        return EximScenarios.all().stream().map(scenario -> DynamicTest.dynamicTest(
                scenario.name() + ": " + scenario.description(), () -> runAndCheck(scenario)));
    }

    private void runAndCheck(EximScenario scenario) throws IOException {
        List<String> lines = scenario.run(exim);
        String log = String.join("\n", lines);
        for (String evidence : scenario.evidence()) {
            assertThat(log).as("log of %s", scenario.name()).contains(evidence);
        }
        // Every expected row must be grounded in what Exim really wrote.
        for (ExpectedAttempt attempt : scenario.expected()) {
            if (attempt.tlsVersion() != null) {
                assertThat(log).contains(" X=" + attempt.tlsVersion().replace("TLSv1", "TLS1.0")
                        .replace("TLS1.0.", "TLS1.") + ":");
            }
            if (attempt.error() != null) {
                assertThat(log).contains(attempt.error());
            }
        }
        Path captureDir = CapturedFixtures.captureDir();
        if (captureDir != null) {
            capture(captureDir, scenario, lines);
        }
        CapturedFixtures.assertClassifies(scenario.name(), lines, scenario.expected());
    }

    private void capture(Path dir, EximScenario scenario, List<String> lines) throws IOException {
        Files.createDirectories(dir);
        List<String> content = new ArrayList<>();
        content.add("# captured from a real Exim " + exim.eximVersion() + " with GnuTLS " + exim.gnutlsVersion()
                + " on " + LocalDate.now(ZoneOffset.UTC) + " by RealExim (this repository), scenario "
                + scenario.name() + ": " + scenario.description());
        content.addAll(lines);
        Files.write(dir.resolve(scenario.fileName()), content, StandardCharsets.UTF_8);
        for (ExpectedAttempt attempt : scenario.expected()) {
            expectedRows.add(attempt.tsvRow(scenario.fileName()));
        }
    }

}
