package io.tlsmon.http;

import io.tlsmon.format.Json;

import java.nio.charset.StandardCharsets;

/** A status, a media type and a body. */
record ApiResponse(int status, String contentType, byte[] body) {
    static final String JSON = "application/json; charset=utf-8";

    static ApiResponse json(String body) {
        return new ApiResponse(200, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    static ApiResponse of(String contentType, String body) {
        return new ApiResponse(200, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static ApiResponse error(int status, String parameter, String message) {
        return new ApiResponse(status, JSON, Json.object(j -> j.object("error", e -> e
                .number("status", status).string("parameter", parameter).string("message", message)))
                .getBytes(StandardCharsets.UTF_8));
    }
}
