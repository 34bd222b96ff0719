package io.tlsmon.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ECS documents against ECS itself (the field definitions of ecs_flat.yml kept in
 * {@code src/test/resources/ecs}) and against the strict index template: every field outside
 * {@code tlsmon.*} is an ECS field of the type the template gives it, and the template maps exactly
 * the fields the documents carry, with values of its types.
 */
class EcsFormatTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record EcsField(String type, boolean array, List<String> allowed) {
    }

    static Map<String, EcsField> ecsFields() throws IOException {
        Map<String, EcsField> fields = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/ecs/9.4.0/ecs-fields.tsv"))) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\t", -1);
            fields.put(c[0], new EcsField(c[1], c[2].equals("array"), c[3].isEmpty() ? List.of() : List.of(c[3].split(","))));
        }
        return fields;
    }

    /** The template's leaf fields and their types. */
    static Map<String, String> templateFields() throws IOException {
        Map<String, String> out = new HashMap<>();
        leaves(MAPPER.readTree(OutputFormat.ecsIndexTemplate()).at("/template/mappings/properties"), "", out);
        return out;
    }

    private static void leaves(JsonNode props, String prefix, Map<String, String> out) {
        props.fields().forEachRemaining(e -> {
            if (e.getValue().has("properties")) {
                leaves(e.getValue().get("properties"), prefix + e.getKey() + ".", out);
            } else {
                out.put(prefix + e.getKey(), e.getValue().get("type").asText());
            }
        });
    }

    /** Every leaf value of a document by dotted path (array items under the array's path). */
    static void flatten(JsonNode node, String path, Map<String, List<JsonNode>> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (node.isArray()) {
            node.forEach(item -> flatten(item, path, out));
        } else {
            out.computeIfAbsent(path, k -> new ArrayList<>()).add(node);
        }
    }

    static List<JsonNode> documents() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (NegotiationAttempt a : FormatSamples.allAttempts()) {
            docs.add(MAPPER.readTree(OutputFormat.ECS.attempt(a)));
        }
        for (Alert a : FormatSamples.allAlerts()) {
            docs.add(MAPPER.readTree(OutputFormat.ECS.alert(a)));
        }
        return docs;
    }

    @Test
    void everyTemplateFieldOutsideTlsmonIsAnEcsFieldOfTheSameType() throws IOException {
        Map<String, EcsField> ecs = ecsFields();
        Map<String, String> template = templateFields();
        for (Map.Entry<String, String> f : template.entrySet()) {
            if (f.getKey().startsWith("tlsmon.")) {
                continue;
            }
            assertThat(ecs).as("ECS field " + f.getKey()).containsKey(f.getKey());
            String ecsType = ecs.get(f.getKey()).type();
            // match_only_text is Elasticsearch's; OpenSearch has text, which ECS names as its fallback.
            String expected = ecsType.equals("match_only_text") ? "text" : ecsType;
            assertThat(f.getValue()).as(f.getKey()).isEqualTo(expected);
        }
        assertThat(ecs.keySet()).as("the ECS list keeps only what the template maps").allMatch(template::containsKey);
    }

    @Test
    void everyDocumentFieldIsMappedByTheTemplateWithAValueOfItsType() throws IOException {
        Map<String, String> template = templateFields();
        Map<String, EcsField> ecs = ecsFields();
        Set<String> seen = new HashSet<>();
        for (JsonNode doc : documents()) {
            Map<String, List<JsonNode>> flat = new HashMap<>();
            flatten(doc, "", flat);
            for (Map.Entry<String, List<JsonNode>> f : flat.entrySet()) {
                String name = f.getKey();
                seen.add(name);
                assertThat(template).as(name + " in " + doc).containsKey(name);
                for (JsonNode v : f.getValue()) {
                    assertThat(fits(template.get(name), v)).as(name + "=" + v + " as " + template.get(name)).isTrue();
                    EcsField def = ecs.get(name);
                    if (def != null && !def.allowed().isEmpty()) {
                        List<String> allowed = def.allowed().stream().map(a -> a.split(":")[0]).toList();
                        assertThat(allowed).as(name).contains(v.asText());
                    }
                }
                if (ecs.containsKey(name) && !ecs.get(name).array()) {
                    assertThat(doc.at("/" + name.replace('.', '/')).isArray()).as(name + " is not an array in ECS").isFalse();
                }
            }
            expectedTypesOfCategories(doc, ecs);
        }
        assertThat(template.keySet()).as("the template maps no field the documents never carry").allMatch(seen::contains);
    }

    /** ECS: each event.type must be one the event.category values expect. */
    private static void expectedTypesOfCategories(JsonNode doc, Map<String, EcsField> ecs) {
        Set<String> expected = new HashSet<>();
        for (JsonNode c : doc.at("/event/category")) {
            ecs.get("event.category").allowed().stream().filter(a -> a.startsWith(c.asText() + ":"))
                    .forEach(a -> expected.addAll(List.of(a.substring(a.indexOf(':') + 1).split("\\+"))));
        }
        for (JsonNode t : doc.at("/event/type")) {
            assertThat(expected).as("event.type " + t + " for categories " + doc.at("/event/category")).contains(t.asText());
        }
    }

    private static boolean fits(String type, JsonNode v) {
        return switch (type) {
            case "keyword", "text" -> v.isTextual();
            case "long" -> v.isIntegralNumber();
            case "boolean" -> v.isBoolean();
            case "ip" -> v.isTextual() && IpLiteral.parse(v.asText()).isPresent();
            case "date" -> {
                try {
                    Instant.parse(v.asText());
                    yield true;
                } catch (RuntimeException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    @Test
    void sourceIsTheInitiatorAndCertificatesGoToTheSideThatSentThem() throws IOException {
        JsonNode out = MAPPER.readTree(OutputFormat.ECS.attempt(FormatSamples.outboundWithCertificates()));
        assertThat(out.at("/event/kind").asText()).isEqualTo("event");
        assertThat(out.at("/event/dataset").asText()).isEqualTo("tlsmon.attempt");
        assertThat(out.at("/event/outcome").asText()).isEqualTo("failure");
        assertThat(out.at("/tls/established").asBoolean(true)).isFalse();
        assertThat(out.at("/tls/version").asText()).isEqualTo("1.2");
        assertThat(out.at("/tls/version_protocol").asText()).isEqualTo("tls");
        assertThat(out.at("/source/ip").asText()).isEqualTo("2001:db8::5");
        assertThat(out.at("/source/port").asInt()).isEqualTo(50123);
        assertThat(out.at("/destination/ip").asText()).isEqualTo("2001:db8::25");
        assertThat(out.at("/destination/domain").asText()).isEqualTo("mx1.contoso.example");
        assertThat(out.at("/network/direction").asText()).isEqualTo("egress");
        assertThat(out.at("/tls/server/x509/subject/distinguished_name").asText()).isEqualTo("CN=mx1.contoso.example");
        assertThat(out.at("/tls/server/x509/not_after").asText()).isEqualTo("2025-01-01T00:00:00.000Z");
        assertThat(out.at("/tls/server/x509/alternative_names").toString()).isEqualTo("[\"mx1.contoso.example\",\"192.0.2.25\"]");
        assertThat(out.at("/tls/server/hash/sha1").asText()).isEqualTo("0123456789ABCDEF0123456789ABCDEF01234567");
        assertThat(out.at("/tls/client/x509/subject/distinguished_name").asText()).isEqualTo("CN=ex01.fabrikam.example, O=Fabrikam");
        assertThat(out.at("/tls/client/hash/sha1").asText()).isEqualTo("A9993E364706816ABA3E25717850C26C9CD0D89D");
        assertThat(out.at("/tlsmon/policy_domain").asText()).isEqualTo("contoso.example");
        assertThat(out.at("/tlsmon/policy_type").asText()).isEqualTo("sts");
        assertThat(out.has("email") && out.get("email").has("to")).as("a policy domain is no address").isFalse();

        JsonNode inbound = MAPPER.readTree(OutputFormat.ECS.attempt(FormatSamples.inboundWithOddCertificate()));
        assertThat(inbound.at("/source/ip").asText()).isEqualTo("192.0.2.44");
        assertThat(inbound.at("/destination/port").asInt()).isEqualTo(25);
        assertThat(inbound.at("/network/direction").asText()).isEqualTo("ingress");
        assertThat(inbound.at("/tls/established").asBoolean()).isTrue();
        assertThat(inbound.at("/tls/client/x509/subject/distinguished_name").asText()).isEqualTo("CN=client.example");
        assertThat(inbound.at("/tls/server/x509/subject/distinguished_name").asText()).isEqualTo("CN=mx.fabrikam.example");
        assertThat(inbound.at("/tls/server/x509").has("not_after")).as("an unreadable date is not typed").isFalse();
        assertThat(inbound.at("/tls/server").has("hash")).as("a thumbprint that is no SHA-1").isFalse();
        assertThat(inbound.at("/tlsmon/certificates/0/not_after").asText()).isEqualTo("sometime");
    }

    @Test
    void alertsAreEcsAlertsWithTheirRule() throws IOException {
        JsonNode out = MAPPER.readTree(OutputFormat.ECS.alert(FormatSamples.alert().build()));
        assertThat(out.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(out.at("/event/dataset").asText()).isEqualTo("tlsmon.alert");
        assertThat(out.at("/event/severity").asInt()).isEqualTo(3);
        assertThat(out.at("/rule/id").asText()).isEqualTo("failure-threshold");
        assertThat(out.at("/rule/description").asText()).isNotBlank();
        assertThat(out.at("/source/ip").asText()).isEqualTo("192.0.2.44");
        assertThat(out.at("/tlsmon/alert_id").asText()).isEqualTo("0d7e4b1a-58a3-3f0e-8c55-6a2f0b1c2d3e");
        assertThat(out.at("/@timestamp").asText()).isEqualTo("2025-03-03T09:00:00.500Z");
    }
}
