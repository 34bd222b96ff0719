package io.tlsmon.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.RawLine;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryClientTest {
    private static final Schema V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Probe", "fields": [{"name": "host", "type": "string"}]}""");
    private static final Schema V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "Probe", "fields": [{"name": "host", "type": "string"},
              {"name": "port", "type": "int", "default": 25}]}""");
    private static final Schema V2_INCOMPATIBLE = new Schema.Parser().parse("""
            {"type": "record", "name": "Probe", "fields": [{"name": "host", "type": "string"},
              {"name": "port", "type": "int"}]}""");

    private final String scope = "mock-test-" + UUID.randomUUID();
    private final String otherScope = scope + "-other";

    @AfterEach
    void dropScopes() {
        MockSchemaRegistryClient.dropScope(scope);
        MockSchemaRegistryClient.dropScope(otherScope);
    }

    @Test
    void idsIncreaseFromOneAndASchemaKeepsItsIdEverywhere() {
        MockSchemaRegistryClient client = MockSchemaRegistryClient.forScope(scope);

        assertThat(client.register("raw-value", RawLine.getClassSchema())).isEqualTo(1);
        assertThat(client.register("alerts-value", Alert.getClassSchema())).isEqualTo(2);
        assertThat(client.register("raw-value", RawLine.getClassSchema())).isEqualTo(1);
        assertThat(client.register("dlq-value", DeadLetter.getClassSchema())).isEqualTo(3);
        assertThat(client.register("raw-copy-value", RawLine.getClassSchema())).isEqualTo(1);
        assertThat(client.schemaById(2)).isEqualTo(Alert.getClassSchema());
    }

    @Test
    void latestFollowsVersions() {
        MockSchemaRegistryClient client = MockSchemaRegistryClient.forScope(scope);
        client.register("probe-value", V1);
        int second = client.register("probe-value", V2);

        RegisteredSchema latest = client.latest("probe-value");

        assertThat(latest).isEqualTo(new RegisteredSchema("probe-value", second, 2, V2));
    }

    @Test
    void backwardCompatibilityIsEnforced() {
        MockSchemaRegistryClient client = MockSchemaRegistryClient.forScope(scope);
        client.register("probe-value", V1);

        assertThat(client.testCompatibility("probe-value", V2)).isTrue();
        assertThat(client.testCompatibility("probe-value", V2_INCOMPATIBLE)).isFalse();
        assertThat(client.testCompatibility("new-value", V2_INCOMPATIBLE)).isTrue();
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("probe-value", V2_INCOMPATIBLE));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        assertThat(e.getMessage()).contains("probe-value", "port");
    }

    @Test
    void unknownSubjectAndIdCarryConfluentCodes() {
        MockSchemaRegistryClient client = MockSchemaRegistryClient.forScope(scope);

        SchemaRegistryException subject = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.latest("missing-value"));
        SchemaRegistryException id = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.schemaById(99));

        assertThat(subject.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
        assertThat(subject.status()).isEqualTo(404);
        assertThat(id.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertThat(id.status()).isEqualTo(404);
    }

    @Test
    void clientsOfOneScopeShareTheRegistryAndScopesAreIsolated() {
        SchemaRegistryClient writer = SchemaRegistries.client(
                Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope));
        SchemaRegistryClient reader = SchemaRegistries.client(
                Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope));
        SchemaRegistryClient stranger = SchemaRegistries.client(
                Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + otherScope));

        int id = writer.register("raw-value", RawLine.getClassSchema());

        assertThat(reader.schemaById(id)).isEqualTo(RawLine.getClassSchema());
        assertThat(reader.latest("raw-value").id()).isEqualTo(id);
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> stranger.schemaById(id)).errorCode())
                .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertThat(catchThrowableOfType(SchemaRegistryException.class, () -> stranger.latest("raw-value"))
                .errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
        assertThat(stranger.register("alerts-value", Alert.getClassSchema()))
                .as("each scope numbers its own ids from 1").isEqualTo(1);
    }

    @Test
    void droppingAScopeStartsItAfresh() {
        MockSchemaRegistryClient.forScope(scope).register("raw-value", RawLine.getClassSchema());

        MockSchemaRegistryClient.dropScope(scope);

        assertThat(catchThrowableOfType(SchemaRegistryException.class,
                () -> MockSchemaRegistryClient.forScope(scope).latest("raw-value"))).isNotNull();
    }
}
