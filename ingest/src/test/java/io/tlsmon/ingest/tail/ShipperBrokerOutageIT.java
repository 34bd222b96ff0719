package io.tlsmon.ingest.tail;

import static io.tlsmon.ingest.testing.LogWriter.append;
import static io.tlsmon.ingest.testing.LogWriter.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.testing.AvroRawLineSerde;
import io.tlsmon.ingest.testing.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShipperBrokerOutageIT {
    static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(1, "outage");
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void linesWrittenWhileTheBrokerIsDownArriveOnceItIsBack() throws Exception {
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("mail.log");
        append(log, lines("o", 0, 100));
        ShipperConfig config = ShipperConfig.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic("outage")
            .shipperId("outage")
            .sourceHost("mx1")
            .checkpointDir(dir.resolve("checkpoints"))
            .source(new TailSource("postfix", List.of(log.getParent()), LogFileFilter.postfix(), java.time.ZoneOffset.UTC))
            .pollIntervalMs(20)
            .scanIntervalMs(100)
            .commitIntervalMs(50)
            .retryBackoffMs(200)
            .retryBackoffMaxMs(1000)
            .producerSetting("max.block.ms", 2000)
            .producerSetting("request.timeout.ms", 1500)
            .producerSetting("delivery.timeout.ms", 3000)
            .producerSetting("compression.type", "zstd")
            .build();
        try (ShipperLoop loop = new ShipperLoop(config, AvroRawLineSerde.serializer())) {
            new Thread(loop, "shipper-outage").start();
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.metrics().linesShipped() == 100);

            broker.stopBroker();
            append(log, lines("o", 100, 300));
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.metrics().retries() >= 2);
            assertThat(loop.metrics().linesShipped()).isEqualTo(100);

            broker.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> loop.metrics().linesShipped() >= 300);
        }
        List<String> texts = TopicReader.readAll(broker.bootstrapServers(), "outage", 300, Duration.ofSeconds(30))
            .stream().map(r -> r.value().getLine()).toList();
        assertThat(texts).hasSize(300).doesNotHaveDuplicates();
    }
}
