package io.tlsmon.http;

/** One endpoint: a GET in, an answer out; throws {@link ApiException} for what the caller got wrong. */
@FunctionalInterface
interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
