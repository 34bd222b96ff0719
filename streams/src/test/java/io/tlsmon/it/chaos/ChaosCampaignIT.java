package io.tlsmon.it.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault campaign of issue 8 in {@code mvn verify}: by default one short run (three single kills,
 * one of each kind; a Streams instance killed and its state dir deleted; a pause past the session
 * timeout; two processes killed at once), a new seed each time, printed so that a failure can be run
 * again. {@code -Dchaos.runs=20 -Dchaos.seed=N} (or {@code benchmarks/chaos.sh}) is the long mode.
 * The report goes to {@code target/chaos/chaos.md}, each run's process logs beside it.
 */
class ChaosCampaignIT {
    @Test
    void everyLineAttemptAndAlertArrivesExactlyOnceThroughKillsPausesAndWipedState() throws Exception {
        ChaosCampaign.Options o = ChaosCampaign.Options.defaults();
        for (String flag : List.of("runs", "seed", "singles", "doubles", "pauses", "wipes", "rate")) {
            String v = System.getProperty("chaos." + flag);
            if (v != null && !v.isBlank()) {
                o = o.with("--" + flag, v);
            }
        }
        o = o.with("--command", "mvn -B verify (ChaosCampaignIT), seed " + o.seed());
        List<ChaosRun.Result> results = ChaosCampaign.run(o);
        String report = Files.readString(o.report());
        System.out.println(report);

        assertThat(results).hasSize(o.runs());
        for (ChaosRun.Result r : results) {
            String run = "run with seed " + r.plan().seed() + " (again: -Dchaos.seed=" + r.plan().seed() + "; logs in "
                    + r.dir().toAbsolutePath() + ")";
            assertThat(r.faultLog()).as("faults injected in the %s", run)
                    .hasSize(o.singles() + o.wipes() + o.pauses() + o.doubles());
            assertThat(r.killsByKind()).as("every kind of process killed in the %s", run).containsKeys(Child.Kind.values());
            assertThat(r.lines().lost()).as("lines lost in the %s", run).isZero();
            assertThat(r.lines().duplicated()).as("lines duplicated in the %s", run).isZero();
            assertThat(r.attempts().lost()).as("attempts lost in the %s", run).isZero();
            assertThat(r.attempts().duplicated()).as("attempts duplicated in the %s", run).isZero();
            assertThat(r.alerts().lost()).as("alerts lost in the %s", run).isZero();
            assertThat(r.alerts().duplicated()).as("alerts duplicated in the %s", run).isZero();
            assertThat(r.deadLetters().exact()).as("dead letters as the reference's in the %s", run).isTrue();
            assertThat(r.alertsInOrder()).as("alerts in the reference's order in the %s", run).isTrue();
            assertThat(r.attemptsInOrder()).as("attempts in the reference's order in the %s", run).isTrue();
            // the comparison means something only if the run had work in it
            assertThat(r.attempts().expected()).as("attempts in the %s", run).isGreaterThan(500);
            assertThat(r.alerts().expected()).as("alerts in the %s", run).isGreaterThan(20);
        }
        assertThat(Path.of("target", "chaos")).isDirectory();
    }
}
