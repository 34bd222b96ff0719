package io.tlsmon.cli;

import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;

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
        return props;
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

    /** Client security settings (ssl.*, sasl.*, security.protocol) that apply to a producer as they are. */
    static boolean isClientSetting(String key) {
        return key.startsWith("ssl.") || key.startsWith("sasl.") || key.equals("security.protocol") || key.equals("client.dns.lookup");
    }
}
