package io.tlsmon.ingest.tail;

import static io.tlsmon.ingest.testing.LogWriter.append;
import static io.tlsmon.ingest.testing.LogWriter.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.tlsmon.avro.RawLine;
import io.tlsmon.ingest.RawLineRecords;
import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import io.tlsmon.ingest.testing.AvroRawLineSerde;
import io.tlsmon.ingest.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShipperLoopIT {
    static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** A running shipper; closing it stops the loop. */
    record Running(ShipperLoop loop, Thread thread) implements AutoCloseable {
        @Override
        public void close() {
            loop.close();
        }
    }

    private Running ship(String topic, TailSource source) {
        broker.createTopics(1, topic);
        ShipperConfig config = ShipperConfig.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(topic)
            .shipperId(topic)
            .sourceHost("mx1")
            .checkpointDir(dir.resolve("checkpoints"))
            .source(source)
            .pollIntervalMs(20)
            .scanIntervalMs(100)
            .commitIntervalMs(50)
            .build();
        ShipperLoop loop = new ShipperLoop(config, AvroRawLineSerde.serializer());
        Thread t = new Thread(loop, "shipper-" + topic);
        t.start();
        return new Running(loop, t);
    }

    private static TailSource source(String kind, LogFileFilter filter, Path... paths) {
        return new TailSource(kind, List.of(paths), filter, java.time.ZoneOffset.UTC);
    }

    private static void awaitShipped(ShipperLoop loop, long n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> loop.metrics().linesShipped() >= n);
    }

    private static List<String> texts(List<ConsumerRecord<String, RawLine>> records) {
        return records.stream().map(r -> r.value().getLine()).toList();
    }

    @Test
    void growingFileShipsOnlyCompleteLinesWithTheirTimeAndPosition() throws Exception {
        Path log = dir.resolve("logs/SmtpReceive/RECV2024030110-1.LOG");
        Files.createDirectories(log.getParent());
        append(log, "#Log-type: SMTP Receive Protocol Log\n#Fields: date-time,connector-id\n" + lines("a", 0, 10)
            + "2024-03-01T10:00:01.000Z,a-10,par");
        try (Running r = ship("grow", source("exchange", LogFileFilter.exchange(), dir.resolve("logs")))) {
            awaitShipped(r.loop(), 12);
            Thread.sleep(300);
            assertThat(r.loop().metrics().linesShipped()).isEqualTo(12);
            append(log, "tial\n");
            awaitShipped(r.loop(), 13);
        }
        List<ConsumerRecord<String, RawLine>> records = TopicReader.readAll(broker.bootstrapServers(), "grow", 13, Duration.ofSeconds(20));
        assertThat(records).hasSize(13);
        ConsumerRecord<String, RawLine> last = records.get(12);
        assertThat(last.value().getLine()).isEqualTo("2024-03-01T10:00:01.000Z,a-10,partial");
        assertThat(last.key()).isEqualTo("mx1|exchange");
        assertThat(last.timestamp()).isEqualTo(java.time.Instant.parse("2024-03-01T10:00:01Z").toEpochMilli());
        assertThat(last.value().getTime()).isEqualTo(java.time.Instant.parse("2024-03-01T10:00:01Z"));
        assertThat(last.value().getLineNumber()).isEqualTo(13L);
        long expectedOffset = Files.size(log) - "2024-03-01T10:00:01.000Z,a-10,partial\n".length();
        assertThat(last.value().getOffset()).isEqualTo(expectedOffset);
        assertThat(RawLineRecords.text(last.headers(), RawLineRecords.OFFSET_HEADER)).isEqualTo(Long.toString(expectedOffset));
        assertThat(RawLineRecords.text(last.headers(), RawLineRecords.SOURCE_HEADER)).isEqualTo(log.toString());
        assertThat(last.value().getHeader()).isEqualTo("#Log-type: SMTP Receive Protocol Log\n#Fields: date-time,connector-id");
        assertThat(last.value().getStream()).isEqualTo(log.toString());
    }

    @Test
    void takesUpNewFilesAndForgetsDeletedOnes() throws Exception {
        Path folder = dir.resolve("Hub/ProtocolLog/SmtpSend");
        Files.createDirectories(folder);
        Path first = folder.resolve("SEND20240301-1.LOG");
        append(first, lines("one", 0, 20));
        Files.writeString(folder.resolve("notes.txt"), "not a log\n");
        try (Running r = ship("newfiles", source("exchange", LogFileFilter.exchange(), dir.resolve("Hub")))) {
            awaitShipped(r.loop(), 20);
            Path second = folder.resolve("send20240301-2.log");
            append(second, lines("two", 0, 15));
            awaitShipped(r.loop(), 35);
            Files.delete(first); // circular logging
            await().atMost(Duration.ofSeconds(10)).until(() -> r.loop().metrics().followedFiles() == 1);
            append(second, lines("two", 15, 25));
            awaitShipped(r.loop(), 45);
            await().atMost(Duration.ofSeconds(10)).until(() -> r.loop().lastCheckpoint().files().size() == 1);
        }
        List<String> texts = texts(TopicReader.readAll(broker.bootstrapServers(), "newfiles", 45, Duration.ofSeconds(20)));
        assertThat(texts).hasSize(45).doesNotHaveDuplicates().noneMatch(t -> t.contains("not a log"));
    }

    @Test
    void renameAndCreateRotationReadsTheRenamedFileToItsEndThenTheNewOne() throws Exception {
        Path log = dir.resolve("var/mail.log");
        Files.createDirectories(log.getParent());
        append(log, lines("old", 0, 100));
        try (Running r = ship("rotate", source("postfix", LogFileFilter.postfix(), log.getParent()))) {
            awaitShipped(r.loop(), 100);
            append(log, lines("old", 100, 150));
            Files.move(log, log.resolveSibling("mail.log.1"));
            append(log, lines("new", 0, 30));
            awaitShipped(r.loop(), 180);
        }
        List<String> texts = texts(TopicReader.readAll(broker.bootstrapServers(), "rotate", 180, Duration.ofSeconds(20)));
        assertThat(texts).hasSize(180).doesNotHaveDuplicates();
        int lastOld = texts.indexOf("2024-03-01T10:00:00.000Z,old-149,some,payload");
        int firstNew = texts.indexOf("2024-03-01T10:00:00.000Z,new-0,some,payload");
        assertThat(lastOld).isLessThan(firstNew);
    }

    @Test
    void copytruncateStartsAgainFromTheStartOfTheSameFile() throws Exception {
        Path log = dir.resolve("app/app.log");
        Files.createDirectories(log.getParent());
        append(log, lines("before", 0, 100));
        try (Running r = ship("copytruncate", source("postfix", LogFileFilter.nameMatching("app\\.log"), log.getParent()))) {
            awaitShipped(r.loop(), 100);
            Files.copy(log, log.resolveSibling("app.log.1"));
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("after", 0, 20));
            awaitShipped(r.loop(), 120);
        }
        List<ConsumerRecord<String, RawLine>> records = TopicReader.readAll(broker.bootstrapServers(), "copytruncate", 120, Duration.ofSeconds(20));
        assertThat(texts(records)).hasSize(120).doesNotHaveDuplicates();
        Map<String, RawLine> byText = records.stream().collect(Collectors.toMap(r -> r.value().getLine(), ConsumerRecord::value));
        RawLine firstAfter = byText.get("2024-03-01T10:00:00.000Z,after-0,some,payload");
        assertThat(firstAfter.getOffset()).isZero();
        assertThat(firstAfter.getLineNumber()).isEqualTo(1L);
    }

    @Test
    void restartResumesFromTheCheckpointWithoutDuplicates() throws Exception {
        Path log = dir.resolve("restart/mail.log");
        Files.createDirectories(log.getParent());
        append(log, lines("r", 0, 500));
        TailSource src = source("postfix", LogFileFilter.postfix(), log.getParent());
        try (Running r = ship("restart", src)) {
            awaitShipped(r.loop(), 500);
        }
        append(log, lines("r", 500, 700));
        try (Running r = ship("restart", src)) {
            awaitShipped(r.loop(), 200);
        }
        List<String> texts = texts(TopicReader.readAll(broker.bootstrapServers(), "restart", 700, Duration.ofSeconds(20)));
        assertThat(texts).hasSize(700).doesNotHaveDuplicates();
        assertThat(texts.stream().collect(Collectors.toMap(Function.identity(), t -> 1, Integer::sum)).values()).allMatch(c -> c == 1);
    }
}
