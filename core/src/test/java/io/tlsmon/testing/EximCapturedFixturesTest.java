package io.tlsmon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the lines RealEximIT captured from a real Exim through the offline pipeline, without Exim:
 * each file must give exactly the attempts its expected.tsv rows name.
 */
class EximCapturedFixturesTest {
    private static final Path DIR = CapturedFixtures.resourceDir("/fixtures/exim-captured");

    @TestFactory
    Stream<DynamicTest> everyCapturedFileIsClassifiedAsExpected() {
        Map<String, List<ExpectedAttempt>> expected = CapturedFixtures.expected(DIR);
        return expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () ->
                CapturedFixtures.assertClassifies(e.getKey(), CapturedFixtures.logLines(DIR.resolve(e.getKey())), e.getValue())));
    }

    @Test
    void everyCapturedFileSaysWhereItCameFromAndHasRealLines() throws IOException {
        List<Path> logs = CapturedFixtures.assertEachIsHeadedAndReal(DIR, "Exim", "GnuTLS",
                "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\[\\d+\\] .+");
        assertThat(logs).hasSameSizeAs(EximScenarios.all());
    }

    @Test
    void scenariosAndFixturesAgree() {
        Map<String, List<ExpectedAttempt>> expected = CapturedFixtures.expected(DIR);
        for (EximScenario scenario : EximScenarios.all()) {
            assertThat(expected.get(scenario.fileName())).as(scenario.name()).isEqualTo(scenario.expected());
        }
    }
}
