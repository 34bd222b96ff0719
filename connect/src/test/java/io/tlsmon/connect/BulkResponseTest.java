package io.tlsmon.connect;

import io.tlsmon.connect.BulkResponse.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulkResponseTest {
    /** The shape OpenSearch 2.19 answers: one item per action, in order, each with its status. */
    private static final String REPLY = """
            {"took":5,"errors":true,"items":[
             {"index":{"_index":"t","_id":"a","_version":1,"result":"created","status":201}},
             {"index":{"_index":"t","_id":"b","_version":2,"result":"updated","status":200}},
             {"index":{"_index":"t","_id":"c","status":400,"error":{"type":"strict_dynamic_mapping_exception",
               "reason":"mapping set to strict, dynamic introduction of [x] within [_doc] is not allowed"}}},
             {"index":{"_index":"t","_id":"d","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}},
             {"index":{"_index":"t","_id":"e","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary not active"}}},
             {"index":{"_index":"t","_id":"f","status":403,"error":{"type":"security_exception","reason":"no permissions",
               "caused_by":{"type":"x","reason":"y"}}}}]}""";

    @Test
    void eachItemGetsItsVerdictInOrder() {
        BulkResponse r = BulkResponse.parse(REPLY, 6);
        assertThat(r.items()).extracting(BulkResponse.Item::verdict)
                .containsExactly(Verdict.INDEXED, Verdict.INDEXED, Verdict.REFUSED, Verdict.RETRY, Verdict.RETRY, Verdict.FAILED);
        assertThat(r.items().get(2).reason()).startsWith("strict_dynamic_mapping_exception: mapping set to strict");
        assertThat(r.items().get(5).reason()).isEqualTo("security_exception: no permissions (x: y)");
        assertThat(r.items().get(0).reason()).isNull();
    }

    @Test
    void aReplyThatDoesNotMatchWhatWasSentIsAnError() {
        assertThatThrownBy(() -> BulkResponse.parse(REPLY, 5)).hasMessageContaining("6 items for 5");
        assertThatThrownBy(() -> BulkResponse.parse("<html>", 1)).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> BulkResponse.parse("{\"error\":\"x\"}", 1)).hasMessageContaining("no items");
    }

    @Test
    void statusVerdicts() {
        assertThat(BulkResponse.verdict(201)).isEqualTo(Verdict.INDEXED);
        assertThat(BulkResponse.verdict(299)).isEqualTo(Verdict.INDEXED);
        assertThat(BulkResponse.verdict(300)).isEqualTo(Verdict.FAILED);
        assertThat(BulkResponse.verdict(400)).isEqualTo(Verdict.REFUSED);
        assertThat(BulkResponse.verdict(404)).isEqualTo(Verdict.FAILED);
        assertThat(BulkResponse.verdict(429)).isEqualTo(Verdict.RETRY);
        assertThat(BulkResponse.verdict(500)).isEqualTo(Verdict.RETRY);
        assertThat(BulkResponse.verdict(-1)).isEqualTo(Verdict.FAILED);
    }
}
