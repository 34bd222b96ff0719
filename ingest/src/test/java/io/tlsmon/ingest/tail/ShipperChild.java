package io.tlsmon.ingest.tail;

import java.nio.file.Path;
import java.util.List;

import io.tlsmon.ingest.testing.AvroRawLineSerde;

/**
 * A shipper in a process of its own, for {@link ShipperCrashIT} to kill with SIGKILL.
 * Args: bootstrap topic shipperId checkpointDir logDir
 */
public final class ShipperChild {
    private ShipperChild() {
    }

    public static void main(String[] args) {
        ShipperConfig config = ShipperConfig.builder()
            .bootstrapServers(args[0])
            .topic(args[1])
            .shipperId(args[2])
            .sourceHost("mx-crash")
            .checkpointDir(Path.of(args[3]))
            .source(new TailSource("postfix", List.of(Path.of(args[4])), LogFileFilter.postfix(), java.time.ZoneOffset.UTC))
            .pollIntervalMs(10)
            .scanIntervalMs(50)
            .commitIntervalMs(30)
            .transactionMaxLines(500)
            .build();
        new ShipperLoop(config, AvroRawLineSerde.serializer()).run();
    }
}
