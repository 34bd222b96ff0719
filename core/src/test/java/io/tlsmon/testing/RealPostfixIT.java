package io.tlsmon.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
            Path captureDir = captureDir();
            if (captureDir != null && expectedRows.size() > 0) {
                List<String> tsv = new ArrayList<>();
                tsv.add("# file\tsourceKind\toutcome\tprobableCause\ttlsVersion\terror");
                tsv.addAll(expectedRows);
                Files.write(captureDir.resolve("expected.tsv"), tsv, StandardCharsets.UTF_8);
            }
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
        // And the whole pure pipeline classifies what Postfix really wrote as the scenario expects
        // (errors are verbatim OpenSSL texts: the expected one is a distinctive part of it).
        List<io.tlsmon.avro.NegotiationAttempt> attempts = new ArrayList<>();
        try (io.tlsmon.pipeline.LogPipeline pipeline = new io.tlsmon.pipeline.LogPipeline(
                io.tlsmon.pipeline.LogPipeline.Options.defaults(), attempts::add);
             io.tlsmon.pipeline.LogPipeline.StreamReader stream = pipeline.openStream("maillog", System.currentTimeMillis())) {
            long n = 0;
            for (String line : lines) {
                stream.line(line, ++n);
            }
        }
        assertThat(attempts).as("attempts of %s", scenario.name()).hasSameSizeAs(scenario.expected());
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

        Path captureDir = captureDir();
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

    private static Path captureDir() {
        String dir = System.getProperty(CAPTURE_DIR_PROPERTY);
        return dir == null || dir.isBlank() ? null : Paths.get(dir);
    }
}
