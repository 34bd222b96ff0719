package io.tlsmon.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Which registry failures are outages, which are the registry's verdict, and which are about the data. */
class SchemaRegistryExceptionTest {
    private static SchemaRegistryException answered(int status, int errorCode) {
        return new SchemaRegistryException(status, errorCode, "HTTP " + status);
    }

    @Test
    void unreachableTimingOutFailingAndSheddingLoadAreTransient() {
        assertThat(SchemaRegistryException.unreachable("connection refused", null).isTransient()).isTrue();
        assertThat(answered(500, SchemaRegistryException.STORE_ERROR).isTransient()).isTrue();
        assertThat(answered(502, -1).isTransient()).isTrue();
        assertThat(answered(503, -1).isTransient()).isTrue();
        assertThat(answered(500, SchemaRegistryException.OPERATION_TIMEOUT).isTransient()).isTrue();
        assertThat(answered(408, -1).isTransient()).isTrue();
        assertThat(answered(429, -1).isTransient()).isTrue();
    }

    @Test
    void otherAnswersAreVerdicts() {
        assertThat(answered(401, 401).isTransient()).isFalse();
        assertThat(answered(403, 403).isTransient()).isFalse();
        assertThat(answered(404, SchemaRegistryException.SCHEMA_NOT_FOUND).isTransient()).isFalse();
        assertThat(answered(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA).isTransient()).isFalse();
        assertThat(answered(422, SchemaRegistryException.INVALID_SCHEMA).isTransient()).isFalse();
    }

    @Test
    void onlyAnUnknownSchemaIdOrAnUnusableSchemaIsAboutTheData() {
        assertThat(answered(404, SchemaRegistryException.SCHEMA_NOT_FOUND).isAboutTheData()).isTrue();
        assertThat(answered(200, -1).isAboutTheData()).as("an answer for the id with no usable Avro schema").isTrue();

        assertThat(SchemaRegistryException.unreachable("down", null).isAboutTheData()).isFalse();
        assertThat(answered(500, SchemaRegistryException.STORE_ERROR).isAboutTheData()).isFalse();
        assertThat(answered(503, -1).isAboutTheData()).isFalse();
        assertThat(answered(401, 401).isAboutTheData()).isFalse();
        assertThat(answered(404, -1).isAboutTheData()).as("a wrong URL's 404, with no error code").isFalse();
        assertThat(answered(404, SchemaRegistryException.SUBJECT_NOT_FOUND).isAboutTheData()).isFalse();
        assertThat(answered(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA).isAboutTheData()).isFalse();
    }

    @Test
    void theFailureIsFoundAmongTheCauses() {
        SchemaRegistryException cause = SchemaRegistryException.unreachable("down", new java.io.IOException("refused"));
        assertThat(SchemaRegistryException.in(new RuntimeException(new SerializationException("x", cause)))).isSameAs(cause);
        assertThat(SchemaRegistryException.in(cause)).isSameAs(cause);
        assertThat(SchemaRegistryException.in(new SerializationException("bad magic byte"))).isNull();
        assertThat(SchemaRegistryException.in(null)).isNull();
    }
}
