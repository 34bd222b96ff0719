package io.tlsmon.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class AvroClassTrustTest {

    @Test
    void trustsTheGeneratedClassesNamedByTheSchemaOfTheClass() {
        AvroClassTrust.trust(NegotiationAttempt.class);

        for (Class<?> generated : new Class<?>[] {NegotiationAttempt.class, Evidence.class, Direction.class, Outcome.class}) {
            assertThat(AvroClassTrust.isTrusted(generated.getName())).as(generated.getName()).isTrue();
            ClassSecurityValidator.validate(generated); // does not throw
        }
    }

    @Test
    void classesThatAreNotGeneratedRecordsStayForbidden() {
        AvroClassTrust.trustTlsmonRecords();

        assertThat(AvroClassTrust.isTrusted(AvroClassTrust.class.getName())).isFalse();
        assertThatThrownBy(() -> ClassSecurityValidator.validate(AvroClassTrust.class))
                .isInstanceOf(SecurityException.class);
    }
}
