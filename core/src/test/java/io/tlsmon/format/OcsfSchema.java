package io.tlsmon.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A validator of OCSF events read from the schema's own definitions kept in
 * {@code src/test/resources/ocsf/<version>} (class and object files with their {@code extends}
 * chains, the attribute dictionary and its types): required attributes present, no attribute the
 * class or object does not define, every value of its dictionary type (regex, length and range of
 * the type included), enum ids among the defined ones, the {@code at_least_one}/{@code just_one}
 * constraints, and the uids that follow from the class: {@code category_uid}, {@code class_uid}
 * ({@code category * 1000 + class}) and {@code type_uid} ({@code class_uid * 100 + activity_id}).
 */
final class OcsfSchema {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path root;
    private final JsonNode dictionary;
    private final JsonNode types;
    private final JsonNode categories;
    private final Map<String, Path> classFiles = new LinkedHashMap<>();

    OcsfSchema(Path root) {
        this.root = root;
        this.dictionary = read(root.resolve("dictionary.json")).get("attributes");
        this.types = read(root.resolve("dictionary.json")).get("types").get("attributes");
        this.categories = read(root.resolve("categories.json")).get("attributes");
        try (var walk = Files.walk(root.resolve("events"))) {
            walk.filter(p -> p.toString().endsWith(".json")).forEach(p -> classFiles.put(read(p).get("name").asText(), p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems of one event of the named class (e.g. {@code network_activity}); empty when it is valid. */
    List<String> validate(String className, JsonNode event) {
        List<String> errors = new ArrayList<>();
        ObjectNode cls = merged(classFiles, className, "events");
        JsonNode attributes = cls.get("attributes");
        checkObject(event, attributes, cls.get("constraints"), "", errors);
        String category = cls.path("category").asText();
        int categoryUid = categories.get(category).get("uid").asInt();
        int classUid = categoryUid * 1000 + cls.get("uid").asInt();
        expect(errors, "category_uid", event.path("category_uid").asLong(), categoryUid);
        expect(errors, "class_uid", event.path("class_uid").asLong(), classUid);
        expect(errors, "type_uid", event.path("type_uid").asLong(), classUid * 100L + event.path("activity_id").asLong());
        expectText(errors, "class_name", event.path("class_name").asText(null), cls.get("caption").asText());
        expectText(errors, "category_name", event.path("category_name").asText(null), categories.get(category).get("caption").asText());
        return errors;
    }

    private static void expect(List<String> errors, String name, long actual, long expected) {
        if (actual != expected) {
            errors.add(name + " is " + actual + ", the class makes it " + expected);
        }
    }

    private static void expectText(List<String> errors, String name, String actual, String expected) {
        if (actual != null && !actual.equals(expected)) {
            errors.add(name + " is '" + actual + "', the class calls it '" + expected + "'");
        }
    }

    private void checkObject(JsonNode value, JsonNode attributes, JsonNode constraints, String path, List<String> errors) {
        if (!value.isObject()) {
            errors.add(path + ": not an object");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            if ("required".equals(a.getValue().path("requirement").asText()) && !value.has(a.getKey())) {
                errors.add(path + a.getKey() + ": required, missing");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode local = attributes.get(f.getKey());
            if (local == null) {
                errors.add(path + f.getKey() + ": not an attribute here");
                continue;
            }
            checkAttribute(f.getKey(), f.getValue(), local, path + f.getKey(), errors);
        }
        if (constraints != null) {
            List<String> atLeastOne = names(constraints.path("at_least_one"));
            if (!atLeastOne.isEmpty() && atLeastOne.stream().noneMatch(value::has)) {
                errors.add(path + ": needs at least one of " + atLeastOne);
            }
            List<String> justOne = names(constraints.path("just_one"));
            if (!justOne.isEmpty() && justOne.stream().filter(value::has).count() != 1) {
                errors.add(path + ": needs exactly one of " + justOne);
            }
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private void checkAttribute(String name, JsonNode value, JsonNode local, String path, List<String> errors) {
        JsonNode def = dictionary.get(name);
        if (def == null) {
            errors.add(path + ": not in the dictionary");
            return;
        }
        if (def.path("is_array").asBoolean(false)) {
            if (!value.isArray()) {
                errors.add(path + ": must be an array");
                return;
            }
            int i = 0;
            for (JsonNode item : value) {
                checkValue(item, def, local, path + "[" + i++ + "]", errors);
            }
        } else {
            checkValue(value, def, local, path, errors);
        }
    }

    private void checkValue(JsonNode value, JsonNode def, JsonNode local, String path, List<String> errors) {
        String type = def.get("type").asText();
        if (type.equals("object")) {
            if (!value.isObject()) {
                errors.add(path + ": must be an object");
            }
            return; // the generic object: any content, by definition
        }
        if (!type.endsWith("_t")) {
            ObjectNode object = mergedObject(type);
            checkObject(value, object.get("attributes"), object.get("constraints"), path + ".", errors);
            return;
        }
        checkScalar(value, type, path, errors);
        JsonNode enumeration = local.has("enum") ? local.get("enum") : def.get("enum");
        // The schema compiler fills the class and category uid enums per class: validate() checks them against the class.
        boolean compiled = path.equals("class_uid") || path.equals("category_uid");
        if (enumeration != null && !compiled && !enumeration.has(value.asText())) {
            errors.add(path + ": " + value + " is not one of the enum ids " + names(enumNames(enumeration)));
        }
    }

    private static JsonNode enumNames(JsonNode enumeration) {
        var array = MAPPER.createArrayNode();
        enumeration.fieldNames().forEachRemaining(array::add);
        return array;
    }

    private void checkScalar(JsonNode value, String type, String path, List<String> errors) {
        JsonNode t = types.get(type);
        if (t == null) {
            errors.add(path + ": unknown type " + type);
            return;
        }
        String base = t.has("type") ? t.get("type").asText() : type;
        boolean ok = switch (base) {
            case "string_t" -> value.isTextual();
            case "integer_t" -> value.isInt();
            case "long_t" -> value.isIntegralNumber() && value.canConvertToLong();
            case "boolean_t" -> value.isBoolean();
            case "float_t" -> value.isNumber();
            case "json_t" -> true;
            default -> false;
        };
        if (!ok) {
            errors.add(path + ": " + value + " is not a " + type);
            return;
        }
        if (t.has("regex") && !Pattern.compile(t.get("regex").asText()).matcher(value.asText()).find()) {
            errors.add(path + ": '" + value.asText() + "' does not match the " + type + " pattern");
        }
        if (t.has("max_len") && value.asText().length() > t.get("max_len").asInt()) {
            errors.add(path + ": longer than the " + type + " limit " + t.get("max_len").asInt());
        }
        if (t.has("range")) {
            long v = value.asLong();
            if (v < t.get("range").get(0).asLong() || v > t.get("range").get(1).asLong()) {
                errors.add(path + ": " + v + " outside " + t.get("range"));
            }
        }
    }

    private ObjectNode mergedObject(String name) {
        Map<String, Path> objects = new LinkedHashMap<>();
        return merged(objects, name, "objects");
    }

    /** A class or object with the attributes of its {@code extends} chain, the nearest definition winning key by key. */
    private ObjectNode merged(Map<String, Path> known, String name, String folder) {
        Path file = known.containsKey(name) ? known.get(name) : root.resolve(folder).resolve(name + ".json");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no OCSF definition of '" + name + "' kept in " + root.resolve(folder)
                    + ": copy it from the schema repository");
        }
        ObjectNode own = (ObjectNode) read(file);
        ObjectNode result;
        if (own.has("extends")) {
            result = merged(known, own.get("extends").asText(), folder);
        } else {
            result = MAPPER.createObjectNode();
            result.set("attributes", MAPPER.createObjectNode());
        }
        ObjectNode attributes = (ObjectNode) result.get("attributes");
        for (Iterator<Map.Entry<String, JsonNode>> it = own.path("attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            if (a.getKey().equals("$include")) {
                continue; // profiles: tlsmon applies none, so their attributes stay unknown
            }
            ObjectNode combined = attributes.has(a.getKey()) ? ((ObjectNode) attributes.get(a.getKey())).deepCopy() : MAPPER.createObjectNode();
            combined.setAll((ObjectNode) a.getValue());
            attributes.set(a.getKey(), combined);
        }
        for (String key : List.of("uid", "caption", "category", "constraints")) {
            if (own.has(key)) {
                result.set(key, own.get(key));
            }
        }
        return result;
    }

    private static JsonNode read(Path p) {
        try {
            return MAPPER.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
