package io.tlsmon.classify;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NameUuidsTest {

    @Test
    void givesTheSameIdsAsTheJdksNameBasedUuids() {
        for (String name : new String[] {"", "ex1|exchange-receive|08D5A1|1740823200000", "héllo wörld", "x".repeat(1000)}) {
            assertThat(NameUuids.of(name)).isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
        }
    }
}
