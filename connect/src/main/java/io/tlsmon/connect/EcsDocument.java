package io.tlsmon.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One record of tlsmon's ECS format topic as the document to index: its {@code event.id} (the
 * attempt's or alert event's id, unique and stable) is the document's {@code _id}, so a record
 * Connect delivers again overwrites its first copy instead of adding a second one.
 */
record EcsDocument(String id, String json) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown for a record that is no ECS document; the task reports it like a document the index refused. */
    static final class NotADocument extends Exception {
        NotADocument(String message) {
            super(message);
        }
    }

    /**
     * The document of a record value: a JSON text ({@code StringConverter}), its UTF-8 bytes
     * ({@code ByteArrayConverter}) or the map {@code JsonConverter} makes of it with
     * {@code schemas.enable=false}. Written out again compactly, so a value with line breaks cannot
     * break the bulk body's one-document-per-line framing.
     */
    static EcsDocument of(Object value) throws NotADocument {
        JsonNode tree;
        try {
            if (value instanceof String s) {
                tree = JSON.readTree(s);
            } else if (value instanceof byte[] b) {
                tree = JSON.readTree(new String(b, StandardCharsets.UTF_8));
            } else if (value instanceof Map<?, ?> m) {
                tree = JSON.valueToTree(m);
            } else {
                throw new NotADocument(value == null ? "the record has no value" : "a record value of "
                        + value.getClass().getName() + " is no JSON document (use StringConverter)");
            }
        } catch (JsonProcessingException e) {
            throw new NotADocument("the record value is not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new NotADocument("the record value is not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new NotADocument("the record value is not a JSON object");
        }
        JsonNode id = tree.path("event").path("id");
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new NotADocument("the document has no event.id (is this tlsmon's ECS topic?)");
        }
        try {
            return new EcsDocument(id.asText(), JSON.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new NotADocument("the document cannot be written out again: " + e.getOriginalMessage());
        }
    }

    /** The two lines of this document's {@code index} action in a bulk body. */
    void appendIndexAction(StringBuilder body, String index) {
        body.append("{\"index\":{\"_index\":").append(quote(index)).append(",\"_id\":").append(quote(id)).append("}}\n")
                .append(json).append('\n');
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
