package io.tlsmon.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measure the fixtures cannot game: over what real MTAs wrote in the Real*IT scenarios
 * ({@code fixtures/*-captured}), the share of failed attempts tlsmon could only call
 * {@code OTHER_TLS_ERROR}. Counted from the engine's own answers, not from expected.tsv, and at
 * most 5 % for every MTA.
 */
class CapturedOtherShareTest {
    private static final double MAX_OTHER_SHARE = 0.05;

    @Test
    void atMostOneFailureInTwentyOfARealMtaIsLeftUnnamed() throws Exception {
        Path root = Path.of(CapturedOtherShareTest.class.getResource("/fixtures").toURI());
        Map<String, int[]> perMta = new TreeMap<>();
        List<String> unnamed = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().endsWith("-captured")).sorted().toList()) {
                OutcomeTableTest.Table table = OutcomeTableTest.Table.read(dir.resolve("expected.tsv"));
                int[] counts = perMta.computeIfAbsent(dir.getFileName().toString(), k -> new int[3]);
                for (String file : table.expected().keySet()) {
                    for (String row : OutcomeTableTest.classify(dir, table.groups().getOrDefault(file, List.of(file)))) {
                        String outcome = row.split("\t", -1)[1];
                        counts[0]++;
                        if (!outcome.equals("OK") && !outcome.equals("DEPRECATED_PROTOCOL")) {
                            counts[1]++;
                        }
                        if (outcome.equals("OTHER_TLS_ERROR")) {
                            counts[2]++;
                            unnamed.add(dir.getFileName() + "/" + file + ": " + row);
                        }
                    }
                }
            }
        }
        assertThat(perMta).as("captured runs").isNotEmpty();
        System.out.println("OTHER_TLS_ERROR among failed attempts of the captured runs (folder: attempts, failed, other, share):");
        perMta.forEach((mta, c) -> System.out.printf("  %s: %d, %d, %d, %.1f %%%n", mta, c[0], c[1], c[2], c[1] == 0 ? 0.0 : 100.0 * c[2] / c[1]));
        unnamed.forEach(u -> System.out.println("  unnamed: " + u));
        perMta.forEach((mta, c) -> {
            assertThat(c[1]).as("%s has failed attempts to measure", mta).isPositive();
            assertThat((double) c[2] / c[1]).as("OTHER_TLS_ERROR share of %s (%s)", mta, unnamed).isLessThanOrEqualTo(MAX_OTHER_SHARE);
        });
    }
}
