package io.tlsmon.ingest.broker;

import java.util.Map;
import java.util.Properties;

/**
 * The settings that say how a client reaches a secured cluster (TLS, SASL): every client of one
 * command (its producer, and the consumer and admin it also opens) takes all of them, or the ones
 * left out connect in plaintext to a TLS listener and read its handshake as a response size.
 */
public final class ClientSecurity {
    private ClientSecurity() {
    }

    /** Whether {@code key} is one of them: {@code security.protocol}, {@code ssl.*}, {@code sasl.*}, {@code client.dns.lookup}. */
    public static boolean isSecuritySetting(String key) {
        return key.startsWith("ssl.") || key.startsWith("sasl.") || key.equals("security.protocol") || key.equals("client.dns.lookup");
    }

    /** Copies those of {@code from} into {@code to}. */
    public static void copy(Map<String, ?> from, Properties to) {
        from.forEach((k, v) -> {
            if (isSecuritySetting(k)) {
                to.put(k, v);
            }
        });
    }
}
