package io.tlsmon.schemas.serde;

/** Confluent's framing: magic byte 0, the schema id as a 4-byte big-endian int, then Avro binary. */
final class WireFormat {
    static final byte MAGIC_BYTE = 0;
    static final int ID_SIZE = 4;
    static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {
    }

    static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    static int readSchemaId(byte[] data) {
        return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
    }
}
