package io.tlsmon.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tlsmon.avro.Evidence;
import io.tlsmon.avro.NegotiationAttempt;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * One attempt as one JSON object, with the field names of the classification contract; times in
 * ISO-8601 UTC. The {@code classify --output jsonl} and {@code demo --output jsonl} format; the
 * leading {@code "record":"attempt"} tells it from an {@link AlertJson} line.
 */
public final class AttemptJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private AttemptJson() {
    }

    public static String toJson(NegotiationAttempt a) {
        StringWriter w = new StringWriter(512);
        write(a, w);
        return w.toString();
    }

    public static void write(NegotiationAttempt a, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("record", "attempt");
            g.writeStringField("id", a.getId());
            g.writeStringField("server", a.getServer());
            g.writeStringField("sourceKind", a.getSourceKind());
            g.writeStringField("direction", a.getDirection().name());
            g.writeStringField("sessionId", a.getSessionId());
            g.writeStringField("remoteIp", a.getRemoteIp());
            if (a.getRemotePort() != null) {
                g.writeNumberField("remotePort", a.getRemotePort());
            } else {
                g.writeNullField("remotePort");
            }
            g.writeStringField("remoteHost", a.getRemoteHost());
            g.writeStringField("localEndpoint", a.getLocalEndpoint());
            g.writeStringField("connector", a.getConnector());
            g.writeStringField("startTime", a.getStartTime().toString());
            g.writeStringField("endTime", a.getEndTime().toString());
            g.writeStringField("outcome", a.getOutcome().name());
            g.writeStringField("tlsVersion", a.getTlsVersion());
            g.writeStringField("cipher", a.getCipher());
            g.writeStringField("error", a.getError());
            g.writeStringField("probableCause", a.getProbableCause() == null ? null : a.getProbableCause().name());
            if (a.getTlsRequired() != null) {
                g.writeBooleanField("tlsRequired", a.getTlsRequired());
            } else {
                g.writeNullField("tlsRequired");
            }
            g.writeStringField("tlsrptResultType", a.getTlsrptResultType());
            g.writeArrayFieldStart("evidence");
            for (Evidence e : a.getEvidence()) {
                g.writeStartObject();
                g.writeStringField("file", e.getSource());
                g.writeNumberField("line", e.getLine());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
