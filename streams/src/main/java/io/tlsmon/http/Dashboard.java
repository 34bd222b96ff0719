package io.tlsmon.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard page at {@code /}: one HTML page, its script and its style, kept as resources
 * (no front-end build), reading the query API from the browser.
 */
final class Dashboard {
    /** Path served to resource and media type; anything else outside /api is a 404. */
    private static final Map<String, String[]> FILES = Map.of(
            "", new String[]{"dashboard/index.html", "text/html; charset=utf-8"},
            "dashboard.js", new String[]{"dashboard/dashboard.js", "text/javascript; charset=utf-8"},
            "dashboard.css", new String[]{"dashboard/dashboard.css", "text/css; charset=utf-8"});

    private Dashboard() {
    }

    static void mount(HttpApi api) {
        Map<String, ApiResponse> pages = new java.util.HashMap<>();
        FILES.forEach((path, file) -> pages.put(path, new ApiResponse(200, file[1], read(file[0]))));
        api.route("/", r -> {
            ApiResponse page = pages.get(r.subPath());
            if (page == null) {
                throw ApiException.notFound("no such page: /" + r.subPath());
            }
            return page;
        });
    }

    private static byte[] read(String resource) {
        try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource missing from the jar: io/tlsmon/http/" + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
