package io.tlsmon.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the chart must agree with, read from the application's sources: its setting keys, the
 * environment-variable rule of ConfigLoader and the options of its commands. Read from the source
 * text, so that this module builds and tests without the application's jars (-pl helm, no -am),
 * and a renamed key or option fails the chart's tests instead of a pod at start-up.
 */
final class SourceFacts {
    private static final Path STREAMS = Chart.repoRoot().resolve("streams/src/main/java/io/tlsmon");

    private SourceFacts() {
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** Every key TlsmonConfig defines: its *_CONFIG constants and tlsmon.topic.output.<format>. */
    static Set<String> tlsmonConfigKeys() {
        Set<String> keys = all(Pattern.compile("_CONFIG\\s*=\\s*\"([a-z0-9.]+)\""), read(STREAMS.resolve("topology/TlsmonConfig.java")));
        String formats = read(Chart.repoRoot().resolve("core/src/main/java/io/tlsmon/format/OutputFormat.java"));
        for (String id : all(Pattern.compile("^\\s*[A-Z]+\\(\"([a-z]+)\"", Pattern.MULTILINE), formats)) {
            keys.add("tlsmon.topic.output." + id);
        }
        if (keys.size() < 20 || !keys.contains("tlsmon.rocksdb.memory.bytes")) {
            throw new IllegalStateException("TlsmonConfig's keys were not found in its source: " + keys);
        }
        return keys;
    }

    /** The setting TLSMON_{@code suffix} stands for, by ConfigLoader.keyOf's rule. */
    static String keyOfEnv(String variable) {
        if (!variable.startsWith("TLSMON_")) {
            throw new IllegalArgumentException(variable);
        }
        String key = variable.substring("TLSMON_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
        return tlsmonConfigKeys().contains("tlsmon." + key) ? "tlsmon." + key : key;
    }

    /** The ConfigLoader rule this test relies on is still the one in the source. */
    static boolean configLoaderMapsEnvAsAssumed() {
        String loader = read(STREAMS.resolve("cli/ConfigLoader.java"));
        return loader.contains("name.startsWith(\"TLSMON_\")")
                && loader.contains("toLowerCase(Locale.ROOT).replace('_', '.')")
                && loader.contains("names().contains(\"tlsmon.\" + key) ? \"tlsmon.\" + key : key");
    }

    /** The option names of a picocli command class of the cli package ({@code ShipCommand}). */
    static Set<String> options(String commandClass) {
        return all(Pattern.compile("names\\s*=\\s*\"(--[a-z-]+)\""), read(STREAMS.resolve("cli/" + commandClass + ".java")));
    }

    /** The subcommand name of a command class ({@code run}, {@code ship}). */
    static String commandName(String commandClass) {
        Matcher m = Pattern.compile("@Command\\(name\\s*=\\s*\"([a-z-]+)\"").matcher(read(STREAMS.resolve("cli/" + commandClass + ".java")));
        if (!m.find()) {
            throw new IllegalStateException("no @Command name in " + commandClass);
        }
        return m.group(1);
    }

    /** The paths of the health endpoints, from OpsEndpoints. */
    static String opsPath(String constant) {
        Matcher m = Pattern.compile(constant + "\\s*=\\s*\"(/[a-z/]+)\"").matcher(read(STREAMS.resolve("ops/OpsEndpoints.java")));
        if (!m.find()) {
            throw new IllegalStateException("no " + constant + " in OpsEndpoints");
        }
        return m.group(1);
    }

    /** TlsmonConfig.isSecret's rule is still the one {@link #isSecretKey} copies. */
    static boolean tlsmonConfigHidesAsAssumed() {
        String config = read(STREAMS.resolve("topology/TlsmonConfig.java")).replaceAll("\\s+", " ");
        return config.contains("return k.contains(\"password\") || k.contains(\"secret\") || k.contains(\"jaas\") || k.contains(\"token\")"
                + " || k.contains(\"user.info\") || k.endsWith(\".key\") || k.contains(\"credentials\");");
    }

    /** TlsmonConfig.isSecret's rule, as the application hides values: the chart must never carry them. */
    static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.contains("user.info") || k.endsWith(".key") || k.contains("credentials");
    }
}
