package io.tlsmon.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.EvidenceRef;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * One alert as one JSON object with the field names of the {@code Alert} record, times in ISO-8601
 * UTC; {@code "record":"alert"} first. Printed by {@code classify} and {@code demo} with
 * {@code --output jsonl}, beside the {@link AttemptJson} lines.
 */
public final class AlertJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private AlertJson() {
    }

    public static String toJson(Alert a) {
        StringWriter w = new StringWriter(1024);
        write(a, w);
        return w.toString();
    }

    public static void write(Alert a, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("record", "alert");
            g.writeStringField("id", a.getId());
            g.writeStringField("type", a.getType().name());
            g.writeStringField("rule", a.getRule());
            g.writeStringField("severity", a.getSeverity().name());
            g.writeStringField("sender", a.getSender());
            g.writeStringField("senderName", a.getSenderName());
            g.writeStringField("direction", a.getDirection().name());
            g.writeStringField("outcome", a.getOutcome().name());
            g.writeStringField("probableCause", a.getProbableCause() == null ? null : a.getProbableCause().name());
            g.writeNumberField("count", a.getCount());
            g.writeNumberField("windowMs", a.getWindowMs());
            g.writeStringField("windowStart", a.getWindowStart().toString());
            g.writeStringField("windowEnd", a.getWindowEnd().toString());
            g.writeStringField("tlsVersion", a.getTlsVersion());
            g.writeStringField("error", a.getError());
            g.writeStringField("destination", a.getDestination());
            evidence(g, "firstEvidence", a.getFirstEvidence());
            evidence(g, "lastEvidence", a.getLastEvidence());
            g.writeStringField("summary", a.getSummary());
            g.writeStringField("remediation", a.getRemediation());
            g.writeStringField("time", a.getTime().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void evidence(JsonGenerator g, String name, EvidenceRef e) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("server", e.getServer());
        g.writeStringField("sessionId", e.getSessionId());
        g.writeStringField("time", e.getTime().toString());
        g.writeEndObject();
    }
}
