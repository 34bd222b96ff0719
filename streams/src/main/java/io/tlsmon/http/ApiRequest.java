package io.tlsmon.http;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One GET: the path below the route it was mounted at, and its query parameters (each at most once:
 * a parameter given twice is a 400, not a guess at which one was meant).
 */
record ApiRequest(String subPath, Map<String, String> params) {

    static ApiRequest of(String mountedAt, URI uri) {
        String path = uri.getRawPath();
        String sub = path.length() > mountedAt.length() ? path.substring(mountedAt.length()) : "";
        sub = sub.startsWith("/") ? sub.substring(1) : sub;
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (params.putIfAbsent(name, value) != null) {
                    throw ApiException.badParameter(name, "given more than once");
                }
            }
        }
        return new ApiRequest(decode(sub), Collections.unmodifiableMap(params));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(null, "bad percent-encoding in " + s);
        }
    }

    /** A parameter's value, absent when not given or empty. */
    Optional<String> param(String name) {
        String v = params.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** Refuses parameters the endpoint does not know: a misspelt one must not be silently ignored. */
    ApiRequest only(Set<String> known) {
        for (String name : params.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badParameter(name, "unknown parameter (known: " + new java.util.TreeSet<>(known) + ")");
            }
        }
        return this;
    }
}
