package io.tlsmon.schemas;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.avro.SenderState;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Tells Avro's class security check to trust our own generated classes.
 *
 * <p>Since Avro 1.12.2 every class that a specific reader or writer looks up by name must be
 * trusted, including the application's own generated records (Avro's regression AVRO-4189 /
 * apache/avro#3693), unless {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} is set at JVM start.
 * This trusts exactly the {@link AvroGenerated} classes named in the schema of a class the code
 * itself asks for, never a class named only by data, so the check keeps guarding against writer
 * schemas that name arbitrary classes. It wraps Avro's JVM-wide predicate once; other trust
 * settings stay in force.
 */
public final class AvroClassTrust {
    private static final Set<String> TRUSTED = ConcurrentHashMap.newKeySet();
    private static volatile ClassSecurityPredicate installed;

    private AvroClassTrust() {
    }

    /** Trusts {@code type} and the generated records, enums and fixed types of its schema. */
    public static void trust(Class<? extends SpecificRecord> type) {
        Schema schema = SpecificData.getForClass(type).getSchema(type);
        Set<String> names = new HashSet<>();
        collectNamedTypes(schema, names, new HashSet<>());
        for (String name : names) {
            try {
                Class<?> candidate = Class.forName(name, false, type.getClassLoader());
                if (candidate.isAnnotationPresent(AvroGenerated.class)) {
                    TRUSTED.add(candidate.getName());
                }
            } catch (ClassNotFoundException e) {
                // a named type without a generated class is read generically: nothing to trust
            }
        }
        install();
    }

    /** Trusts every record type of tlsmon's topics (and the types nested in them). */
    public static void trustTlsmonRecords() {
        trust(RawLine.class);
        trust(NegotiationAttempt.class);
        trust(SenderState.class);
        trust(Alert.class);
        trust(DeadLetter.class);
    }

    /** Whether {@code className} was trusted here. */
    public static boolean isTrusted(String className) {
        return TRUSTED.contains(className);
    }

    private static synchronized void install() {
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        if (current == installed) {
            return;
        }
        ClassSecurityPredicate wrapped = new ClassSecurityPredicate() {
            @Override
            public boolean isTrusted(Class<?> clazz) {
                return TRUSTED.contains(clazz.getName()) || current.isTrusted(clazz);
            }

            @Override
            public void forbiddenClass(String className) {
                current.forbiddenClass(className);
            }
        };
        ClassSecurityValidator.setGlobal(wrapped);
        installed = wrapped;
    }

    private static void collectNamedTypes(Schema schema, Set<String> names, Set<Schema> seen) {
        if (!seen.add(schema)) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                names.add(schema.getFullName());
                for (Schema.Field field : schema.getFields()) {
                    collectNamedTypes(field.schema(), names, seen);
                }
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case ARRAY -> collectNamedTypes(schema.getElementType(), names, seen);
            case MAP -> collectNamedTypes(schema.getValueType(), names, seen);
            case UNION -> schema.getTypes().forEach(branch -> collectNamedTypes(branch, names, seen));
            default -> {
                // primitives name no class
            }
        }
    }
}
