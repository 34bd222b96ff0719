package io.tlsmon.cli;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.format.AttemptJson;
import io.tlsmon.format.AttemptTable;
import io.tlsmon.format.SenderSummary;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.pipeline.LogPipeline;
import io.tlsmon.avro.Alert;
import io.tlsmon.engine.EngineCounters;
import io.tlsmon.engine.EngineSettings;
import io.tlsmon.format.AlertJson;
import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tlsmon classify}: the pure pipeline over files, no Kafka. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Classify every TLS negotiation in protocol logs, offline (no Kafka).",
                "Reads files and folders recursively, gzip'd rotated logs too, each folder oldest file first.",
                "Exit status: 0 all input read; 1 some files or lines could not be read (reported on stderr); 2 bad usage."})
public final class ClassifyCommand implements Callable<Integer> {

    enum Output { jsonl, table, summary }

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto, exchange, postfix, sendmail or exim (default: ${DEFAULT-VALUE}, detected per file)",
            converter = Converters.FormatConverter.class)
    Converters.FormatChoice format;

    @Option(names = "--output", paramLabel = "OUTPUT",
            description = "jsonl (one JSON object per attempt), table or summary (per sender, with the fix). "
                    + "Default: table on a terminal, jsonl otherwise.")
    Output output;

    @Option(names = "--host", paramLabel = "NAME",
            description = "the mail server the logs come from, for lines that do not name it (Exchange send logs)")
    String host;

    @Option(names = "--idle-gap", paramLabel = "DURATION",
            description = "close a session after this much log time without a line (default: tlsmon.session.idle.gap.ms, 5 min)",
            converter = Converters.DurationConverter.class)
    Duration idleGap;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "time zone of syslog timestamps that carry none (default: tlsmon.parser.zone, UTC)",
            converter = Converters.ZoneConverter.class)
    ZoneId zone;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the settings file of tlsmon run (tlsmon.session.*, tlsmon.alert.*, tlsmon.parser.zone, ...): "
                    + "classify then decides as the topology with that file does")
    Path config;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "log files or folders")
    List<Path> paths;

    private final PrintStream out;
    private final PrintStream err;

    public ClassifyCommand() {
        this(System.out, System.err);
    }

    ClassifyCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        LogFormat forced = format.format();
        Output mode = output != null ? output : System.console() != null ? Output.table : Output.jsonl;
        int[] unreadable = {0};
        long[] alerts = {0};
        List<LogFiles.Group> groups = LogFiles.discover(paths, problem -> {
            unreadable[0]++;
            err.println("tlsmon classify: " + problem);
        });

        BufferedWriter jsonOut = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        AttemptTable table = new AttemptTable(out);
        SenderSummary summary = new SenderSummary();
        LogPipeline.Listener listener = new LogPipeline.Listener() {
            @Override
            public void attempt(NegotiationAttempt a) {
                switch (mode) {
                    case jsonl -> {
                        AttemptJson.write(a, jsonOut);
                        try {
                            jsonOut.write('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    case table -> table.row(a);
                    case summary -> summary.add(a);
                }
            }

            @Override
            public void alert(Alert a) {
                alerts[0]++;
                if (mode == Output.jsonl) {
                    AlertJson.write(a, jsonOut);
                    try {
                        jsonOut.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void parseError(String source, long lineNumber, String reason, String line) {
                err.println(source + ":" + lineNumber + ": " + reason);
            }
        };

        EngineSettings engine = engineSettings();
        if (engine == null) {
            return 2;
        }
        LogPipeline.Options options = new LogPipeline.Options(engine, forced, host);
        EngineCounters counters;
        try (LogPipeline pipeline = new LogPipeline(options, listener)) {
            for (LogFiles.Group group : groups) {
                for (Path file : group.files()) {
                    if (!readFile(pipeline, file)) {
                        unreadable[0]++;
                    }
                }
                pipeline.endGroup();
            }
            counters = pipeline.counters();
        }
        try {
            jsonOut.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (mode == Output.summary) {
            summary.print(out);
        }
        out.flush();
        err.printf("tlsmon classify: %d files, %d lines, %d attempts, %d alerts, %d sessions cut off mid-handshake by the end of the input, %d unparseable lines, %d unreadable paths%n",
                groups.stream().mapToInt(g -> g.files().size()).sum(), counters.lines(), counters.attempts(), alerts[0],
                counters.cutOff(), counters.errors(), unreadable[0]);
        return unreadable[0] == 0 && counters.errors() == 0 ? 0 : 1;
    }

    /** The engine settings of --config (or the defaults), then the flags; null after reporting a bad setting. */
    private EngineSettings engineSettings() {
        try {
            TlsmonConfig settings = new TlsmonConfig(ConfigLoader.load(config, System.getenv(), Map.of()));
            EngineSettings e = settings.engineSettings();
            if (idleGap != null) {
                e = e.withIdleGapMs(idleGap.toMillis());
            }
            if (zone != null) {
                e = e.withZone(zone);
            }
            return e;
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("tlsmon classify: " + e.getMessage());
            return null;
        }
    }

    private boolean readFile(LogPipeline pipeline, Path file) {
        long reference;
        try {
            reference = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            reference = System.currentTimeMillis();
        }
        try (BufferedReader reader = LogFiles.open(file);
             LogPipeline.StreamReader stream = pipeline.openStream(file.toString(), reference)) {
            String line;
            long n = 0;
            while ((line = reader.readLine()) != null) {
                stream.line(line, ++n);
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            err.println("tlsmon classify: cannot read " + file + ": " + e.getMessage());
            return false;
        }
    }
}
