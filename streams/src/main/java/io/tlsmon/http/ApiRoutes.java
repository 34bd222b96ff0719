package io.tlsmon.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The query API's endpoints, as {@code openapi.json} describes them, mounted on an {@link HttpApi}. */
public final class ApiRoutes {
    /** The OpenAPI 3 description, a resource beside this class. */
    static final String OPENAPI_RESOURCE = "openapi.json";

    private ApiRoutes() {
    }

    public static void mount(HttpApi api, StateView view) {
        ApiQueries q = new ApiQueries(view);
        byte[] openapi = openApi();
        api.route("/api/openapi.json", r -> new ApiResponse(200, ApiResponse.JSON, openapi));
        api.route("/api/senders/", q::sender);
        api.route("/api/senders", r -> {
            // the JDK server matches by prefix: /api/sendersX lands here too
            if (!r.subPath().isEmpty()) {
                throw ApiException.notFound("no such path");
            }
            return q.senders(r);
        });
        api.route("/api/alerts/active", exact(q::activeAlerts));
        api.route("/api/readiness", exact(q::readiness));
        api.route("/api/servers", exact(q::servers));
        api.route("/api/summary", exact(q::summary));
        api.route("/api/history", exact(q::history));
        api.route("/api/", r -> {
            throw ApiException.notFound("no such endpoint; see /api/openapi.json");
        });
        Dashboard.mount(api);
    }

    private static ApiHandler exact(ApiHandler h) {
        return r -> {
            if (!r.subPath().isEmpty()) {
                throw ApiException.notFound("no such path; see /api/openapi.json");
            }
            return h.handle(r);
        };
    }

    static byte[] openApi() {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing from the jar: io/tlsmon/http/" + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
