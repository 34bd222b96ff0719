package io.tlsmon.ingest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

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

/**
 * Two servers' archives: an Exchange receive log (composed from the documented format, not a real
 * server's file) and a gzipped syslog-style Postfix log, merged in time order.
 */
class ArchiveReplayerIT {
    static EmbeddedKafkaBroker broker;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(1, "replay-a", "replay-b", "replay-bounded");
        Path exchange = Files.createDirectories(dir.resolve("ex1/FrontEnd/ProtocolLog/SmtpReceive"));
        StringBuilder ex = new StringBuilder()
            .append("#Software: Microsoft Exchange Server\n#Version: 15.0.0.0\n#Log-type: SMTP Receive Protocol Log\n")
            .append("#Date: 2024-03-01T10:00:00.000Z\n")
            .append("#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\n");
        for (int i = 0; i < 50; i++) {
            ex.append(String.format("2024-03-01T10:00:%02d.000Z,EX1\\Default Frontend EX1,08D50D3D9730A8D2,%d,10.0.0.1:25,"
                + "192.0.2.7:50000,*,,line %d\r\n", i, i, i));
        }
        Files.writeString(exchange.resolve("RECV2024030110-1.LOG"), ex.toString());
        Path postfix = Files.createDirectories(dir.resolve("pf1"));
        StringBuilder pf = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            // odd seconds: interleaves with the Exchange lines on even seconds
            pf.append(String.format("2024-03-01T10:00:%02d.500000+00:00 pf1 postfix/smtpd[123]: line %d\n", i + 1, i));
            if (i == 10) {
                pf.append("a continuation without time\n");
            }
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(postfix.resolve("mail.log.2.gz")))) {
            out.write(pf.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void tearDown() {
        broker.close();
    }

    private static ReplayConfig.Builder config(String topic) {
        return ReplayConfig.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(topic)
            .source(ReplaySource.of("ex1", "exchange", List.of(dir.resolve("ex1"))))
            .source(ReplaySource.of("pf1", "postfix", List.of(dir.resolve("pf1"))))
            .progressInterval(Duration.ZERO);
    }

    @Test
    void mergesServersInTimeOrderWithOriginalTimestampsAndIsDeterministic() {
        List<ReplayProgress> progress = new ArrayList<>();
        ReplaySummary a = new ArchiveReplayer(config("replay-a").build(), AvroRawLineSerde.serializer()).run(progress::add);
        ReplaySummary b = new ArchiveReplayer(config("replay-b").build(), AvroRawLineSerde.serializer()).run(p -> { });

        assertThat(a.succeeded()).isTrue();
        assertThat(a.linesSent()).isEqualTo(5 + 50 + 41);
        assertThat(a.linesPerStream().values()).containsExactly(55L, 41L);
        assertThat(a.firstTime()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
        assertThat(a.lastTime()).isEqualTo(Instant.parse("2024-03-01T10:00:49Z"));
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1).done()).isTrue();
        assertThat(progress.get(progress.size() - 1).bytes()).isEqualTo(progress.get(progress.size() - 1).totalBytes());

        List<ConsumerRecord<String, RawLine>> withEnds = TopicReader.readAll(broker.bootstrapServers(), "replay-a", 98, Duration.ofSeconds(20));
        List<ConsumerRecord<String, RawLine>> rb = TopicReader.readAll(broker.bootstrapServers(), "replay-b", 98, Duration.ofSeconds(20));
        assertThat(withEnds).hasSize(98);
        // after every line, one end-of-stream marker per stream key, in key order
        assertThat(withEnds.subList(96, 98)).allSatisfy(r -> assertThat(r.value().getEndOfStream()).isTrue())
                .extracting(ConsumerRecord::key).containsExactly("ex1|exchange", "pf1|postfix");
        List<ConsumerRecord<String, RawLine>> ra = withEnds.subList(0, 96);
        assertThat(ra).noneMatch(r -> r.value().getEndOfStream());
        // time order across streams, record timestamp = line time
        for (int i = 1; i < ra.size(); i++) {
            assertThat(ra.get(i).timestamp()).isGreaterThanOrEqualTo(ra.get(i - 1).timestamp());
        }
        assertThat(ra.get(0).value().getLine()).startsWith("#Software");
        assertThat(ra.get(5).value().getLine()).startsWith("2024-03-01T10:00:00.000Z");
        assertThat(ra.get(6).value().getLine()).startsWith("2024-03-01T10:00:01.000Z"); // 10:00:01.0 before 10:00:01.5
        assertThat(ra.get(7).value().getLine()).contains("line 0").contains("postfix");
        assertThat(ra.get(5).value().getHeader()).contains("#Fields: date-time").contains("#Log-type: SMTP Receive");
        assertThat(ra.get(5).key()).isEqualTo("ex1|exchange");
        // the untimed line stays right after its predecessor in its stream
        int cont = indexOf(ra, "a continuation without time");
        assertThat(ra.get(cont - 1).value().getLine()).endsWith("line 10");
        assertThat(ra.get(cont).value().getTime()).isNull();
        // gzipped stream: offsets are in the decompressed text
        RawLine firstPostfix = ra.get(7).value();
        assertThat(firstPostfix.getOffset()).isZero();
        assertThat(RawLineRecords.text(ra.get(7).headers(), RawLineRecords.SOURCE_HEADER)).endsWith("mail.log.2.gz");

        assertThat(sequence(rb)).isEqualTo(sequence(withEnds));
        assertThat(b.linesPerStream()).isEqualTo(a.linesPerStream());
    }

    @Test
    void boundsSkipLinesOutsideTheWindow() {
        ReplaySummary s = new ArchiveReplayer(config("replay-bounded")
            .from(Instant.parse("2024-03-01T10:00:10Z")).to(Instant.parse("2024-03-01T10:00:20Z")).build(),
            AvroRawLineSerde.serializer()).run(ReplayProgressListener.NONE);
        // Exchange 10..19 (10 lines); Postfix seconds 10..19 = lines 9..18 plus the continuation (11 lines)
        assertThat(s.linesSent()).isEqualTo(21);
        assertThat(s.skipped()).isEqualTo(96 - 21);
        assertThat(s.firstTime()).isEqualTo(Instant.parse("2024-03-01T10:00:10Z"));
    }

    @Test
    void renderersDrawProgress() {
        ReplayProgress p = new ReplayProgress(1_234_567, 50, 100, 85_000, Duration.ofSeconds(10), Duration.ofSeconds(14), false);
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        new TerminalProgressBar(new PrintStream(bar, true, StandardCharsets.UTF_8)).onProgress(p);
        assertThat(bar.toString(StandardCharsets.UTF_8)).startsWith("\r[###############...............]  50%")
            .contains("1,234,567 lines").contains("85,000 lines/s").contains("ETA 0:14");
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        new PeriodicProgressLine(new PrintStream(line, true, StandardCharsets.UTF_8), Duration.ZERO).onProgress(p);
        assertThat(line.toString(StandardCharsets.UTF_8)).startsWith("replay: 50% 1,234,567 lines").doesNotContain("\r");
    }

    private static int indexOf(List<ConsumerRecord<String, RawLine>> records, String line) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).value().getLine().equals(line)) {
                return i;
            }
        }
        throw new AssertionError("missing " + line);
    }

    private static List<String> sequence(List<ConsumerRecord<String, RawLine>> records) {
        return records.stream().map(r -> r.value().getStream() + "@" + r.value().getOffset() + "@" + r.timestamp()).toList();
    }
}
