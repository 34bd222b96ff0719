package io.tlsmon.http;

/** A request the API answers with a 4xx or 5xx and a JSON error naming what was wrong. */
final class ApiException extends RuntimeException {
    final int status;
    final String parameter;

    ApiException(int status, String parameter, String message) {
        super(message);
        this.status = status;
        this.parameter = parameter;
    }

    static ApiException badParameter(String parameter, String message) {
        return new ApiException(400, parameter, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, null, message);
    }

    static ApiException unavailable(String message) {
        return new ApiException(503, null, message);
    }
}
