package io.tlsmon.alert;

import io.tlsmon.avro.AlertState;
import io.tlsmon.schemas.AvroClassTrust;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An {@link InMemoryAlertStore} seen through Avro bytes, as the RocksDB store of Streams is: every
 * read gives a fresh copy, so a state the engine changes but does not put back is lost here too.
 */
final class SerialisingAlertStore implements AlertStore {
    static {
        AvroClassTrust.trust(AlertState.class);
    }

    private final InMemoryAlertStore stored;
    private final SpecificDatumWriter<AlertState> writer = new SpecificDatumWriter<>(AlertState.class);
    private final SpecificDatumReader<AlertState> reader = new SpecificDatumReader<>(AlertState.class);

    SerialisingAlertStore(InMemoryAlertStore stored) {
        this.stored = stored;
    }

    private AlertState copy(AlertState st) {
        if (st == null) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(st, enc);
            enc.flush();
            return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public AlertState get(String key) {
        return copy(stored.get(key));
    }

    @Override
    public void put(String key, AlertState state) {
        stored.put(key, copy(state));
    }

    @Override
    public List<AlertState> forSender(String sender) {
        return stored.forSender(sender).stream().map(this::copy).toList();
    }

    /** Every state, as a full scan of the store gives them. */
    List<AlertState> all() {
        return stored.all().stream().map(this::copy).toList();
    }

    @Override
    public int raisedInHour(AlertRule rule, long hourStart) {
        return stored.raisedInHour(rule, hourStart);
    }

    @Override
    public void countRaised(AlertRule rule, long hourStart) {
        stored.countRaised(rule, hourStart);
    }

    @Override
    public boolean noteSuppressed(String key, long hourStart) {
        return stored.noteSuppressed(key, hourStart);
    }
}
