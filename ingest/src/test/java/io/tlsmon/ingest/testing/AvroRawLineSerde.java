package io.tlsmon.ingest.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.tlsmon.avro.RawLine;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Plain Avro binary for RawLine, standing in for the Schema Registry serde in tests. */
public final class AvroRawLineSerde {
    static {
        // Avro 1.12 refuses to instantiate classes it does not trust; the generated classes are ours
        org.apache.avro.util.ClassSecurityValidator.setGlobal(org.apache.avro.util.ClassSecurityValidator.composite(
            org.apache.avro.util.ClassSecurityValidator.getGlobal(), c -> c.getName().startsWith("io.tlsmon.avro.")));
    }

    private AvroRawLineSerde() {
    }

    public static Serializer<RawLine> serializer() {
        SpecificDatumWriter<RawLine> writer = new SpecificDatumWriter<>(RawLine.class);
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            try {
                writer.write(data, enc);
                enc.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        };
    }

    public static Deserializer<RawLine> deserializer() {
        SpecificDatumReader<RawLine> reader = new SpecificDatumReader<>(RawLine.class);
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, null);
            try {
                return reader.read(null, dec);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
