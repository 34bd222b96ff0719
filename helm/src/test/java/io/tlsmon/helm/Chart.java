package io.tlsmon.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** The chart in helm/tlsmon, rendered by Helm itself (helm-java), and what the tests read from it. */
final class Chart {
    static final Path MODULE = locateModule();
    static final Path DIR = MODULE.resolve("tlsmon");
    static final Path CI_VALUES = DIR.resolve("ci");
    static final Path INVALID_VALUES = MODULE.resolve("src/test/resources/invalid");
    static final String RELEASE = "mail";
    static final String NAMESPACE = "tls";

    private static final ObjectMapper YAML = new YAMLMapper();

    private Chart() {
    }

    /** The module folder, whether Maven runs in it or in the repository root. */
    private static Path locateModule() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p : List.of(here, here.resolve("helm"))) {
            if (Files.isDirectory(p.resolve("tlsmon/templates"))) {
                return p;
            }
        }
        throw new IllegalStateException("helm/tlsmon not found from " + here);
    }

    static Path repoRoot() {
        return MODULE.getParent();
    }

    /** A named values set: the chart's defaults (no file) or a file layered over them. */
    record ValuesSet(String name, Optional<Path> file) {
        static ValuesSet defaults() {
            return new ValuesSet("defaults", Optional.empty());
        }

        static ValuesSet of(Path file) {
            return new ValuesSet(file.getFileName().toString(), Optional.of(file));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Defaults and every file of helm/tlsmon/ci: the sets that must render. */
    static List<ValuesSet> validSets() {
        List<ValuesSet> sets = new ArrayList<>();
        sets.add(ValuesSet.defaults());
        try (Stream<Path> files = Files.list(CI_VALUES)) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(ValuesSet::of).forEach(sets::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sets;
    }

    static String renderText(ValuesSet set, Map<String, Object> overrides) {
        TemplateCommand t = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        set.file().ifPresent(t::withValuesFile);
        overrides.forEach(t::set);
        return t.call();
    }

    static Rendered render(ValuesSet set) {
        return render(set, Map.of());
    }

    static Rendered render(ValuesSet set, Map<String, Object> overrides) {
        return Rendered.parse(renderText(set, overrides));
    }

    /** The chart's values.yaml with the set's file merged over it, as Helm merges them. */
    static JsonNode values(ValuesSet set) {
        try {
            ObjectNode merged = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
            if (set.file().isPresent()) {
                merge(merged, YAML.readTree(set.file().get().toFile()));
            }
            return merged;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode into, JsonNode over) {
        for (Map.Entry<String, JsonNode> f : over.properties()) {
            JsonNode existing = into.get(f.getKey());
            if (existing instanceof ObjectNode o && f.getValue().isObject()) {
                merge(o, f.getValue());
            } else {
                into.set(f.getKey(), f.getValue());
            }
        }
    }

    /** The documents of one render. */
    record Rendered(String text, List<JsonNode> docs) {
        static Rendered parse(String text) {
            List<JsonNode> docs = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(text)) {
                var it = YAML.readValues(parser, JsonNode.class);
                while (it.hasNext()) {
                    JsonNode d = it.next();
                    if (d != null && !d.isNull() && !d.isMissingNode() && d.size() > 0) {
                        docs.add(d);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("helm template output is not YAML", e);
            }
            return new Rendered(text, docs);
        }

        List<JsonNode> ofKind(String kind) {
            return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> all = ofKind(kind);
            if (all.size() != 1) {
                throw new AssertionError("expected one " + kind + ", rendered " + all.size());
            }
            return all.get(0);
        }

        Optional<JsonNode> named(String kind, String name) {
            return ofKind(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst();
        }

        JsonNode statefulSet() {
            return one("StatefulSet");
        }

        static JsonNode container(JsonNode workload, String name) {
            for (JsonNode c : workload.at("/spec/template/spec/containers")) {
                if (name.equals(c.path("name").asText())) {
                    return c;
                }
            }
            throw new AssertionError("no container " + name + " in " + workload.at("/metadata/name").asText());
        }

        JsonNode streamsContainer() {
            return container(statefulSet(), "tlsmon");
        }

        /** A properties file of the ConfigMap, read as the application reads it. */
        Properties properties(String key) {
            JsonNode data = one("ConfigMap").path("data").path(key);
            if (!data.isTextual()) {
                throw new AssertionError("ConfigMap has no " + key);
            }
            Properties p = new Properties();
            try {
                p.load(new StringReader(data.asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        }
    }

    /** The env entry {@code name} of a container. */
    static Optional<JsonNode> env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static int envIndex(JsonNode container, String name) {
        int i = 0;
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Bytes of a Kubernetes memory quantity. */
    static long bytes(String quantity) {
        var m = java.util.regex.Pattern.compile("^([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$").matcher(quantity);
        if (!m.matches()) {
            throw new AssertionError("not a whole memory quantity: " + quantity);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return n * switch (unit) {
            case "" -> 1L;
            case "k" -> 1000L;
            case "M" -> 1000_000L;
            case "G" -> 1000_000_000L;
            case "T" -> 1000_000_000_000L;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            default -> throw new AssertionError(unit);
        };
    }
}
