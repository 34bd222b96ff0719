package io.tlsmon.testing;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every outbound attempt in the logs of the real Exim and Sendmail names its TLS-RPT policy domain
 * (the recipient's domain of its delivery line), as a report needs; inbound ones name none.
 */
class CapturedPolicyDomainsTest {
    private static Map<String, List<NegotiationAttempt>> attemptsByFile(String dir) throws IOException {
        Map<String, List<NegotiationAttempt>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(CapturedFixtures.resourceDir(dir))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                out.put(f.getFileName().toString(), CapturedFixtures.attempts(Files.readAllLines(f, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void everyOutboundAttemptOfTheRealEximAndSendmailNamesItsPolicyDomain() throws IOException {
        List<String> outbound = new ArrayList<>();
        for (String dir : List.of("/fixtures/exim-captured", "/fixtures/sendmail-captured")) {
            attemptsByFile(dir).forEach((file, attempts) -> attempts.forEach(a -> {
                if (a.getDirection() == Direction.outbound) {
                    outbound.add(file);
                    assertThat(a.getPolicyDomain()).as("%s %s", file, a.getOutcome()).isNotNull().endsWith(".test");
                } else {
                    assertThat(a.getPolicyDomain()).as("%s %s", file, a.getOutcome()).isNull();
                }
            }));
        }
        assertThat(outbound).hasSizeGreaterThan(20);
    }

    @Test
    void theDomainIsTheRecipientsOfTheDeliveryLine() throws IOException {
        // the transport's own line names no recipient; the == line that repeats it does
        assertThat(attemptsByFile("/fixtures/exim-captured").get("exim-out-starttls-not-offered-required.log"))
                .extracting(NegotiationAttempt::getPolicyDomain).containsExactly("notls.test");
        assertThat(attemptsByFile("/fixtures/sendmail-captured").get("client-cert-expired.log"))
                .filteredOn(a -> a.getDirection() == Direction.outbound)
                .extracting(NegotiationAttempt::getPolicyDomain).containsExactly("verify-expired.remote.test");
    }
}
