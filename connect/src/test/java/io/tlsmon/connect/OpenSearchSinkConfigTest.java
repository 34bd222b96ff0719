package io.tlsmon.connect;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenSearchSinkConfigTest {
    private static Map<String, String> good() {
        Map<String, String> m = new HashMap<>();
        m.put("opensearch.url", "https://search.example:9200");
        m.put("index", "tlsmon-ecs-records");
        return m;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> m = good();
        m.put(key, value);
        return m;
    }

    @Test
    void defaultsAndTheBulkEndpoint() {
        OpenSearchSinkConfig c = new OpenSearchSinkConfig(good());
        assertThat(c.bulkUri()).hasToString("https://search.example:9200/_bulk");
        assertThat(c.batchSize()).isEqualTo(500);
        assertThat(c.authorization()).isEmpty();
        assertThat(new OpenSearchSinkConfig(with("opensearch.url", "http://proxy.example/search/")).bulkUri())
                .hasToString("http://proxy.example/search/_bulk");
    }

    @Test
    void basicAuthentication() {
        Map<String, String> m = with("username", "tlsmon");
        m.put("password", "s3cr:t");
        String header = new OpenSearchSinkConfig(m).authorization().orElseThrow();
        assertThat(new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8))
                .isEqualTo("tlsmon:s3cr:t");
        // a password is not printed with the config
        assertThat(new OpenSearchSinkConfig(m).getPassword("password").toString()).doesNotContain("s3cr");
    }

    @Test
    void aUserWithoutPasswordIsRefusedNamingTheMissingSetting() {
        assertThatThrownBy(() -> new OpenSearchSinkConfig(with("username", "tlsmon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> new OpenSearchSinkConfig(with("password", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("username");
    }

    @ParameterizedTest
    @ValueSource(strings = {"search.example:9200", "ftp://search.example", "http://", "http://h/?q=1", "http://h/#x", "http://h p/"})
    void aBadUrlIsRefusedNamingTheSetting(String url) {
        assertThatThrownBy(() -> new OpenSearchSinkConfig(with("opensearch.url", url)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("opensearch.url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Tlsmon", "_x", "-x", "+x", ".", "..", "a b", "a,b", "a*", "a:b", "a#b", "a/b", "a\\b", "a\"b", "a|b"})
    void aBadIndexNameIsRefusedNamingTheSetting(String index) {
        assertThatThrownBy(() -> new OpenSearchSinkConfig(with("index", index)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("index");
    }

    @Test
    void aLongIndexNameIsRefused() {
        new OpenSearchSinkConfig(with("index", "a".repeat(255)));
        assertThatThrownBy(() -> new OpenSearchSinkConfig(with("index", "a".repeat(256)))).isInstanceOf(ConfigException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10001", "many"})
    void aBadBatchSizeIsRefusedNamingTheSetting(String size) {
        assertThatThrownBy(() -> new OpenSearchSinkConfig(with("batch.size", size)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("batch.size");
    }

    @Test
    void requiredSettings() {
        Map<String, String> m = good();
        m.remove("index");
        assertThatThrownBy(() -> new OpenSearchSinkConfig(m)).isInstanceOf(ConfigException.class).hasMessageContaining("index");
        Map<String, String> n = good();
        n.remove("opensearch.url");
        assertThatThrownBy(() -> new OpenSearchSinkConfig(n)).isInstanceOf(ConfigException.class).hasMessageContaining("opensearch.url");
    }

    @Test
    void theConnectorRefusesToStartWithABadSetting() {
        assertThatThrownBy(() -> new TlsmonOpenSearchSinkConnector().start(with("batch.size", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("batch.size");
        TlsmonOpenSearchSinkConnector c = new TlsmonOpenSearchSinkConnector();
        c.start(good());
        assertThat(c.taskConfigs(3)).hasSize(3).allSatisfy(t -> assertThat(t).isEqualTo(good()));
        assertThat(c.config().names()).contains("opensearch.url", "index", "username", "password", "batch.size");
        // every setting is documented
        c.config().configKeys().values().forEach(k -> assertThat(k.documentation).as(k.name).isNotBlank());
    }
}
