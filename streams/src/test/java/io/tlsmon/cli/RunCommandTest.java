package io.tlsmon.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code tlsmon run} refuses before it connects anywhere. */
class RunCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new CommandLine(new RunCommand(new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
    }

    @Test
    void anExternalClusterWithoutARegistryIsRefusedNamingTheSetting() {
        // nothing listens on port 9: a refusal that came after connecting would hang or fail otherwise
        assertThat(run("--bootstrap-servers", "127.0.0.1:9", "--http-port", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("schema.registry.url is needed against an external cluster (127.0.0.1:9)");
    }

    @Test
    void anExternalClusterWithAnInMemoryRegistryIsRefused() throws Exception {
        java.nio.file.Path props = java.nio.file.Files.createTempFile("tlsmon", ".properties");
        try {
            java.nio.file.Files.writeString(props, "schema.registry.url=mock://tlsmon\n");
            assertThat(run("--bootstrap-servers", "127.0.0.1:9", "--config", props.toString(), "--http-port", "-1")).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("schema.registry.url=mock://tlsmon is an in-memory registry of this process");
        } finally {
            java.nio.file.Files.delete(props);
        }
    }
}
