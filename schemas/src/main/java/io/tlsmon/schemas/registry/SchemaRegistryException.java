package io.tlsmon.schemas.registry;

/**
 * A failed registry call. {@link #status()} is the HTTP status ({@link #NO_STATUS} when no registry
 * answered) and {@link #errorCode()} the {@code error_code} of Confluent's error body
 * ({@link #NO_ERROR_CODE} when the body had none). Messages never contain credentials.
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int NO_STATUS = -1;
    public static final int NO_ERROR_CODE = -1;

    /** Confluent's error codes (see the Schema Registry API reference). */
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int STORE_ERROR = 50001;
    public static final int OPERATION_TIMEOUT = 50002;
    public static final int FORWARDING_ERROR = 50003;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        this(status, errorCode, message, null);
    }

    public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** No registry could be reached (every URL failed with an I/O error or a timeout). */
    public static SchemaRegistryException unreachable(String message, Throwable cause) {
        return new SchemaRegistryException(NO_STATUS, NO_ERROR_CODE, message, cause);
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /** True when no registry answered at all, as opposed to a registry answering with an error. */
    public boolean isUnreachable() {
        return status == NO_STATUS;
    }

    public boolean isSubjectNotFound() {
        return errorCode == SUBJECT_NOT_FOUND;
    }

    public boolean isSchemaNotFound() {
        return errorCode == SCHEMA_NOT_FOUND;
    }

    public boolean isIncompatible() {
        return errorCode == INCOMPATIBLE_SCHEMA;
    }

    public boolean isInvalidSchema() {
        return errorCode == INVALID_SCHEMA;
    }
}
