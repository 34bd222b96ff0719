package io.tlsmon.cli;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.format.AttemptTable;
import io.tlsmon.format.FormatOptions;
import io.tlsmon.format.OutputFormat;
import io.tlsmon.format.RecordFormatter;
import io.tlsmon.format.TlsmonJson;
import io.tlsmon.format.SenderSummary;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.pipeline.LogPipeline;
import io.tlsmon.avro.Alert;
import io.tlsmon.engine.EngineCounters;
import io.tlsmon.engine.EngineSettings;
import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    /** What classify prints: tlsmon's own JSON lines, a table, a per-sender summary, or one of the SIEM formats. */
    enum Output {
        jsonl(null), table(null), summary(null),
        ecs(OutputFormat.ECS), ocsf(OutputFormat.OCSF), cef(OutputFormat.CEF), hec(OutputFormat.HEC);

        /** The SIEM format of this output, null for tlsmon's own outputs. */
        final OutputFormat siem;

        Output(OutputFormat siem) {
            this.siem = siem;
        }
    }

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto, exchange, postfix, sendmail or exim (default: ${DEFAULT-VALUE}, detected per file)",
            converter = Converters.FormatConverter.class)
    Converters.FormatChoice format;

    @Option(names = "--output", paramLabel = "OUTPUT",
            description = "jsonl (one JSON object per attempt and per alert), table or summary (per sender, with the fix), "
                    + "or a SIEM format, one record per line for attempts and alerts: ecs (Elastic Common Schema NDJSON), "
                    + "ocsf (OCSF NDJSON), cef (ArcSight CEF lines) or hec (Splunk HTTP Event Collector events). "
                    + "Default: table on a terminal, jsonl otherwise.")
    Output output;

    @Option(names = "--hec-index", paramLabel = "INDEX",
            description = "with --output hec: the Splunk index the events name (default: none, the token's default index)")
    String hecIndex;

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
        if (hecIndex != null && mode != Output.hec) {
            err.println("tlsmon classify: --hec-index needs --output hec");
            return 2;
        }
        RecordFormatter siem = mode.siem == null ? null : mode.siem.formatter(new FormatOptions(hecIndex));
        EngineSettings engine = engineSettings();
        if (engine == null) {
            return 2;
        }
        long[] alerts = {0};

        BufferedWriter jsonOut = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        AttemptTable table = new AttemptTable(out);
        SenderSummary summary = new SenderSummary();
        LogPipeline.Listener listener = new LogPipeline.Listener() {
            @Override
            public void attempt(NegotiationAttempt a) {
                switch (mode) {
                    case table -> table.row(a);
                    case summary -> summary.add(a);
                    case jsonl -> line(jsonOut, TlsmonJson.attempt(a));
                    default -> line(jsonOut, siem.attempt(a));
                }
            }

            @Override
            public void alert(Alert a) {
                alerts[0]++;
                if (mode == Output.jsonl) {
                    line(jsonOut, TlsmonJson.alert(a));
                } else if (siem != null) {
                    line(jsonOut, siem.alert(a));
                }
            }

            @Override
            public void parseError(String source, long lineNumber, String reason, String line) {
                err.println(source + ":" + lineNumber + ": " + reason);
            }
        };

        OfflineLogs.Read read = OfflineLogs.run(paths, new LogPipeline.Options(engine, forced, host), listener, err, "classify");
        EngineCounters counters = read.counters();
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
                read.files(), counters.lines(), counters.attempts(), alerts[0],
                counters.cutOff(), counters.errors(), read.unreadable());
        return read.unreadable() == 0 && counters.errors() == 0 ? 0 : 1;
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

    private static void line(BufferedWriter out, String record) {
        try {
            out.write(record);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
