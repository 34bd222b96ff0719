package io.tlsmon.topology;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** The free and total bytes of the filesystem that holds a Kafka Streams state directory. */
interface StateDirectorySpace {
    /** Bytes this process may still write there; -1 when the filesystem cannot be asked. */
    long usableBytes();

    /** The size of the filesystem; -1 when it cannot be asked. */
    long totalBytes();

    static StateDirectorySpace of(Path stateDir) {
        return new StateDirectorySpace() {
            @Override
            public long usableBytes() {
                try {
                    return store().getUsableSpace();
                } catch (IOException e) {
                    return -1;
                }
            }

            @Override
            public long totalBytes() {
                try {
                    return store().getTotalSpace();
                } catch (IOException e) {
                    return -1;
                }
            }

            private FileStore store() throws IOException {
                // the directory itself may be gone (deleted by hand): its filesystem is its nearest parent's
                Path p = stateDir.toAbsolutePath();
                while (p.getParent() != null && !Files.exists(p)) {
                    p = p.getParent();
                }
                return Files.getFileStore(p);
            }
        };
    }
}
