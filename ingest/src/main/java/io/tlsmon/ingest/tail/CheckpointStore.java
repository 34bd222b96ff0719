package io.tlsmon.ingest.tail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One JSON file per shipper, {@code <dir>/<shipperId>.checkpoint.json}, replaced atomically: the new
 * content goes to a temporary file that is fsynced and then moved over the old one with
 * {@code ATOMIC_MOVE}, so a crash leaves either the old or the new checkpoint, never half of one.
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private final Path temp;

    public CheckpointStore(Path dir, String shipperId) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint folder " + dir, e);
        }
        this.file = dir.resolve(shipperId + ".checkpoint.json");
        this.temp = dir.resolve(shipperId + ".checkpoint.json.tmp");
    }

    public Path file() {
        return file;
    }

    public Optional<Checkpoint> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Checkpoint.class));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable checkpoint " + file
                + " (delete it to rebuild the positions from the topic)", e);
        }
    }

    public void write(Checkpoint checkpoint) {
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(checkpoint);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }
}
