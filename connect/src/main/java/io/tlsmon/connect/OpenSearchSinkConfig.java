package io.tlsmon.connect;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of {@link TlsmonOpenSearchSinkConnector}, each declared once here with its doc and
 * validator. A bad value stops the connector's start with a {@link ConfigException} naming the
 * setting (the worker's REST answer and the connector's status carry it).
 */
public final class OpenSearchSinkConfig extends AbstractConfig {
    public static final String URL = "opensearch.url";
    public static final String INDEX = "index";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String BATCH_SIZE = "batch.size";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";

    /** OpenSearch's and Elasticsearch's default http.max_content_length is 100 MB; 500 ECS records are about 1 MB. */
    static final int DEFAULT_BATCH_SIZE = 500;

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new HttpUrl(), Importance.HIGH,
                    "Base URL of the OpenSearch or Elasticsearch cluster's REST API, http or https, e.g. "
                            + "https://search.example:9200 (a path prefix of a proxy is kept). The worker's JVM trust store "
                            + "decides which https certificates are trusted.")
            .define(INDEX, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new IndexName(), Importance.HIGH,
                    "The index (or alias, or data stream) every record is written to, e.g. tlsmon-ecs-records so that "
                            + "tlsmon's strict ECS index template (pattern tlsmon-ecs-*) applies to it.")
            .define(USERNAME, Type.STRING, null, Importance.MEDIUM,
                    "User of HTTP basic authentication; unset: no Authorization header. Needs " + PASSWORD + ".")
            .define(PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of " + USERNAME + " (a Connect config provider such as ${file:...} keeps it out of the "
                            + "connector's config).")
            .define(BATCH_SIZE, Type.INT, DEFAULT_BATCH_SIZE, Range.between(1, 10_000), Importance.MEDIUM,
                    "Most records in one _bulk request; a put() of more records is sent in several requests.")
            .define(REQUEST_TIMEOUT_MS, Type.INT, 30_000, Range.between(1_000, 600_000), Importance.LOW,
                    "How long one _bulk request may take before it counts as a connection error (and is retried).")
            .define(RETRY_BACKOFF_MS, Type.LONG, 1_000L, Range.between(0, 600_000), Importance.LOW,
                    "How long Connect waits before it hands the same records to the task again after a retriable "
                            + "error (429, 5xx, no connection).");

    public OpenSearchSinkConfig(Map<String, String> props) {
        super(DEFINITION, props);
        if ((getString(USERNAME) == null) != (getPassword(PASSWORD) == null)) {
            String missing = getString(USERNAME) == null ? USERNAME : PASSWORD;
            throw new ConfigException(missing, null, "basic authentication needs both " + USERNAME + " and " + PASSWORD);
        }
    }

    /** The {@code _bulk} endpoint under the base URL. */
    URI bulkUri() {
        String base = getString(URL);
        return URI.create((base.endsWith("/") ? base : base + "/") + "_bulk");
    }

    String index() {
        return getString(INDEX);
    }

    int batchSize() {
        return getInt(BATCH_SIZE);
    }

    Duration requestTimeout() {
        return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS));
    }

    long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    /** The {@code Authorization} header value of basic authentication, when configured. */
    Optional<String> authorization() {
        String user = getString(USERNAME);
        Password password = getPassword(PASSWORD);
        if (user == null || password == null) {
            return Optional.empty();
        }
        String pair = user + ':' + password.value();
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** An absolute http or https URL with a host, without query or fragment (the bulk path is appended to it). */
    static final class HttpUrl implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                throw new ConfigException(name, null, "an http(s) URL is required");
            }
            try {
                URI u = new URI(((String) value).trim());
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw new ConfigException(name, value, "the URL must be http:// or https://");
                }
                if (u.getHost() == null) {
                    throw new ConfigException(name, value, "the URL names no host");
                }
                if (u.getRawQuery() != null || u.getRawFragment() != null) {
                    throw new ConfigException(name, value, "the URL must have no query or fragment");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getReason());
            }
        }

        @Override
        public String toString() {
            return "http(s)://host[:port][/path]";
        }
    }

    /**
     * OpenSearch's and Elasticsearch's index name rules (MetadataCreateIndexService): lower case, not
     * empty, at most 255 bytes, none of {@code \ / * ? " < > | space , #} and no {@code :}, not
     * starting with {@code - _ +}, not {@code .} or {@code ..}.
     */
    static final class IndexName implements ConfigDef.Validator {
        private static final String FORBIDDEN = "\\/*?\"<>| ,#:";

        @Override
        public void ensureValid(String name, Object value) {
            String s = (String) value;
            if (s == null || s.isEmpty()) {
                throw new ConfigException(name, value, "an index name is required");
            }
            if (!s.equals(s.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name, value, "index names are lower case");
            }
            if (s.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new ConfigException(name, value, "index names are at most 255 bytes");
            }
            if (s.equals(".") || s.equals("..") || "-_+".indexOf(s.charAt(0)) >= 0) {
                throw new ConfigException(name, value, "an index name cannot be . or .. or start with - _ +");
            }
            for (int i = 0; i < s.length(); i++) {
                if (FORBIDDEN.indexOf(s.charAt(i)) >= 0 || Character.isISOControl(s.charAt(i))) {
                    throw new ConfigException(name, value, "an index name cannot contain " + FORBIDDEN + " or control characters");
                }
            }
        }

        @Override
        public String toString() {
            return "a lower-case OpenSearch/Elasticsearch index name";
        }
    }
}
