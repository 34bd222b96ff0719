package io.tlsmon.http;

import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the HTTP API listens and who may call it, read from {@link TlsmonConfig} and checked: an
 * API reachable from other hosts without a token is refused at start-up, naming the setting.
 *
 * @param port           -1: no API; 0: any free port
 * @param advertisedHost what the other instances call this one at
 * @param token          the bearer token every request must carry, when set
 * @param corsOrigin     the one origin allowed to read answers from a browser, when set
 */
public record HttpSettings(String bind, int port, String advertisedHost, Optional<BearerToken> token,
                           Optional<String> corsOrigin, Duration queryTimeout) {

    public boolean enabled() {
        return port >= 0;
    }

    /** @throws ConfigException naming the setting that is wrong or missing */
    public static HttpSettings of(TlsmonConfig config) {
        String bind = config.getString(TlsmonConfig.HTTP_BIND_CONFIG).trim();
        int port = config.getInt(TlsmonConfig.HTTP_PORT_CONFIG);
        Optional<BearerToken> token = token(config);
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ConfigException(TlsmonConfig.HTTP_BIND_CONFIG, bind, "not an address of this host");
        }
        if (port >= 0 && !address.isLoopbackAddress() && token.isEmpty()) {
            throw new ConfigException(TlsmonConfig.HTTP_BIND_CONFIG, bind, "the API would be reachable from other hosts "
                    + "without authentication: set " + TlsmonConfig.HTTP_TOKEN_CONFIG + " or " + TlsmonConfig.HTTP_TOKEN_FILE_CONFIG
                    + " (or bind to 127.0.0.1, or " + TlsmonConfig.HTTP_PORT_CONFIG + "=-1 for no API)");
        }
        String advertised = config.getString(TlsmonConfig.HTTP_ADVERTISED_HOST_CONFIG).trim();
        if (advertised.isEmpty()) {
            if (address.isAnyLocalAddress()) {
                throw new ConfigException(TlsmonConfig.HTTP_ADVERTISED_HOST_CONFIG, "", "needed when "
                        + TlsmonConfig.HTTP_BIND_CONFIG + " is a wildcard address (" + bind + "): the other instances must know where to call");
            }
            advertised = bind;
        }
        String origin = config.getString(TlsmonConfig.HTTP_CORS_ORIGIN_CONFIG).trim();
        return new HttpSettings(bind, port, advertised, token, origin.isEmpty() ? Optional.empty() : Optional.of(origin),
                Duration.ofMillis(config.getLong(TlsmonConfig.HTTP_QUERY_TIMEOUT_MS_CONFIG)));
    }

    private static Optional<BearerToken> token(TlsmonConfig config) {
        Password inline = config.getPassword(TlsmonConfig.HTTP_TOKEN_CONFIG);
        String file = config.getString(TlsmonConfig.HTTP_TOKEN_FILE_CONFIG).trim();
        if (!inline.value().isEmpty() && !file.isEmpty()) {
            throw new ConfigException(TlsmonConfig.HTTP_TOKEN_FILE_CONFIG, file, "give either it or " + TlsmonConfig.HTTP_TOKEN_CONFIG + ", not both");
        }
        if (!file.isEmpty()) {
            try {
                String first = Files.readString(Path.of(file), StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
                if (first.isEmpty()) {
                    throw new ConfigException(TlsmonConfig.HTTP_TOKEN_FILE_CONFIG, file, "the file holds no token");
                }
                return Optional.of(BearerToken.of(first, TlsmonConfig.HTTP_TOKEN_FILE_CONFIG));
            } catch (IOException e) {
                throw new ConfigException(TlsmonConfig.HTTP_TOKEN_FILE_CONFIG, file, "cannot be read: " + e.getMessage());
            }
        }
        return inline.value().isEmpty() ? Optional.empty() : Optional.of(BearerToken.of(inline.value(), TlsmonConfig.HTTP_TOKEN_CONFIG));
    }
}
