package io.tlsmon.format;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SIEM formats of attempts and alerts. The topology's format topics and {@code tlsmon classify
 * --output} both go through here, so a record reads the same wherever it is taken.
 */
public enum OutputFormat {
    /** Elastic Common Schema 9.x JSON, for Elasticsearch and OpenSearch ({@link #ecsIndexTemplate()}). */
    ECS("ecs", true),
    /** OCSF 1.8.0 JSON: attempts as Network Activity (4001), alerts as Detection Finding (2004). */
    OCSF("ocsf", true),
    /** ArcSight CEF (revision 25) lines, for ArcSight, QRadar and syslog collectors. */
    CEF("cef", false),
    /** Splunk HTTP Event Collector events ({@code /services/collector/event}). */
    HEC("hec", true);

    /** The classpath resource of the strict Elasticsearch/OpenSearch index template for {@link #ECS}. */
    public static final String ECS_INDEX_TEMPLATE_RESOURCE = "/io/tlsmon/format/ecs-index-template.json";

    private final String id;
    private final boolean json;

    OutputFormat(String id, boolean json) {
        this.id = id;
        this.json = json;
    }

    /** The lower-case name of flags, settings and topic names: {@code ecs}, {@code ocsf}, {@code cef}, {@code hec}. */
    public String id() {
        return id;
    }

    /** Whether each record is one JSON object (so a stream of them is NDJSON). */
    public boolean isJson() {
        return json;
    }

    /** The mapping with a site's options. */
    public RecordFormatter formatter(FormatOptions options) {
        return switch (this) {
            case ECS -> EcsFormat.INSTANCE;
            case OCSF -> OcsfFormat.INSTANCE;
            case CEF -> CefFormat.INSTANCE;
            case HEC -> new HecFormat(options);
        };
    }

    /** One attempt in this format, default options. */
    public String attempt(NegotiationAttempt attempt) {
        return formatter(FormatOptions.DEFAULTS).attempt(attempt);
    }

    /** One alert in this format, default options. */
    public String alert(Alert alert) {
        return formatter(FormatOptions.DEFAULTS).alert(alert);
    }

    /** The format of an {@link #id()}; empty for any other text (case matters not). */
    public static Optional<OutputFormat> ofId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equalsIgnoreCase(id == null ? "" : id.trim())).findFirst();
    }

    /** The ids, comma-separated, for messages that list the choices. */
    public static String ids() {
        return Arrays.stream(values()).map(OutputFormat::id).collect(Collectors.joining(", "));
    }

    /** The strict index template (composable, {@code _index_template} API) for the {@link #ECS} records. */
    public static String ecsIndexTemplate() {
        try (InputStream in = OutputFormat.class.getResourceAsStream(ECS_INDEX_TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ECS_INDEX_TEMPLATE_RESOURCE + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
