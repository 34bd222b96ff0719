package io.tlsmon.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaRegistriesTest {
    private static final String URL = SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG;

    @Test
    void aMockUrlGivesTheMockClientOfThatScope() {
        SchemaRegistryClient client = SchemaRegistries.client(Map.of(URL, "mock://registries-test"));

        assertThat(client).isInstanceOf(MockSchemaRegistryClient.class);
        assertThat(((MockSchemaRegistryClient) client).scope()).isEqualTo("registries-test");
    }

    @Test
    void httpUrlsGiveTheRestClientWithEveryUrlInOrder() {
        SchemaRegistryClient client = SchemaRegistries.client(
                Map.of(URL, " http://127.0.0.1:8081/ ,https://registry.example:8443/apis/ccompat/v7"));

        assertThat(client).isInstanceOf(RestSchemaRegistryClient.class);
        assertThat(((RestSchemaRegistryClient) client).baseUrls()).extracting(Object::toString)
                .containsExactly("http://127.0.0.1:8081", "https://registry.example:8443/apis/ccompat/v7");
    }

    @Test
    void aListValueIsAcceptedAsKafkaListConfigsGiveIt() {
        SchemaRegistryConfig config = SchemaRegistryConfig.from(
                Map.of(URL, List.of("http://a.example:8081", "http://b.example:8081")));

        assertThat(config.restUrls()).hasSize(2);
    }

    @Test
    void aMissingUrlNamesTheKey() {
        SchemaRegistryConfigException e = catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistries.client(Map.of()));

        assertThat(e).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.key()).isEqualTo(URL);
        assertThat(e.getMessage()).contains("schema.registry.url", "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "localhost:8081", "ftp://registry:21", "http://", "http://a:8081,,http://b:8081",
            "http://a:8081?x=1", "mock://", "mock://a,http://b:8081", "http://b:8081,mock://a", "http://bad host:1"})
    void aMalformedUrlNamesTheKey(String url) {
        SchemaRegistryConfigException e = catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistries.client(Map.of(URL, url)));

        assertThat(e).as(url).isNotNull();
        assertThat(e.key()).isEqualTo(URL);
        assertThat(e.getMessage()).contains("schema.registry.url");
    }

    @Test
    void aMalformedUrlMessageDoesNotRepeatItsCredentials() {
        SchemaRegistryConfigException e = catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistries.client(Map.of(URL, "ftp://carol:hunter2@registry:21")));

        assertThat(e.getMessage()).contains("ftp://***@registry:21").doesNotContain("hunter2");
    }

    @Test
    void userInfoWithoutAColonNamesItsKeyWithoutEchoingTheValue() {
        SchemaRegistryConfigException e = catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistries.client(Map.of(URL, "http://127.0.0.1:8081",
                        SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                        SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, "justapassword")));

        assertThat(e.key()).isEqualTo(SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG);
        assertThat(e.getMessage()).doesNotContain("justapassword");
    }

    @Test
    void userInfoSourceWithoutUserInfoNamesTheMissingKey() {
        SchemaRegistryConfigException e = catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistryConfig.from(Map.of(URL, "http://127.0.0.1:8081",
                        SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO")));

        assertThat(e.key()).isEqualTo(SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG);
    }

    @Test
    void unsupportedCredentialSourcesAreRefusedByName() {
        assertThat(catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistryConfig.from(Map.of(URL, "http://r:1",
                        SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "SASL_INHERIT"))).key())
                .isEqualTo(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG);
        assertThat(catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistryConfig.from(Map.of(URL, "http://r:1",
                        SchemaRegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "OAUTHBEARER"))).key())
                .isEqualTo(SchemaRegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG);
    }

    @Test
    void basicAndBearerTogetherAreRefused() {
        SchemaRegistryConfigException e = catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistryConfig.from(Map.of(URL, "http://r:1",
                        SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, "u:p",
                        SchemaRegistryConfig.BEARER_AUTH_TOKEN_CONFIG, "t")));

        assertThat(e.getMessage()).contains("both basic and bearer");
    }

    @Test
    void settingsAreReadWithOrWithoutTheClientPrefixAndPasswordsAreUnwrapped() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(URL, "http://127.0.0.1:8081");
        configs.put("schema.registry.basic.auth.user.info", new Password("dave:pw"));
        configs.put("schema.registry.http.read.timeout.ms", 1234);
        configs.put(SchemaRegistryConfig.HTTP_CONNECT_TIMEOUT_MS_CONFIG, "567");

        SchemaRegistryConfig config = SchemaRegistryConfig.from(configs);

        assertThat(config.authentication()).isEqualTo("basic");
        assertThat(config.authorizationHeader()).isEqualTo("Basic ZGF2ZTpwdw==");
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1234));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(567));
        assertThat(config.toString()).doesNotContain("dave", "pw", "ZGF2ZTpwdw");
    }

    @Test
    void serdeKeysHaveConfluentDefaultsAndRefuseNonBooleans() {
        SchemaRegistryConfig defaults = SchemaRegistryConfig.from(Map.of(URL, "mock://x"));
        assertThat(defaults.autoRegisterSchemas()).isTrue();
        assertThat(defaults.useLatestVersion()).isFalse();
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofMillis(SchemaRegistryConfig.HTTP_CONNECT_TIMEOUT_MS_DEFAULT));

        SchemaRegistryConfig set = SchemaRegistryConfig.from(Map.of(URL, "mock://x",
                SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                SchemaRegistryConfig.USE_LATEST_VERSION_CONFIG, "TRUE"));
        assertThat(set.autoRegisterSchemas()).isFalse();
        assertThat(set.useLatestVersion()).isTrue();

        assertThat(catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistryConfig.from(Map.of(URL, "mock://x",
                        SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "yes"))).key())
                .isEqualTo(SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS_CONFIG);
        assertThat(catchThrowableOfType(SchemaRegistryConfigException.class,
                () -> SchemaRegistryConfig.from(Map.of(URL, "mock://x",
                        SchemaRegistryConfig.HTTP_READ_TIMEOUT_MS_CONFIG, "-5"))).key())
                .isEqualTo(SchemaRegistryConfig.HTTP_READ_TIMEOUT_MS_CONFIG);
    }
}
