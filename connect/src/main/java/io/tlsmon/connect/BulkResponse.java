package io.tlsmon.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code _bulk} reply says of each document, in the order they were sent.
 *
 * <p>Item status 2xx: indexed. 429 and 5xx: the cluster could not take it now (full write queue,
 * a shard moving): worth sending again. 400: the document itself was refused (a strict mapping's
 * unknown field, a value of the wrong type): sending it again cannot help, it goes to the errant
 * record reporter. Any other status (401, 403, 404 of a missing index that may not be created):
 * the connector's setup is wrong, not the record, and the task stops.
 */
record BulkResponse(List<Item> items) {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Verdict { INDEXED, RETRY, REFUSED, FAILED }

    record Item(Verdict verdict, int status, String reason) {
    }

    /** Reads the reply to a bulk request of {@code sent} documents; an unreadable one is an {@link IllegalStateException}. */
    static BulkResponse parse(String body, int sent) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the _bulk reply is not JSON: " + e.getOriginalMessage());
        }
        JsonNode items = root == null ? null : root.get("items");
        if (items == null || !items.isArray() || items.size() != sent) {
            throw new IllegalStateException("the _bulk reply names " + (items == null ? "no" : items.size()) + " items for "
                    + sent + " documents sent");
        }
        List<Item> out = new ArrayList<>(sent);
        for (JsonNode item : items) {
            JsonNode op = item.path("index");
            int status = op.path("status").asInt(-1);
            out.add(new Item(verdict(status), status, op.has("error") ? reason(op.get("error")) : null));
        }
        return new BulkResponse(out);
    }

    static Verdict verdict(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.INDEXED;
        }
        if (status == 429 || status >= 500) {
            return Verdict.RETRY;
        }
        if (status == 400) {
            return Verdict.REFUSED;
        }
        return Verdict.FAILED;
    }

    /** {@code type: reason} of an item's error, with the cause's reason where the cluster names one. */
    private static String reason(JsonNode error) {
        if (error.isTextual()) {
            return error.asText();
        }
        String r = error.path("type").asText("error") + ": " + error.path("reason").asText("");
        JsonNode cause = error.path("caused_by");
        return cause.isMissingNode() ? r : r + " (" + cause.path("type").asText() + ": " + cause.path("reason").asText() + ")";
    }
}
