package io.tlsmon.alert;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine must work where no Kafka serde has told Avro to trust our generated classes. Avro's
 * trust is JVM-wide and only grows, so inside this test JVM the other tests would hide a missing
 * trust: the check runs in a JVM of its own.
 */
class AlertEngineOutsideStreamsTest {

    @Test
    void raisesAndResolvesInAFreshJvm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"), ResolveInAFreshJvm.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("[RAISED, RESOLVED]");
    }
}
