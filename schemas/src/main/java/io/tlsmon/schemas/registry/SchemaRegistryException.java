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

    /**
     * Whether the registry may answer later: unreachable, failing (5xx), timing out (408) or shedding
     * load (429). Any other answer (401, 403, 404, 409, 422 ...) is the registry's verdict.
     */
    public boolean isTransient() {
        return isUnreachable() || status >= 500 || status == 408 || status == 429;
    }

    /**
     * Whether the failure is about the data it was asked about rather than the registry or the way it
     * is reached: a schema id the registry does not know (40403), or an answer for that id that holds
     * no usable Avro schema (a 2xx answer that could not be used). A record naming such an id is bad
     * data; every other failure (unreachable, 5xx, refused credentials, a wrong URL answering 404 with
     * no error code, an incompatible schema) would fail every record alike and says nothing about one.
     */
    public boolean isAboutTheData() {
        return errorCode == SCHEMA_NOT_FOUND || (status >= 200 && status < 300);
    }

    /** The registry failure in {@code e}'s chain of causes (the first one), or null if there is none. */
    public static SchemaRegistryException in(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SchemaRegistryException r) {
                return r;
            }
        }
        return null;
    }
}
