package io.tlsmon.schemas.registry;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registry and serde settings, with the keys Confluent's clients and serdes use, read and
 * checked once. Each key may also be given with the {@code schema.registry.} prefix (as Confluent
 * passes client settings through serde configs), except {@link #SCHEMA_REGISTRY_URL_CONFIG} itself.
 *
 * <p>{@link #toString()} never shows a credential.
 */
public final class SchemaRegistryConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC =
            "Comma-separated registry base URLs (http or https), tried in turn when one is unreachable;"
                    + " or mock://<scope> for an in-memory registry shared by all clients of that scope"
                    + " in this JVM.";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC =
            "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL (the user"
                    + " info of the registry URL). Default URL, or USER_INFO when basic.auth.user.info is set.";

    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String BASIC_AUTH_USER_INFO_DOC = "user:password for basic auth with USER_INFO.";

    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE_DOC =
            "STATIC_TOKEN to send bearer.auth.token as a bearer token (the only source supported).";

    public static final String BEARER_AUTH_TOKEN_CONFIG = "bearer.auth.token";
    public static final String BEARER_AUTH_TOKEN_DOC = "The bearer token sent with STATIC_TOKEN.";

    public static final String HTTP_CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
    public static final String HTTP_CONNECT_TIMEOUT_MS_DOC = "Connect timeout per registry URL, in ms.";
    public static final int HTTP_CONNECT_TIMEOUT_MS_DEFAULT = 10_000;

    public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS_DOC =
            "Time allowed for a registry's answer to one request, in ms.";
    public static final int HTTP_READ_TIMEOUT_MS_DEFAULT = 30_000;

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String AUTO_REGISTER_SCHEMAS_DOC =
            "Serializer: register the record's schema under the subject (default true). When false, the"
                    + " serializer uses the subject's latest version, which must be the record's schema"
                    + " unless use.latest.version is true.";

    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    public static final String USE_LATEST_VERSION_DOC =
            "Serializer, with auto.register.schemas=false: write records with the subject's latest"
                    + " version even when it differs from the record's schema (it must be able to read"
                    + " the record's schema). Default false.";

    /** The prefix under which Confluent passes client settings through serde configs. */
    public static final String CLIENT_PREFIX = "schema.registry.";

    static final String MOCK_SCHEME = "mock://";

    private final List<URI> restUrls;
    private final String mockScope;
    private final String authorization;
    private final String authDescription;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final boolean autoRegisterSchemas;
    private final boolean useLatestVersion;

    private SchemaRegistryConfig(Map<String, ?> configs) {
        List<String> urls = readUrls(configs);
        if (urls.get(0).regionMatches(true, 0, MOCK_SCHEME, 0, MOCK_SCHEME.length())) {
            this.mockScope = readMockScope(urls);
            this.restUrls = List.of();
        } else {
            this.mockScope = null;
            this.restUrls = List.copyOf(readRestUrls(urls));
        }
        String[] auth = readAuthorization(configs, urls);
        this.authorization = auth[0];
        this.authDescription = auth[1];
        this.connectTimeout = Duration.ofMillis(readPositiveInt(configs, HTTP_CONNECT_TIMEOUT_MS_CONFIG,
                HTTP_CONNECT_TIMEOUT_MS_DEFAULT));
        this.requestTimeout = Duration.ofMillis(readPositiveInt(configs, HTTP_READ_TIMEOUT_MS_CONFIG,
                HTTP_READ_TIMEOUT_MS_DEFAULT));
        this.autoRegisterSchemas = readBoolean(configs, AUTO_REGISTER_SCHEMAS_CONFIG, true);
        this.useLatestVersion = readBoolean(configs, USE_LATEST_VERSION_CONFIG, false);
    }

    /**
     * Reads and checks the settings.
     *
     * @throws SchemaRegistryConfigException naming the key of a missing or malformed setting
     */
    public static SchemaRegistryConfig from(Map<String, ?> configs) {
        return new SchemaRegistryConfig(configs == null ? Map.of() : configs);
    }

    /** The scope of a {@code mock://} URL, or empty for a REST registry. */
    public Optional<String> mockScope() {
        return Optional.ofNullable(mockScope);
    }

    /** The REST base URLs, without user info and without a trailing slash; empty for mock. */
    public List<URI> restUrls() {
        return restUrls;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public boolean autoRegisterSchemas() {
        return autoRegisterSchemas;
    }

    public boolean useLatestVersion() {
        return useLatestVersion;
    }

    /**
     * {@link #AUTO_REGISTER_SCHEMAS_CONFIG} alone, for serdes given a client (no URL needed).
     *
     * @throws SchemaRegistryConfigException when the value is not a boolean
     */
    public static boolean autoRegisterSchemas(Map<String, ?> configs) {
        return readBoolean(configs == null ? Map.of() : configs, AUTO_REGISTER_SCHEMAS_CONFIG, true);
    }

    /** {@link #USE_LATEST_VERSION_CONFIG} alone, for serdes given a client (no URL needed). */
    public static boolean useLatestVersion(Map<String, ?> configs) {
        return readBoolean(configs == null ? Map.of() : configs, USE_LATEST_VERSION_CONFIG, false);
    }

    /** "none", "basic" or "bearer": safe to show. */
    public String authentication() {
        return authDescription;
    }

    /** The value of the Authorization header, or null. Package-private: it holds a credential. */
    String authorizationHeader() {
        return authorization;
    }

    @Override
    public String toString() {
        return "SchemaRegistryConfig{urls=" + (mockScope != null ? MOCK_SCHEME + mockScope : restUrls)
                + ", auth=" + authDescription
                + ", connectTimeout=" + connectTimeout.toMillis() + "ms"
                + ", requestTimeout=" + requestTimeout.toMillis() + "ms"
                + ", autoRegisterSchemas=" + autoRegisterSchemas
                + ", useLatestVersion=" + useLatestVersion + "}";
    }

    // ---- reading -------------------------------------------------------------------------

    private static List<String> readUrls(Map<String, ?> configs) {
        Object raw = configs.get(SCHEMA_REGISTRY_URL_CONFIG);
        List<String> parts = new ArrayList<>();
        if (raw instanceof Collection<?> list) {
            for (Object item : list) {
                parts.add(item == null ? "" : item.toString());
            }
        } else if (raw != null) {
            parts.addAll(List.of(raw.toString().split(",", -1)));
        }
        if (parts.stream().allMatch(p -> p.isBlank())) {
            throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG,
                    "missing; set it to the registry URL(s), e.g. http://localhost:8081,"
                            + " or mock://<scope> for an in-memory registry");
        }
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String url = parts.get(i).trim();
            if (url.isEmpty()) {
                throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG,
                        "entry " + (i + 1) + " of the comma-separated list is empty");
            }
            urls.add(url);
        }
        return urls;
    }

    private static String readMockScope(List<String> urls) {
        if (urls.size() > 1) {
            throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG,
                    "a mock:// URL must be the only URL (got " + urls.size() + " URLs)");
        }
        String scope = urls.get(0).substring(MOCK_SCHEME.length());
        while (scope.endsWith("/")) {
            scope = scope.substring(0, scope.length() - 1);
        }
        if (scope.isEmpty()) {
            throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG,
                    "mock:// needs a scope name, e.g. mock://tlsmon-test");
        }
        return scope;
    }

    private static List<URI> readRestUrls(List<String> urls) {
        List<URI> result = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String text = urls.get(i);
            String where = "entry " + (i + 1) + " (" + withoutUserInfo(text) + ")";
            if (text.regionMatches(true, 0, MOCK_SCHEME, 0, MOCK_SCHEME.length())) {
                throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG,
                        "cannot mix mock:// and http(s) URLs");
            }
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG,
                        where + " is not a valid URL");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG,
                        where + " must start with http://, https:// or mock://");
            }
            if (uri.getHost() == null) {
                throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG, where + " has no host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new SchemaRegistryConfigException(SCHEMA_REGISTRY_URL_CONFIG,
                        where + " must not have a query or fragment");
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String authority = uri.getRawAuthority();
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            result.add(URI.create(scheme + "://" + authority + path));
        }
        return result;
    }

    /** The URL as text with any user info replaced, for messages. */
    static String withoutUserInfo(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = url.indexOf('/', start);
        String authority = end < 0 ? url.substring(start) : url.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        return url.substring(0, start) + "***@" + authority.substring(at + 1) + (end < 0 ? "" : url.substring(end));
    }

    /** Returns {header value or null, description}. */
    private static String[] readAuthorization(Map<String, ?> configs, List<String> urls) {
        String basicSource = readString(configs, BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG);
        String userInfo = readString(configs, BASIC_AUTH_USER_INFO_CONFIG);
        String bearerSource = readString(configs, BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG);
        String token = readString(configs, BEARER_AUTH_TOKEN_CONFIG);

        String basic = null;
        String source = basicSource == null ? (userInfo != null ? "USER_INFO" : "URL")
                : basicSource.trim().toUpperCase(Locale.ROOT);
        switch (source) {
            case "USER_INFO" -> {
                if (userInfo == null || userInfo.isEmpty()) {
                    throw new SchemaRegistryConfigException(BASIC_AUTH_USER_INFO_CONFIG,
                            "missing; USER_INFO credentials need user:password");
                }
                basic = basicHeader(userInfo, BASIC_AUTH_USER_INFO_CONFIG);
            }
            case "URL" -> {
                for (String url : urls) {
                    String info = rawUserInfo(url);
                    if (info != null) {
                        basic = basicHeader(decodePercent(info), SCHEMA_REGISTRY_URL_CONFIG);
                        break;
                    }
                }
            }
            default -> throw new SchemaRegistryConfigException(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                    "unsupported value " + quoted(basicSource) + "; use USER_INFO or URL");
        }

        String bearer = null;
        if (bearerSource != null && !bearerSource.isBlank()) {
            if (!bearerSource.trim().equalsIgnoreCase("STATIC_TOKEN")) {
                throw new SchemaRegistryConfigException(BEARER_AUTH_CREDENTIALS_SOURCE_CONFIG,
                        "unsupported value " + quoted(bearerSource) + "; only STATIC_TOKEN is supported");
            }
            if (token == null || token.isBlank()) {
                throw new SchemaRegistryConfigException(BEARER_AUTH_TOKEN_CONFIG, "missing; STATIC_TOKEN needs a token");
            }
        }
        if (token != null && !token.isBlank()) {
            bearer = "Bearer " + token.trim();
        }
        if (basic != null && bearer != null) {
            throw new SchemaRegistryConfigException(BEARER_AUTH_TOKEN_CONFIG,
                    "both basic and bearer credentials are configured; configure one");
        }
        if (basic != null) {
            return new String[] {basic, "basic"};
        }
        if (bearer != null) {
            return new String[] {bearer, "bearer"};
        }
        return new String[] {null, "none"};
    }

    private static String basicHeader(String userInfo, String key) {
        if (userInfo.indexOf(':') < 0) {
            // Never echo the value: it may be a password typed in the wrong place.
            throw new SchemaRegistryConfigException(key, "credentials must have the form user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static String rawUserInfo(String url) {
        try {
            return new URI(url).getRawUserInfo();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String decodePercent(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }

    /** The value of {@code key}, or of {@code schema.registry.<key>}; null when absent. */
    static String readString(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null && !key.startsWith(CLIENT_PREFIX)) {
            value = configs.get(CLIENT_PREFIX + key);
        }
        return value == null ? null : plainText(value);
    }

    /**
     * Kafka hands secrets over as {@code org.apache.kafka.common.config.types.Password}, whose
     * toString() is "[hidden]". Read it reflectively: this package must not need Kafka.
     */
    private static String plainText(Object value) {
        if (value.getClass().getName().equals("org.apache.kafka.common.config.types.Password")) {
            try {
                Method method = value.getClass().getMethod("value");
                return (String) method.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read a Kafka Password value", e);
            }
        }
        return value.toString();
    }

    private static boolean readBoolean(Map<String, ?> configs, String key, boolean defaultValue) {
        String value = readString(configs, key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SchemaRegistryConfigException(key, "expected true or false, got " + quoted(value));
        };
    }

    private static int readPositiveInt(Map<String, ?> configs, String key, int defaultValue) {
        String value = readString(configs, key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SchemaRegistryConfigException(key, "expected a positive number of milliseconds, got " + quoted(value));
    }
}
