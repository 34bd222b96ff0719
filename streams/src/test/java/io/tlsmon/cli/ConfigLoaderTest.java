package io.tlsmon.cli;

import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @Test
    void fileThenEnvironmentThenFlags(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tlsmon.properties");
        Files.writeString(file, "tlsmon.alert.failure.threshold=7\nsecurity.protocol=SSL\nbootstrap.servers=from-file:9092\n");
        Map<String, Object> s = ConfigLoader.load(file,
                Map.of("TLSMON_SASL_JAAS_CONFIG", "secret-jaas", "TLSMON_ALERT_FAILURE_THRESHOLD", "9", "TLSMON_REBUILD", "1", "PATH", "/bin"),
                Map.of("bootstrap.servers", "from-flag:9092"));
        assertThat(s).containsEntry("tlsmon.alert.failure.threshold", "9")
                .containsEntry("sasl.jaas.config", "secret-jaas")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "from-flag:9092")
                .doesNotContainKey("rebuild");
        assertThat(TlsmonConfig.describe(s)).contains("sasl.jaas.config = [hidden]").doesNotContain("secret-jaas");
    }

    @Test
    void aBadOrUnknownSettingIsNamed() {
        assertThatThrownBy(() -> new TlsmonConfig(Map.of(TlsmonConfig.ALERT_FAILURE_THRESHOLD_CONFIG, "many")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(TlsmonConfig.ALERT_FAILURE_THRESHOLD_CONFIG);
        assertThatThrownBy(() -> new TlsmonConfig(Map.of("tlsmon.alert.treshold", "3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tlsmon.alert.treshold");
        assertThatThrownBy(() -> new TlsmonConfig(Map.of(TlsmonConfig.ALERT_NOISE_OUTCOMES_CONFIG, "SCANNER")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SCANNER");
        assertThatThrownBy(() -> new TlsmonConfig(Map.of(TlsmonConfig.ALERT_FAILURE_WINDOW_MS_CONFIG, "60000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(TlsmonConfig.STATE_WINDOWS_MS_CONFIG);
    }

    @Test
    void producingCommandsNeedTheApplicationsRegistry() {
        assertThatThrownBy(() -> ConfigLoader.producerSide(Map.of("bootstrap.servers", "k:9092")))
                .hasMessageContaining("schema.registry.url");
        assertThat(ConfigLoader.producerSide(Map.of("schema.registry.url", "http://r:8081", "ssl.truststore.location", "/x")).topicPrefix())
                .isEqualTo("tlsmon.");
    }

    @Test
    void aSaslProtocolWithoutCredentialsIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("security.protocol", "SASL_SSL")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sasl.jaas.config");
        assertThat(ConfigLoader.load(null, Map.of("TLSMON_SASL_JAAS_CONFIG", "x required;"), Map.of("security.protocol", "sasl_ssl")))
                .containsEntry("sasl.jaas.config", "x required;");
        assertThat(ConfigLoader.load(null, Map.of(), Map.of("security.protocol", "SSL"))).containsEntry("security.protocol", "SSL");
    }

    @Test
    void aStreamsApplicationOnAnExternalClusterNeedsARealRegistry() {
        assertThatThrownBy(() -> ConfigLoader.requireSharedRegistry(Map.of("bootstrap.servers", "k:9092")))
                .hasMessageContaining("schema.registry.url is needed against an external cluster (k:9092)");
        assertThatThrownBy(() -> ConfigLoader.requireSharedRegistry(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", " mock://x")))
                .hasMessageContaining("in-memory registry");
        ConfigLoader.requireSharedRegistry(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "https://registry:8081"));
    }
}
