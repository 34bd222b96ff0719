package io.tlsmon.connect;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EcsDocumentTest {
    private static final String DOC = "{\"@timestamp\":\"2025-03-03T08:00:00Z\",\"event\":{\"id\":\"a-1\",\"kind\":\"event\"}}";

    @Test
    void theEventIdIsTheDocumentId() throws Exception {
        assertThat(EcsDocument.of(DOC)).isEqualTo(new EcsDocument("a-1", DOC));
        assertThat(EcsDocument.of(DOC.getBytes(StandardCharsets.UTF_8)).id()).isEqualTo("a-1");
        assertThat(EcsDocument.of(Map.of("event", Map.of("id", "m-2"))).id()).isEqualTo("m-2");
    }

    @Test
    void aValueWithLineBreaksIsWrittenOnOneLine() throws Exception {
        EcsDocument d = EcsDocument.of("{\n \"event\": {\"id\": \"a-1\"},\n \"x\": \"line\\nbreak\"\n}");
        StringBuilder body = new StringBuilder();
        d.appendIndexAction(body, "tlsmon-ecs-x");
        assertThat(body.toString()).isEqualTo("{\"index\":{\"_index\":\"tlsmon-ecs-x\",\"_id\":\"a-1\"}}\n"
                + "{\"event\":{\"id\":\"a-1\"},\"x\":\"line\\nbreak\"}\n");
    }

    @Test
    void anIdIsQuotedAsJson() throws Exception {
        StringBuilder body = new StringBuilder();
        EcsDocument.of("{\"event\":{\"id\":\"a\\\"}}\"}}").appendIndexAction(body, "i");
        assertThat(body.toString()).startsWith("{\"index\":{\"_index\":\"i\",\"_id\":\"a\\\"}}\"}}\n");
    }

    @Test
    void whatIsNoEcsDocumentIsSaidSo() {
        assertThatThrownBy(() -> EcsDocument.of(null)).hasMessageContaining("no value");
        assertThatThrownBy(() -> EcsDocument.of(42)).hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> EcsDocument.of("CEF:0|tlsmon|...")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> EcsDocument.of("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> EcsDocument.of("{\"event\":{}}")).hasMessageContaining("event.id");
        assertThatThrownBy(() -> EcsDocument.of("{\"event\":{\"id\":7}}")).hasMessageContaining("event.id");
    }
}
