package io.tlsmon.http;

import org.apache.kafka.common.config.ConfigException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The API's shared secret. Its {@link #toString()} never shows it, so no log line or answer can carry it by mistake. */
public final class BearerToken {
    /** At least this long: a short token is guessed by trying. */
    static final int MIN_LENGTH = 16;

    private final byte[] value;

    private BearerToken(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    static BearerToken of(String value, String setting) {
        if (value.length() < MIN_LENGTH || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException(setting, "[hidden]", "a token needs at least " + MIN_LENGTH + " printable ASCII characters, no spaces");
        }
        return new BearerToken(value);
    }

    /** Whether an {@code Authorization} header value carries this token; in constant time. */
    boolean admits(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(value, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The header value to send to another instance. */
    String header() {
        return "Bearer " + new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "[hidden]";
    }
}
