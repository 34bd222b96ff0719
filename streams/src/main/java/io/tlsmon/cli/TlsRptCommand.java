package io.tlsmon.cli;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.engine.EngineSettings;
import io.tlsmon.format.TlsRptDay;
import io.tlsmon.format.TlsRptDays;
import io.tlsmon.format.TlsRptReport;
import io.tlsmon.pipeline.LogPipeline;
import io.tlsmon.topology.TlsmonConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tlsmon tlsrpt}: RFC 8460 reports of one UTC day of outbound mail, from the logs, offline. */
@Command(name = "tlsrpt", mixinStandardHelpOptions = true,
        description = {"Write the RFC 8460 TLS-RPT aggregate report of one UTC day, one file per policy domain",
                "(the recipient domain of outbound mail), from protocol logs, offline (no Kafka).",
                "Files are named as RFC 8460 section 5.1 says: sender!policy-domain!begin!end.json.",
                "Exit status: 0 all input read; 1 some files or lines could not be read; 2 bad usage."})
public final class TlsRptCommand implements Callable<Integer> {

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "the UTC day to report")
    LocalDate date;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "only this policy domain (default: every domain of the day)")
    String domain;

    @Option(names = "--organization", paramLabel = "NAME",
            description = "organization-name of the reports (default: tlsmon.tlsrpt.organization, tlsmon)")
    String organization;

    @Option(names = "--contact", paramLabel = "ADDRESS",
            description = "contact-info of the reports, an e-mail address or URI (default: tlsmon.tlsrpt.contact, postmaster@localhost)")
    String contact;

    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "folder to write the reports into (default: the current one)")
    Path out;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto, exchange, postfix, sendmail or exim (default: ${DEFAULT-VALUE}, detected per file)",
            converter = Converters.FormatConverter.class)
    Converters.FormatChoice format;

    @Option(names = "--host", paramLabel = "NAME",
            description = "the mail server the logs come from, for lines that do not name it (Exchange send logs)")
    String host;

    @Option(names = "--config", paramLabel = "FILE", description = "the settings file of tlsmon run (tlsmon.session.*, tlsmon.tlsrpt.*, ...)")
    Path config;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "log files or folders")
    List<Path> paths;

    private final PrintStream stdout;
    private final PrintStream err;

    public TlsRptCommand() {
        this(System.out, System.err);
    }

    TlsRptCommand(PrintStream stdout, PrintStream err) {
        this.stdout = stdout;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        TlsmonConfig settings;
        try {
            settings = new TlsmonConfig(ConfigLoader.load(config, System.getenv(), Map.of()));
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("tlsmon tlsrpt: " + e.getMessage());
            return 2;
        }
        TlsRptReport.Sender configured = settings.tlsRptSender();
        TlsRptReport.Sender sender = new TlsRptReport.Sender(organization != null ? organization : configured.organizationName(),
                contact != null ? contact : configured.contactInfo());
        String only = domain == null ? null : domain.trim().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        EngineSettings engine = settings.engineSettings();

        TlsRptDays days = new TlsRptDays();
        long[] outbound = {0};
        long[] withoutDomain = {0};
        LogPipeline.Listener listener = new LogPipeline.Listener() {
            @Override
            public void attempt(NegotiationAttempt a) {
                if (a.getDirection() != io.tlsmon.avro.Direction.outbound) {
                    return;
                }
                outbound[0]++;
                if (!days.add(a)) {
                    withoutDomain[0]++;
                }
            }

            @Override
            public void parseError(String source, long lineNumber, String reason, String line) {
                err.println(source + ":" + lineNumber + ": " + reason);
            }
        };
        OfflineLogs.Read read = OfflineLogs.run(paths, new LogPipeline.Options(engine, format.format(), host), listener, err, "tlsrpt");

        Files.createDirectories(out);
        int written = 0;
        for (TlsRptDay day : days.reports()) {
            if (!day.day().equals(date) || (only != null && !day.policyDomain().equals(only))) {
                continue;
            }
            Path file = out.resolve(TlsRptReport.fileName(day, sender));
            Files.writeString(file, TlsRptReport.json(day, sender) + "\n", StandardCharsets.UTF_8);
            stdout.println(file);
            written++;
        }
        stdout.flush();
        err.printf("tlsmon tlsrpt: %d files, %d lines, %d outbound attempts (%d name no recipient domain, so no report holds them), "
                        + "%d reports for %s written to %s, %d unparseable lines, %d unreadable paths%n",
                read.files(), read.counters().lines(), outbound[0], withoutDomain[0], written, date, out,
                read.counters().errors(), read.unreadable());
        return read.unreadable() == 0 && read.counters().errors() == 0 ? 0 : 1;
    }
}
