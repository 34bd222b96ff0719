package io.tlsmon.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.RawLine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {
    private static final Schema V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Probe", "namespace": "io.tlsmon.test", "fields": [
              {"name": "host", "type": "string"}
            ]}""");
    /** Adds a field with a default: can read V1 data, so backward compatible. */
    private static final Schema V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "Probe", "namespace": "io.tlsmon.test", "fields": [
              {"name": "host", "type": "string"},
              {"name": "port", "type": "int", "default": 25}
            ]}""");
    /** Adds a field without a default: cannot read V1 data. */
    private static final Schema V2_INCOMPATIBLE = new Schema.Parser().parse("""
            {"type": "record", "name": "Probe", "namespace": "io.tlsmon.test", "fields": [
              {"name": "host", "type": "string"},
              {"name": "port", "type": "int"}
            ]}""");

    private FakeConfluentRegistryServer server;

    @BeforeEach
    void startRegistry() throws IOException {
        server = FakeConfluentRegistryServer.start();
    }

    @AfterEach
    void stopRegistry() {
        server.close();
    }

    private RestSchemaRegistryClient client(Map<String, ?> extra) {
        Map<String, Object> configs = new HashMap<>(extra);
        configs.putIfAbsent(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, server.url());
        return RestSchemaRegistryClient.create(configs);
    }

    private RestSchemaRegistryClient client() {
        return client(Map.of());
    }

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdAndAsksTheRegistryOnce() {
        RestSchemaRegistryClient client = client();

        int first = client.register("raw-value", RawLine.getClassSchema());
        int second = client.register("raw-value", RawLine.getClassSchema());

        assertThat(second).isEqualTo(first);
        assertThat(server.requestCount(FakeConfluentRegistryServer.REGISTER)).isEqualTo(1);
        // a second client, without the cache, is told the same id by the registry
        assertThat(client().register("raw-value", RawLine.getClassSchema())).isEqualTo(first);
        assertThat(server.requestCount(FakeConfluentRegistryServer.REGISTER)).isEqualTo(2);
    }

    @Test
    void differentSchemasGetDifferentIdsAndTheSameSchemaKeepsItsIdInAnotherSubject() {
        RestSchemaRegistryClient client = client();
        int raw = client.register("raw-value", RawLine.getClassSchema());
        int alert = client.register("alerts-value", Alert.getClassSchema());
        int rawElsewhere = client.register("raw-copy-value", RawLine.getClassSchema());

        assertThat(alert).isNotEqualTo(raw);
        assertThat(rawElsewhere).isEqualTo(raw);
    }

    @Test
    void registerSendsOnlyTheSchemaWithTheRegistryMediaType() throws IOException {
        client().register("probe-value", V1);

        JsonNode body = new ObjectMapper().readTree(server.lastBody());
        assertThat(body.size()).as("schemaType is omitted for Avro").isEqualTo(1);
        assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(V1);
        assertThat(server.lastContentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(server.lastAccept()).startsWith("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void schemaByIdIsFetchedOnceAndThenCached() {
        int id = client().register("raw-value", RawLine.getClassSchema());
        RestSchemaRegistryClient reader = client();

        assertThat(reader.schemaById(id)).isEqualTo(RawLine.getClassSchema());
        assertThat(reader.schemaById(id)).isEqualTo(RawLine.getClassSchema());
        assertThat(server.requestCount(FakeConfluentRegistryServer.BY_ID)).isEqualTo(1);
    }

    @Test
    void registeringFillsTheIdCacheSoTheWriterNeverFetchesItsOwnSchema() {
        RestSchemaRegistryClient client = client();
        int id = client.register("raw-value", RawLine.getClassSchema());

        assertThat(client.schemaById(id)).isEqualTo(RawLine.getClassSchema());
        assertThat(server.requestCount(FakeConfluentRegistryServer.BY_ID)).isZero();
    }

    @Test
    void latestGivesIdVersionAndSchemaOfTheLastRegisteredVersion() {
        RestSchemaRegistryClient client = client();
        int first = client.register("probe-value", V1);
        int second = client.register("probe-value", V2);

        RegisteredSchema latest = client().latest("probe-value");

        assertThat(second).isNotEqualTo(first);
        assertThat(latest.subject()).isEqualTo("probe-value");
        assertThat(latest.id()).isEqualTo(second);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.schema()).isEqualTo(V2);
    }

    @Test
    void compatibilityIsTrueForABackwardCompatibleSchemaAndFalseOtherwise() {
        RestSchemaRegistryClient client = client();
        client.register("probe-value", V1);

        assertThat(client.testCompatibility("probe-value", V2)).isTrue();
        assertThat(client.testCompatibility("probe-value", V2_INCOMPATIBLE)).isFalse();
        assertThat(server.requestCount(FakeConfluentRegistryServer.COMPATIBILITY)).isEqualTo(2);
    }

    @Test
    void aSubjectWithoutVersionsAcceptsAnySchema() {
        assertThat(client().testCompatibility("nothing-yet-value", V1)).isTrue();
        assertThat(server.requestCount(FakeConfluentRegistryServer.COMPATIBILITY)).isEqualTo(1);
    }

    @Test
    void unknownSubjectSurfacesAs40401() {
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client().latest("missing-value"));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
        assertThat(e.isSubjectNotFound()).isTrue();
        assertThat(e.getMessage()).contains("Subject 'missing-value' not found", "40401",
                "GET /subjects/missing-value/versions/latest");
    }

    @Test
    void unknownIdSurfacesAs40403() {
        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client().schemaById(4242));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertThat(e.isSchemaNotFound()).isTrue();
        assertThat(e.getMessage()).contains("Schema 4242 not found");
    }

    @Test
    void incompatibleRegistrationSurfacesAs409AndIsNotCached() {
        RestSchemaRegistryClient client = client();
        client.register("probe-value", V1);

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("probe-value", V2_INCOMPATIBLE));

        assertThat(e.status()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        assertThat(e.isIncompatible()).isTrue();
        assertThat(e.getMessage()).contains("incompatible with an earlier schema");
        assertThatThrownBy(() -> client.register("probe-value", V2_INCOMPATIBLE))
                .isInstanceOf(SchemaRegistryException.class);
        assertThat(server.requestCount(FakeConfluentRegistryServer.REGISTER)).isEqualTo(3);
    }

    @Test
    void aSchemaTheRegistryCannotParseSurfacesAs42201() {
        // Avro builds it without checking defaults; the registry checks them and refuses it.
        Schema badDefault = new Schema.Parser().setValidateDefaults(false).parse("""
                {"type": "record", "name": "Bad", "fields": [
                  {"name": "port", "type": "int", "default": "twenty-five"}
                ]}""");

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client().register("bad-value", badDefault));

        assertThat(e.status()).isEqualTo(422);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_SCHEMA);
        assertThat(e.isInvalidSchema()).isTrue();
        assertThat(e.getMessage()).contains("Invalid schema");
    }

    @Test
    void otherConfluentErrorCodesSurfaceWithTheirStatus() {
        server.answerNext(404, "{\"error_code\":40402,\"message\":\"Version 7 not found.\"}");
        server.answerNext(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");
        server.answerNext(500, "{\"error_code\":50002,\"message\":\"Operation timed out\"}");
        RestSchemaRegistryClient client = client();

        SchemaRegistryException versionMissing = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.latest("probe-value"));
        SchemaRegistryException store = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("probe-value", V1));
        SchemaRegistryException timeout = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.schemaById(1));

        assertThat(versionMissing.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND);
        assertThat(versionMissing.status()).isEqualTo(404);
        assertThat(store.errorCode()).isEqualTo(SchemaRegistryException.STORE_ERROR);
        assertThat(store.status()).isEqualTo(500);
        assertThat(store.getMessage()).contains("Error in the backend data store");
        assertThat(timeout.errorCode()).isEqualTo(SchemaRegistryException.OPERATION_TIMEOUT);
    }

    @Test
    void anErrorWithoutConfluentBodyKeepsTheStatusAndTheStartOfTheBody() {
        server.answerNext(502, "<html><body>Bad Gateway</body></html>");

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client().latest("probe-value"));

        assertThat(e.status()).isEqualTo(502);
        assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.NO_ERROR_CODE);
        assertThat(e.getMessage()).contains("Bad Gateway");
    }

    @Test
    void subjectsAreUrlEncodedAsOnePathSegment() {
        String subject = "odd topic/with+chars-value";
        RestSchemaRegistryClient client = client();

        int id = client.register(subject, V1);

        assertThat(client.latest(subject).id()).isEqualTo(id);
        assertThat(server.subjectsSeen()).containsOnly(subject);
    }

    @Test
    void baseUrlWithAPathPrefixIsKept() throws IOException {
        try (FakeConfluentRegistryServer ccompat = FakeConfluentRegistryServer.startUnder("/apis/ccompat/v7")) {
            RestSchemaRegistryClient client = RestSchemaRegistryClient.create(
                    Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, ccompat.url() + "/"));

            int id = client.register("probe-value", V1);

            assertThat(client.latest("probe-value").id()).isEqualTo(id);
            assertThat(ccompat.requestCount(FakeConfluentRegistryServer.REGISTER)).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableFirstUrlFailsOverToTheSecond() throws IOException {
        String down = "http://127.0.0.1:" + freePort();
        RestSchemaRegistryClient client = client(
                Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, down + "," + server.url()));

        int id = client.register("probe-value", V1);

        assertThat(client.latest("probe-value").id()).isEqualTo(id);
        assertThat(server.requestCount(FakeConfluentRegistryServer.REGISTER)).isEqualTo(1);
    }

    @Test
    void aRegistryThatDoesNotAnswerInTimeIsSkipped() throws IOException {
        try (FakeConfluentRegistryServer slow = FakeConfluentRegistryServer.start()) {
            slow.stallFor(10_000);
            RestSchemaRegistryClient client = client(Map.of(
                    SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, slow.url() + "," + server.url(),
                    SchemaRegistryConfig.HTTP_READ_TIMEOUT_MS_CONFIG, "300"));

            client.register("probe-value", V1);

            assertThat(slow.requestCount()).isEqualTo(1);
            assertThat(server.requestCount(FakeConfluentRegistryServer.REGISTER)).isEqualTo(1);
        }
    }

    @Test
    void whenNoUrlIsReachableTheExceptionSaysSoAndNamesEachUrl() throws IOException {
        String first = "http://127.0.0.1:" + freePort();
        String second = "http://127.0.0.1:" + freePort();
        RestSchemaRegistryClient client = RestSchemaRegistryClient.create(
                Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, first + ", " + second));

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.latest("probe-value"));

        assertThat(e.isUnreachable()).isTrue();
        assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_STATUS);
        assertThat(e.getMessage()).contains(first, second, "No schema registry reachable");
    }

    @Test
    void basicAuthFromUserInfoIsSent() {
        server.requireBasicAuth("alice", "s3cret-pw");
        RestSchemaRegistryClient client = client(Map.of(
                SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, "alice:s3cret-pw"));

        int id = client.register("probe-value", V1);

        assertThat(id).isPositive();
        assertThat(server.lastAuthorization()).isEqualTo("Basic YWxpY2U6czNjcmV0LXB3");
    }

    @Test
    void basicAuthFromTheUrlIsSentAndTheUrlIsUsedWithoutIt() {
        server.requireBasicAuth("alice", "s3cret-pw");
        String url = server.url().replace("http://", "http://alice:s3cret-pw@");
        RestSchemaRegistryClient client = client(Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, url));

        client.register("probe-value", V1);

        assertThat(server.lastAuthorization()).isEqualTo("Basic YWxpY2U6czNjcmV0LXB3");
        assertThat(client.baseUrls()).extracting(Object::toString).containsExactly(server.url());
        assertThat(client.toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void bearerTokenIsSent() {
        server.requireBearer("tok-123");
        RestSchemaRegistryClient client = client(Map.of(
                SchemaRegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG, "STATIC_TOKEN",
                SchemaRegistryConfig.BEARER_AUTH_TOKEN_CONFIG, "tok-123"));

        client.register("probe-value", V1);

        assertThat(server.lastAuthorization()).isEqualTo("Bearer tok-123");
    }

    @Test
    void wrongCredentialsSurfaceAs401WithoutTheCredentialsInTheMessage() {
        server.requireBasicAuth("alice", "right-pw");
        RestSchemaRegistryClient client = client(Map.of(
                SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG, "alice:wrong-pw"));

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("probe-value", V1));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).doesNotContain("wrong-pw", "YWxpY2U6d3JvbmctcHc");
    }

    @Test
    void credentialsInUrlsNeverReachExceptionMessages() throws IOException {
        String down = "http://bob:url-pw@127.0.0.1:" + freePort();
        RestSchemaRegistryClient client = RestSchemaRegistryClient.create(
                Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL_CONFIG, down));

        SchemaRegistryException e = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register("probe-value", V1));

        assertThat(e.isUnreachable()).isTrue();
        assertThat(e.getMessage()).doesNotContain("url-pw", "bob:");
        assertThat(String.valueOf(e.getCause())).doesNotContain("url-pw");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
