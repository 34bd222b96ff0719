package io.tlsmon.schemas.registry;

import java.util.Map;

/** Creates the registry client that the settings ask for. */
public final class SchemaRegistries {
    private SchemaRegistries() {
    }

    /**
     * A {@link MockSchemaRegistryClient} for {@code schema.registry.url=mock://SCOPE}, otherwise a
     * {@link RestSchemaRegistryClient} for the comma-separated http(s) URLs.
     *
     * @throws SchemaRegistryConfigException (an IllegalArgumentException) naming the key of a missing
     *     or malformed setting, e.g. {@code schema.registry.url}
     */
    public static SchemaRegistryClient client(Map<String, ?> configs) {
        return client(SchemaRegistryConfig.from(configs));
    }

    /** As {@link #client(Map)}, from settings already read. */
    public static SchemaRegistryClient client(SchemaRegistryConfig config) {
        return config.mockScope()
                .<SchemaRegistryClient>map(MockSchemaRegistryClient::forScope)
                .orElseGet(() -> RestSchemaRegistryClient.create(config));
    }
}
