package io.tlsmon.cli;

import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Gathers settings, later sources winning: built-in defaults, the {@code --config} properties file,
 * {@code TLSMON_*} environment variables, then command-line flags. {@code TLSMON_SASL_JAAS_CONFIG}
 * becomes {@code sasl.jaas.config}; {@code TLSMON_ALERT_FAILURE_THRESHOLD} becomes the tlsmon key
 * {@code tlsmon.alert.failure.threshold}, since that one exists. Secrets can so stay out of files.
 */
final class ConfigLoader {
    /** Variables of the launcher, not settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("TLSMON_REBUILD", "TLSMON_HOME");

    private ConfigLoader() {
    }

    static Map<String, Object> load(Path file, Map<String, String> env, Map<String, Object> flags) {
        Map<String, Object> props = new LinkedHashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read --config " + file + ": " + e.getMessage());
            }
            p.forEach((k, v) -> props.put(k.toString().trim(), v.toString().trim()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith("TLSMON_") && !NOT_SETTINGS.contains(name)) {
                props.put(keyOf(name.substring("TLSMON_".length())), value);
            }
        });
        props.putAll(flags);
        requireCredentials(props);
        return props;
    }

    /**
     * A SASL protocol without {@code sasl.jaas.config} (and no JAAS file for the JVM) has no
     * credentials to log in with: the Kafka client would only say it found no {@code KafkaClient} entry.
     */
    static void requireCredentials(Map<String, Object> settings) {
        Object protocol = settings.get("security.protocol");
        if (protocol != null && protocol.toString().trim().toUpperCase(Locale.ROOT).startsWith("SASL_")
                && !settings.containsKey("sasl.jaas.config") && System.getProperty("java.security.auth.login.config") == null) {
            throw new ConfigException("security.protocol=" + protocol + " needs credentials: set sasl.jaas.config (for SCRAM: "
                    + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"...\" password=\"...\";), "
                    + "in --config or as TLSMON_SASL_JAAS_CONFIG");
        }
    }

    static String keyOf(String envSuffix) {
        String key = envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
        return TlsmonConfig.DEFINITION.names().contains("tlsmon." + key) ? "tlsmon." + key : key;
    }

    /**
     * Settings of a command that produces for the Streams application ({@code ship}, {@code replay}):
     * it must use the same schema registry, and only tlsmon's and the registry's keys are validated
     * as tlsmon settings (the rest are client settings).
     *
     * @throws ConfigException naming what is missing or wrong
     */
    static TlsmonConfig producerSide(Map<String, Object> settings) {
        if (!settings.containsKey(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG)) {
            throw new ConfigException(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG + " is needed: the registry the tlsmon Streams application uses");
        }
        Map<String, Object> own = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith("tlsmon.") || k.startsWith("schema.registry.") || k.startsWith("basic.auth.") || k.startsWith("bearer.auth.")) {
                own.put(k, v);
            }
        });
        return new TlsmonConfig(own);
    }

    /**
     * Refuses an in-memory registry ({@code mock://}, also the default) for a Streams application
     * against an external cluster: that registry lives in one process, so each instance would give
     * the same schema its own id, lines shipped through a real registry could not be read, and a task
     * moved to another instance could not read its changelog back. Only the in-process broker, which
     * lives and dies with the one process, may use it.
     *
     * @throws ConfigException naming the setting
     */
    static void requireSharedRegistry(Map<String, Object> settings) {
        Object url = settings.get(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG + " is needed against an external cluster ("
                    + settings.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG) + "): the registry that tlsmon ship and replay use too");
        }
        if (url.toString().trim().startsWith("mock://")) {
            throw new ConfigException(TlsmonConfig.SCHEMA_REGISTRY_URL_CONFIG + "=" + url + " is an in-memory registry of this process: "
                    + "against an external cluster every instance would have its own schema ids, and what another process wrote "
                    + "(shipped lines, changelogs) could not be read. Give the cluster's Schema Registry URL.");
        }
    }
}
