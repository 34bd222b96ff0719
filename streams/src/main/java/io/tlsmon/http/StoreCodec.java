package io.tlsmon.http;

import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.SenderState;
import io.tlsmon.schemas.AvroClassTrust;
import io.tlsmon.topology.StoreNames;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one instance hands the entries of a store to another: key and value, the Avro records in
 * their single-object encoding (fingerprinted, so a peer on another schema version fails loudly
 * rather than misreading). Only the stores the API reads are served.
 */
abstract class StoreCodec<V> {
    static final String MEDIA_TYPE = "application/x-tlsmon-store-entries";

    static {
        // Avro checks every class its readers look up by name; these are the ones this reads
        AvroClassTrust.trust(SenderState.class);
        AvroClassTrust.trust(AlertState.class);
    }

    static final StoreCodec<SenderState> SENDER_STATES = new StoreCodec<>(StoreNames.SENDER_STATES) {
        @Override
        byte[] encode(SenderState v) throws IOException {
            return bytes(v.toByteBuffer());
        }

        @Override
        SenderState decode(byte[] b) throws IOException {
            return SenderState.fromByteBuffer(ByteBuffer.wrap(b));
        }
    };

    static final StoreCodec<AlertState> ALERT_STATES = new StoreCodec<>(StoreNames.ALERT_STATES) {
        @Override
        byte[] encode(AlertState v) throws IOException {
            return bytes(v.toByteBuffer());
        }

        @Override
        AlertState decode(byte[] b) throws IOException {
            return AlertState.fromByteBuffer(ByteBuffer.wrap(b));
        }
    };

    static final StoreCodec<Long> STREAM_CLOCKS = new LongCodec(StoreNames.STREAM_CLOCKS);
    static final StoreCodec<Long> LOG_LINES = new LongCodec(StoreNames.LOG_LINES);
    static final StoreCodec<Long> OUTCOME_HISTORY = new LongCodec(StoreNames.OUTCOME_HISTORY);

    static final List<StoreCodec<?>> ALL = List.of(SENDER_STATES, ALERT_STATES, STREAM_CLOCKS, LOG_LINES, OUTCOME_HISTORY);

    private static final class LongCodec extends StoreCodec<Long> {
        LongCodec(String store) {
            super(store);
        }

        @Override
        byte[] encode(Long v) {
            return ByteBuffer.allocate(8).putLong(v).array();
        }

        @Override
        Long decode(byte[] b) {
            return ByteBuffer.wrap(b).getLong();
        }
    }

    final String store;

    private StoreCodec(String store) {
        this.store = store;
    }

    static StoreCodec<?> of(String store) {
        return ALL.stream().filter(c -> c.store.equals(store)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no such store served: " + store));
    }

    abstract byte[] encode(V value) throws IOException;

    abstract V decode(byte[] bytes) throws IOException;

    byte[] write(Map<String, V> entries) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (Map.Entry<String, V> e : entries.entrySet()) {
                byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] v = encode(e.getValue());
                out.writeInt(k.length);
                out.write(k);
                out.writeInt(v.length);
                out.write(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    Map<String, V> read(byte[] body) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
            int n = in.readInt();
            Map<String, V> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                byte[] k = new byte[in.readInt()];
                in.readFully(k);
                byte[] v = new byte[in.readInt()];
                in.readFully(v);
                out.put(new String(k, StandardCharsets.UTF_8), decode(v));
            }
            return out;
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
