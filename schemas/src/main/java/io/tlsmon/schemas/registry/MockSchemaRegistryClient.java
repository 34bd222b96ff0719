package io.tlsmon.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * An in-memory registry for tests and for running without a registry ({@code mock://SCOPE}). All
 * clients of one scope in a JVM share one registry, as with Confluent's mock; scopes are isolated.
 * It behaves as a registry with the default BACKWARD rule: ids are global in the scope, increase
 * from 1, and the same schema keeps its id in every subject; errors carry Confluent's codes.
 */
public final class MockSchemaRegistryClient implements SchemaRegistryClient {
    private static final Map<String, Registry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final Registry registry;

    private MockSchemaRegistryClient(String scope, Registry registry) {
        this.scope = scope;
        this.registry = registry;
    }

    /** A client of the registry of {@code scope}, created empty on first use. */
    public static MockSchemaRegistryClient forScope(String scope) {
        if (scope == null || scope.isEmpty()) {
            throw new IllegalArgumentException("scope must not be empty");
        }
        return new MockSchemaRegistryClient(scope, SCOPES.computeIfAbsent(scope, unused -> new Registry()));
    }

    /**
     * Forgets the registry of {@code scope}: clients created later start from an empty one, while
     * existing clients keep the registry they had.
     */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    public String scope() {
        return scope;
    }

    @Override
    public int register(String subject, Schema schema) {
        return registry.register(requireSubject(subject), Objects.requireNonNull(schema, "schema"));
    }

    @Override
    public Schema schemaById(int id) {
        return registry.schemaById(id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registry.latest(requireSubject(subject));
    }

    @Override
    public boolean testCompatibility(String subject, Schema schema) {
        return registry.problems(requireSubject(subject), Objects.requireNonNull(schema, "schema")).isEmpty();
    }

    @Override
    public String toString() {
        return "MockSchemaRegistryClient[" + SchemaRegistryConfig.MOCK_SCHEME + scope + "]";
    }

    private static String requireSubject(String subject) {
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("subject must not be empty");
        }
        return subject;
    }

    /** One scope's registry; synchronized, as registrations are rare. */
    private static final class Registry {
        private final Map<String, Integer> idsBySchemaText = new HashMap<>();
        private final Map<Integer, Schema> schemasById = new HashMap<>();
        private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

        synchronized int register(String subject, Schema schema) {
            String text = schema.toString();
            Integer known = idsBySchemaText.get(text);
            List<Integer> versions = versionsBySubject.get(subject);
            if (known != null && versions != null && versions.contains(known)) {
                return known;
            }
            Optional<String> problems = problems(subject, schema);
            if (problems.isPresent()) {
                throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                        "Schema being registered is incompatible with an earlier schema for subject \""
                                + subject + "\", details: " + problems.get() + " (mock registry)");
            }
            int id = known != null ? known : idsBySchemaText.size() + 1;
            if (known == null) {
                idsBySchemaText.put(text, id);
                schemasById.put(id, schema);
            }
            versionsBySubject.computeIfAbsent(subject, unused -> new ArrayList<>()).add(id);
            return id;
        }

        synchronized Schema schemaById(int id) {
            Schema schema = schemasById.get(id);
            if (schema == null) {
                throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                        "Schema " + id + " not found (mock registry)");
            }
            return schema;
        }

        synchronized RegisteredSchema latest(String subject) {
            List<Integer> versions = versionsBySubject.get(subject);
            if (versions == null || versions.isEmpty()) {
                throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                        "Subject '" + subject + "' not found (mock registry)");
            }
            int id = versions.get(versions.size() - 1);
            return new RegisteredSchema(subject, id, versions.size(), schemasById.get(id));
        }

        synchronized Optional<String> problems(String subject, Schema schema) {
            List<Integer> versions = versionsBySubject.get(subject);
            if (versions == null || versions.isEmpty()) {
                return Optional.empty();
            }
            return BackwardCompatibility.problems(schema, schemasById.get(versions.get(versions.size() - 1)));
        }
    }
}
