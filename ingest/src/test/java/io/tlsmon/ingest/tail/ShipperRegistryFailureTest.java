package io.tlsmon.ingest.tail;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlsmon.schemas.registry.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Which registry failures the shipper waits out and which stop it. */
class ShipperRegistryFailureTest {

    private static SchemaRegistryException answered(int status, int code) {
        return new SchemaRegistryException(status, code, "POST /subjects/raw-value/versions at http://127.0.0.1:8081 failed");
    }

    @Test
    void theRegistryFailureIsFoundBehindTheSerializersException() {
        SchemaRegistryException cause = SchemaRegistryException.unreachable("No schema registry reachable", null);
        SerializationException thrown = new SerializationException("Cannot register", cause);

        assertThat(ShipperLoop.registryCause(new RuntimeException(thrown))).isSameAs(cause);
        assertThat(ShipperLoop.registryCause(new SerializationException("not the registry"))).isNull();
    }

    @Test
    void unreachableFailingTimingOutOrSheddingLoadIsWaitedOut() {
        assertThat(ShipperLoop.isTransient(SchemaRegistryException.unreachable("down", null))).isTrue();
        assertThat(ShipperLoop.isTransient(answered(500, SchemaRegistryException.STORE_ERROR))).isTrue();
        assertThat(ShipperLoop.isTransient(answered(503, -1))).isTrue();
        assertThat(ShipperLoop.isTransient(answered(408, -1))).isTrue();
        assertThat(ShipperLoop.isTransient(answered(429, -1))).isTrue();
    }

    @Test
    void anAnswerThatRefusesIsASettingToFix() {
        assertThat(ShipperLoop.isTransient(answered(401, 401))).isFalse();
        assertThat(ShipperLoop.isTransient(answered(403, 403))).isFalse();
        assertThat(ShipperLoop.isTransient(answered(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA))).isFalse();
        assertThat(ShipperLoop.isTransient(answered(422, SchemaRegistryException.INVALID_SCHEMA))).isFalse();
        assertThat(ShipperLoop.isTransient(answered(404, SchemaRegistryException.SUBJECT_NOT_FOUND))).isFalse();
    }
}
