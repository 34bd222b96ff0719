package io.tlsmon.format;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutputFormatTest {
    @Test
    void formatsByTheirIds() {
        assertThat(OutputFormat.ofId("ecs")).contains(OutputFormat.ECS);
        assertThat(OutputFormat.ofId(" OCSF ")).contains(OutputFormat.OCSF);
        assertThat(OutputFormat.ofId("cef")).contains(OutputFormat.CEF);
        assertThat(OutputFormat.ofId("hec")).contains(OutputFormat.HEC);
        assertThat(OutputFormat.ofId("json")).isEmpty();
        assertThat(OutputFormat.ofId(null)).isEmpty();
        assertThat(OutputFormat.ids()).isEqualTo("ecs, ocsf, cef, hec");
        assertThat(OutputFormat.CEF.isJson()).isFalse();
        assertThat(OutputFormat.ECS.isJson()).isTrue();
    }

    @Test
    void theIndexTemplateIsOnTheClasspath() {
        assertThat(OutputFormat.ecsIndexTemplate()).contains("\"dynamic\": \"strict\"");
    }

    @Test
    void jsonEscapesEveryControlCharacterAndReplacesLoneSurrogates() {
        assertThat(Json.quote("a\"b\\c\n\r\t\b\f\u0000\u001f\u007f\u2028\u2029")).isEqualTo(
                "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\\u2028\\u2029\"");
        assertThat(Json.quote("x\uD800y\uDC00z\uD83D\uDE00")).isEqualTo("\"x\uFFFDy\uFFFDz\uD83D\uDE00\"");
        assertThat(Json.quote("end\uD83D")).isEqualTo("\"end\uFFFD\"");
        assertThat(Json.object(j -> j.object("empty", e -> e.string("none", null)).string("a", "b"))).isEqualTo("{\"a\":\"b\"}");
    }
}
