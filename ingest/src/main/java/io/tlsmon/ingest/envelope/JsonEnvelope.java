package io.tlsmon.ingest.envelope;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.tlsmon.logs.LogFormat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Field lists of the JSON envelopes. Each concept is looked up in one ordered list shared by all
 * shippers: their field names do not collide (Filebeat's {@code log} is an object, Fluent Bit's is
 * the line), so a record is read the same way whichever tool wrote it, and a tool configured a
 * little differently (Fluent Bit with {@code Key message}) still works.
 */
final class JsonEnvelope {
    /** Message fields, first present wins: Filebeat/Vector, Fluent Bit tail, NXLog, rsyslog. */
    static final List<String> MESSAGE_FIELDS = List.of("message", "log", "raw_event", "Message", "msg");

    private static final List<JsonPointer> HOST = pointers(
            "/host/name", "/host/hostname", "/agent/hostname", // Filebeat (agent.hostname: 7.x)
            "/hostname", "/Hostname", "/host",                  // Fluent Bit, rsyslog, NXLog, Vector
            "/agent/name");                                     // Filebeat 8: the beat name, by default the host name
    private static final List<JsonPointer> PATH = pointers(
            "/log/file/path", "/path", "/file", "/FileName");
    private static final List<JsonPointer> OFFSET = pointers("/log/offset", "/offset");
    private static final List<JsonPointer> TIME = pointers(
            "/@timestamp", "/timestamp", "/date", "/time", "/EventTime", "/EventReceivedTime",
            "/timereported", "/timegenerated");
    /** Fields whose only purpose is to name the kind; an unknown value there fails the record. */
    private static final List<JsonPointer> EXPLICIT_KIND = pointers(
            "/fields/log_kind", "/fields/tlsmon_kind", "/log_kind", "/tlsmon_kind", "/LogKind", "/labels/log_kind");
    /** Fields that may mention a kind among other words. */
    private static final List<JsonPointer> KIND_HINTS = pointers(
            "/event/module", "/event/dataset", "/fileset/name", "/data_stream/dataset",
            "/programname", "/SourceModuleName");
    private static final JsonPointer TAGS = JsonPointer.compile("/tags");

    private final JsonNode root;

    JsonEnvelope(JsonNode root) {
        this.root = root;
    }

    /** The first message field present, or null when there is none. */
    String messageField() {
        for (String name : MESSAGE_FIELDS) {
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                continue;
            }
            if (name.equals("log") && n.isContainerNode()) {
                continue; // Filebeat's ECS "log" object (log.file.path, log.offset)
            }
            return name;
        }
        return null;
    }

    JsonNode field(String name) {
        return root.get(name);
    }

    Shipper shipper(String messageField) {
        if (root.at("/@metadata/beat").isTextual() || "filebeat".equals(text("/agent/type"))
                || root.at("/log/file").isObject() || root.at("/input/type").isTextual()) {
            return Shipper.FILEBEAT;
        }
        if (root.get("source_type") != null) {
            return Shipper.VECTOR;
        }
        if (root.has("SourceModuleName") || root.has("SourceModuleType") || root.has("EventReceivedTime")
                || "raw_event".equals(messageField)) {
            return Shipper.NXLOG;
        }
        if ("msg".equals(messageField)) {
            return Shipper.RSYSLOG_JSON;
        }
        if ("log".equals(messageField) || root.path("@timestamp").isNumber() || root.path("date").isNumber()) {
            return Shipper.FLUENT_BIT;
        }
        return Shipper.OTHER_JSON;
    }

    String host() {
        return firstText(HOST);
    }

    String path() {
        return firstText(PATH);
    }

    Long offset() {
        for (JsonPointer p : OFFSET) {
            JsonNode n = root.at(p);
            if (n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0) {
                return n.longValue();
            }
            if (n.isTextual() && n.textValue().matches("\\d{1,18}")) {
                return Long.parseLong(n.textValue());
            }
        }
        return null;
    }

    /** The first envelope time that reads, or null. */
    Instant time() {
        for (JsonPointer p : TIME) {
            Instant t = EnvelopeTimes.read(root.at(p));
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** An explicit kind field and its raw value. */
    record NamedKind(String field, String value) {
    }

    /** The first explicit kind field set to something other than blank or {@code auto}; or null. */
    NamedKind explicitKind() {
        for (JsonPointer p : EXPLICIT_KIND) {
            JsonNode n = root.at(p);
            if (n.isValueNode() && !n.isNull()) {
                String value = n.asText();
                if (!LogKinds.explicit(value).equals(LogKinds.Explicit.DETECT)) {
                    return new NamedKind(p.toString().substring(1).replace('/', '.'), value);
                }
            }
        }
        return null;
    }

    /** A kind named by ECS module/dataset, a tag, a program name or an NXLog module name; or null. */
    LogFormat hintedKind() {
        for (JsonPointer p : KIND_HINTS) {
            JsonNode n = root.at(p);
            if (n.isTextual()) {
                LogFormat kind = LogKinds.fromHint(n.textValue());
                if (kind != null) {
                    return kind;
                }
            }
        }
        JsonNode tags = root.at(TAGS);
        if (tags.isArray()) {
            for (JsonNode tag : tags) {
                if (tag.isTextual()) {
                    LogFormat kind = LogKinds.fromHint(tag.textValue());
                    if (kind != null) {
                        return kind;
                    }
                }
            }
        }
        return null;
    }

    /** The top-level field names, for a failure message; long lists and names are shortened. */
    String fieldNames() {
        List<String> names = new ArrayList<>();
        int total = 0;
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            total++;
            if (names.size() < 20) {
                names.add(Texts.shorten(name, 40));
            }
        }
        return names + (total > names.size() ? " and " + (total - names.size()) + " more" : "");
    }

    String text(String pointer) {
        JsonNode n = root.at(pointer);
        return n.isTextual() ? n.textValue() : null;
    }

    private String firstText(List<JsonPointer> pointers) {
        for (JsonPointer p : pointers) {
            JsonNode n = root.at(p);
            if (n.isTextual() && !n.textValue().isBlank()) {
                return n.textValue().trim();
            }
        }
        return null;
    }

    private static List<JsonPointer> pointers(String... paths) {
        List<JsonPointer> out = new ArrayList<>(paths.length);
        for (String p : paths) {
            out.add(JsonPointer.compile(p));
        }
        return List.copyOf(out);
    }
}
