package io.tlsmon.ingest.tail;

import io.tlsmon.ingest.health.Outage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.testing.AvroRawLineSerde;
import io.tlsmon.ingest.testing.CircularLogWriter;
import io.tlsmon.ingest.testing.LineCounts;
import io.tlsmon.ingest.testing.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster (the one broker, which is also the controller) is stopped for a full minute under
 * a shipper that an Exchange server keeps writing to, circular logging deleting receive logs all the
 * while; the broker comes back on the same port with the same log dir. Every line written must be in
 * the topic exactly once, and the shipper's metrics must show the outage while it lasts and after.
 */
class ShipperBrokerOutageIT {
    private static final long OUTAGE_MS = 60_000;
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
    void aMinuteWithoutTheBrokerWhileFilesAreWrittenAndDeletedLosesAndRepeatsNoLine() throws Exception {
        Path folder = dir.resolve("FrontEnd/ProtocolLog/SmtpReceive");
        // about 1,000 lines a second over three live files; a file lives at least 6 s, longer than the
        // shipper is blind while a connection attempt blocks (max.block.ms) plus a backoff
        CircularLogWriter writer = new CircularLogWriter(folder, 36, 2_000, 3, 6_000, 20, System.nanoTime());
        ShipperConfig config = ShipperConfig.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic("outage")
            .shipperId("outage")
            .sourceHost("mx1")
            .checkpointDir(dir.resolve("checkpoints"))
            .source(new TailSource("exchange", List.of(dir.resolve("FrontEnd")), LogFileFilter.exchange(), java.time.ZoneOffset.UTC))
            .pollIntervalMs(20)
            .scanIntervalMs(100)
            .commitIntervalMs(50)
            .retryBackoffMs(200)
            .retryBackoffMaxMs(1000)
            .maxOpenFiles(64)
            .producerSetting("max.block.ms", 2000)
            .producerSetting("request.timeout.ms", 1500)
            .producerSetting("delivery.timeout.ms", 3000)
            .producerSetting("compression.type", "zstd")
            .build();
        long stoppedAt;
        long restartedAt;
        int deletedDuringOutage;
        Outage during;
        long openDuring;
        long behindDuring;
        Outage after;
        try (ShipperLoop loop = new ShipperLoop(config, AvroRawLineSerde.serializer())) {
            new Thread(loop, "shipper-outage").start();
            Thread w = new Thread(writer, "circular-writer");
            w.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.metrics().linesShipped() >= 3_000);

            int deletedBefore = writer.deleted();
            stoppedAt = System.currentTimeMillis();
            broker.stopBroker();
            await().atMost(Duration.ofSeconds(20)).until(() -> loop.metrics().brokerOutage().active());
            long shippedWhenDown = loop.metrics().linesShipped();
            Thread.sleep(OUTAGE_MS - 10_000 - (System.currentTimeMillis() - stoppedAt));
            during = loop.metrics().brokerOutage();
            openDuring = loop.metrics().goneFilesOpen();
            behindDuring = loop.metrics().bytesBehind();
            assertThat(loop.metrics().linesShipped()).isEqualTo(shippedWhenDown);
            Thread.sleep(OUTAGE_MS - (System.currentTimeMillis() - stoppedAt));
            deletedDuringOutage = writer.deleted() - deletedBefore;
            broker.restart();
            restartedAt = System.currentTimeMillis();

            w.join(180_000);
            assertThat(writer.done()).isTrue();
            await().atMost(Duration.ofSeconds(120)).until(() -> loop.metrics().linesShipped() >= writer.written().size());
            after = loop.metrics().brokerOutage();
            System.out.println("broker outage: down " + (restartedAt - stoppedAt) + " ms; the shipper saw " + after
                + "; files deleted while it was down " + deletedDuringOutage + "; 10 s before the end: " + openDuring
                + " deleted files held open, " + behindDuring + " bytes behind; " + loop.metrics());
        }
        List<String> written = writer.written();
        LineCounts c = LineCounts.of(written, TopicReader.readAll(broker.bootstrapServers(), "outage", written.size(), Duration.ofSeconds(60)));
        System.out.println("broker outage, every line: " + c);

        assertThat(c.exactlyOnce()).as("%s", c).isTrue();
        assertThat(deletedDuringOutage).as("files deleted under the shipper while the broker was down").isPositive();
        assertThat(during.active()).isTrue();
        assertThat(during.reason()).contains(broker.bootstrapServers());
        assertThat(openDuring).as("deleted files kept open until their lines are shipped").isPositive();
        assertThat(behindDuring).isPositive();
        assertThat(after.active()).isFalse();
        assertThat(after.count()).as("one outage, however many attempts failed").isEqualTo(1);
        assertThat(after.failures()).isGreaterThan(5);
        // from the first failed attempt (a few seconds after the stop) to the reconnection after the restart
        assertThat(after.totalMs()).isBetween(OUTAGE_MS - 15_000, OUTAGE_MS + 30_000);
    }
}
