package io.tlsmon.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that the serdes need. Implementations cache what
 * cannot change (a schema's id in a subject, the schema of an id), so that once a schema is known
 * the per-record path makes no remote call.
 *
 * <p>Errors are {@link SchemaRegistryException}s carrying the registry's HTTP status and
 * {@code error_code}.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} (idempotent: the same schema gets the same id)
     * and returns its global id. Fails with error code 409 when the schema is not compatible with
     * the subject's latest version, 42201 when the registry finds it invalid.
     */
    int register(String subject, Schema schema);

    /** The schema with this global id; fails with error code 40403 when no such id exists. */
    Schema schemaById(int id);

    /** The latest version of a subject; fails with error code 40401 when the subject does not exist. */
    RegisteredSchema latest(String subject);

    /**
     * Whether {@code schema} may be registered as the next version of {@code subject} under the
     * backward rule: it can read data written with the latest version. A subject with no version
     * yet accepts any schema, so this returns true for it.
     */
    boolean testCompatibility(String subject, Schema schema);

    /** Releases what the client holds; the default holds nothing. */
    @Override
    default void close() {
    }
}
