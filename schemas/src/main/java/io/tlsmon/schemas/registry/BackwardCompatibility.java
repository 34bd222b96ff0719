package io.tlsmon.schemas.registry;

import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The registry's default rule, BACKWARD: a new schema must be able to read data written with the
 * latest registered one.
 */
public final class BackwardCompatibility {
    private BackwardCompatibility() {
    }

    /** Why {@code candidate} cannot read data written with {@code latest}; empty when it can. */
    public static Optional<String> problems(Schema candidate, Schema latest) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        String details = result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .collect(Collectors.joining("; "));
        return Optional.of(details.isEmpty() ? result.getDescription() : details);
    }

    public static boolean canRead(Schema reader, Schema writer) {
        return problems(reader, writer).isEmpty();
    }
}
