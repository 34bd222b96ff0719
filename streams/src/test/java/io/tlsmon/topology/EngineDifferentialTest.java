package io.tlsmon.topology;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.RawLine;
import io.tlsmon.engine.EngineSettings;
import io.tlsmon.engine.LineInput;
import io.tlsmon.engine.OfflineEngine;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.pipeline.LogPipeline;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One engine, two adapters: the same input through the offline engine ({@code classify}) and
 * through the topology under TopologyTestDriver (RocksDB stores, the repartition between the two
 * stages) gives the same attempts, every field, and the same alerts, in the same order, and the same
 * dead letters. Both end each stream the same way: offline at the end of its files, live at the
 * end-of-stream marker a replay sends.
 */
public class EngineDifferentialTest {
    public static final Path FIXTURES = Path.of("../core/src/test/resources/fixtures");
    static final Path SAMPLES = Path.of("../../shared/samples");

    /** One line of the input, or the end of a stream. */
    /**
     * @param reference what syslog years are inferred from (offline the file's time, live the time the
     *                  shipper read off the line); {@code arrival}: when the line was read
     */
    public record Item(String streamKey, String sourceHost, LogFormat format, String file, long lineNumber, String text,
                       long reference, long arrival, boolean end) {
        public static Item end(String streamKey) {
            return new Item(streamKey, null, null, null, 0, null, 0, 0, true);
        }

        static Item line(String streamKey, String sourceHost, LogFormat format, String file, long lineNumber, String text, long arrival) {
            return new Item(streamKey, sourceHost, format, file, lineNumber, text, arrival, arrival, false);
        }
    }

    /** What a path made of the input. */
    public record Result(List<NegotiationAttempt> attempts, List<Alert> alerts, List<String> deadLetters) {
        public Map<Outcome, Long> perOutcome() {
            Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
            attempts.forEach(a -> m.merge(a.getOutcome(), 1L, Long::sum));
            return m;
        }
    }

    public static Result offline(List<Item> items, EngineSettings settings) {
        List<NegotiationAttempt> attempts = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        OfflineEngine engine = new OfflineEngine(settings, o -> {
            switch (o.kind()) {
                case ATTEMPT -> attempts.add(o.attempt());
                case ALERT -> alerts.add(o.alert());
                case DEAD_LETTER -> dead.add(describe(o.deadLetter()));
            }
        });
        for (Item i : items) {
            if (i.end()) {
                engine.endOfStream(i.streamKey());
            } else {
                engine.accept(new LineInput(i.streamKey(), i.sourceHost(), i.file(), i.format(), null, i.text(),
                        i.lineNumber(), i.reference(), i.arrival(), null));
            }
        }
        return new Result(attempts, alerts, dead);
    }

    static Result live(List<Item> items) {
        try (TopologyFixture f = new TopologyFixture(Map.of())) {
            for (Item i : items) {
                RawLine r = i.end()
                        ? io.tlsmon.ingest.RawLineRecords.endOfStream(i.streamKey(), null)
                        : RawLine.newBuilder().setSourceHost(i.sourceHost()).setLogKind(i.format() == null ? null : i.format().label())
                        .setStream(i.file()).setLineNumber(i.lineNumber()).setLine(i.text()).build();
                f.raw.pipeInput(i.streamKey(), r, Instant.ofEpochMilli(i.end() ? 0 : i.arrival()));
            }
            return new Result(f.attempts.readValuesToList(), f.alerts.readValuesToList(),
                    f.deadLetters.readValuesToList().stream().map(EngineDifferentialTest::describe).toList());
        }
    }

    public static String describe(DeadLetter d) {
        return d.getStage() + " " + d.getSource() + ":" + d.getLineNumber() + " " + d.getReason() + " | "
                + (d.getValue() == null ? "" : StandardCharsets.UTF_8.decode(d.getValue().duplicate()));
    }

    public static void assertSame(Result offline, Result live) {
        assertThat(live.attempts()).as("attempts").containsExactlyElementsOf(offline.attempts());
        assertThat(live.alerts()).as("alerts").containsExactlyElementsOf(offline.alerts());
        assertThat(live.deadLetters()).as("dead letters").containsExactlyElementsOf(offline.deadLetters());
    }

    /** Files read one after the other, each file a stream of its own, as {@code classify} reads a folder of unrelated logs. */
    public static List<Item> filesAsStreams(String host, List<Path> files) {
        List<Item> items = new ArrayList<>();
        for (Path f : files) {
            String key = host + '|' + f.getFileName();
            long mtime;
            List<String> lines;
            try {
                mtime = Files.getLastModifiedTime(f).toMillis();
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int n = 0; n < lines.size(); n++) {
                items.add(Item.line(key, host, null, f.toString(), n + 1, lines.get(n), mtime));
            }
            items.add(Item.end(key));
        }
        return items;
    }

    public static List<Path> filesUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(".tsv") && !p.getFileName().toString().endsWith(".md"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyFixtureGivesTheSameAttemptsAndAlertsOfflineAndLive() {
        List<Item> items = filesAsStreams("fixtures", filesUnder(FIXTURES));
        Result offline = offline(items, new TopologyFixture(Map.of()).config.engineSettings());
        Result live = live(items);
        report("fixtures", items, offline, live);
        assertThat(offline.attempts()).hasSizeGreaterThan(100);
        assertSame(offline, live);
    }

    @Test
    void theSharedSamplesGiveTheSameAnswersOfflineAndLive() {
        Assumptions.assumeTrue(Files.isDirectory(SAMPLES), "../shared/samples is absent");
        List<Item> items = filesAsStreams("samples", filesUnder(SAMPLES));
        Result offline = offline(items, EngineSettings.defaults());
        Result live = live(items);
        report("samples", items, offline, live);
        assertSame(offline, live);
    }

    @Test
    void aGeneratedWorkloadOfManyServersAndFormatsGivesTheSameAnswersOfflineAndLive() {
        List<Item> items = generated();
        Result offline = offline(items, EngineSettings.defaults());
        Result live = live(items);
        report("generated", items, offline, live);
        assertThat(items.size()).isGreaterThanOrEqualTo(100_000);
        assertThat(offline.perOutcome().keySet()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(offline.alerts()).isNotEmpty();
        // every server's log was read, whatever its envelope: Exchange, Postfix in RFC 3164, RFC 5424 and ISO, Sendmail, Exim
        assertThat(offline.attempts().stream().map(NegotiationAttempt::getServer).distinct().sorted().toList())
                .containsExactly("ex1", "ex2", "mx1", "mx2", "mx3", "mx4", "relay1");
        assertSame(offline, live);
    }

    /** The generated workload: 105,000 lines of seven servers, then the end of every stream. */
    public static List<Item> generated() {
        MixedLogWorkload workload = new MixedLogWorkload(FIXTURES, 20251203, 3_000);
        List<Item> items = new ArrayList<>();
        for (MixedLogWorkload.Line l : workload.generate(105_000)) {
            // some streams name their format, as tlsmon's shipper does; the others are detected
            LogFormat format = l.sourceHost().equals("ex1") || l.sourceHost().equals("mx3") ? LogFormat.fromLabel(l.logKind()) : null;
            items.add(Item.line(l.streamKey(), l.sourceHost(), format, l.file(), l.lineNumber(), l.text(), l.arrival()));
        }
        workload.streamKeys().forEach(k -> items.add(Item.end(k)));
        return items;
    }

    @Test
    void classifyOverTheFixtureFilesIsTheEngineOverTheirLines() {
        // the files through LogPipeline, the front of tlsmon classify, against the lines through the engine
        List<Path> files = filesUnder(FIXTURES);
        List<NegotiationAttempt> viaFiles = new ArrayList<>();
        List<Alert> alertsViaFiles = new ArrayList<>();
        try (LogPipeline p = new LogPipeline(LogPipeline.Options.defaults().withSourceHost("fixtures"), new LogPipeline.Listener() {
            @Override
            public void attempt(NegotiationAttempt a) {
                viaFiles.add(a);
            }

            @Override
            public void alert(Alert a) {
                alertsViaFiles.add(a);
            }
        })) {
            for (Path f : files) {
                try (LogPipeline.StreamReader r = p.openStream(f.toString(), Files.getLastModifiedTime(f).toMillis())) {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    for (int n = 0; n < lines.size(); n++) {
                        r.line(lines.get(n), n + 1);
                    }
                }
                p.endGroup();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result engine = offline(filesAsStreams("fixtures", files), EngineSettings.defaults());
        assertThat(viaFiles).containsExactlyElementsOf(engine.attempts());
        assertThat(alertsViaFiles).containsExactlyElementsOf(engine.alerts());
    }

    private static void report(String name, List<Item> items, Result offline, Result live) {
        Map<String, String> rows = new TreeMap<>();
        offline.perOutcome().forEach((o, n) -> rows.put(o.name(), n + " / " + live.perOutcome().getOrDefault(o, 0L)));
        System.out.printf("differential %s: %d lines; attempts offline %d / live %d; alerts %d / %d; dead letters %d / %d; per outcome (offline / live) %s%n",
                name, items.size(), offline.attempts().size(), live.attempts().size(), offline.alerts().size(), live.alerts().size(),
                offline.deadLetters().size(), live.deadLetters().size(), rows);
        Map<String, Long> servers = new TreeMap<>();
        offline.attempts().forEach(a -> servers.merge(a.getServer(), 1L, Long::sum));
        System.out.println("  attempts per server (offline): " + servers + "; dead letters: " + offline.deadLetters().stream()
                .map(d -> d.substring(0, Math.min(d.length(), 110))).toList());
    }
}
