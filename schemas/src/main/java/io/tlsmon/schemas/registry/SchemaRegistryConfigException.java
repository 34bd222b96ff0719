package io.tlsmon.schemas.registry;

/**
 * A missing or malformed registry or serde setting. The message names the key and never repeats a
 * credential.
 */
public class SchemaRegistryConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public SchemaRegistryConfigException(String key, String problem) {
        super("Invalid configuration \"" + key + "\": " + problem);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
