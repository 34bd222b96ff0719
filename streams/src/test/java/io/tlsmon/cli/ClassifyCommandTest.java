package io.tlsmon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClassifyCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ClassifyCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args);
    }

    /** A composed Postfix log (not a real one): a TLS 1.0 session, then a failure, rotated and gzip'd. */
    private static void writeLogs(Path dir) throws IOException {
        String old = String.join("\n",
                "2025-03-01T10:00:00.000000+00:00 mx1 postfix/smtpd[10]: connect from a.example[192.0.2.1]",
                "2025-03-01T10:00:00.100000+00:00 mx1 postfix/smtpd[10]: Anonymous TLS connection established from a.example[192.0.2.1]: TLSv1 with cipher AES256-SHA (256/256 bits)",
                "2025-03-01T10:00:00.200000+00:00 mx1 postfix/smtpd[10]: disconnect from a.example[192.0.2.1] ehlo=2 starttls=1 commands=3",
                "2025-03-01T10:00:01.000000+00:00 mx1 postfix/smtpd[11]: connect from b.example[192.0.2.2]") + "\n";
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("mail.log.1.gz")))) {
            gz.write(old.getBytes(StandardCharsets.UTF_8));
        }
        // the session of pid 11 goes on in the live file
        Files.writeString(dir.resolve("mail.log"), String.join("\n",
                "2025-03-01T10:00:01.100000+00:00 mx1 postfix/smtpd[11]: SSL_accept error from b.example[192.0.2.2]: -1",
                "2025-03-01T10:00:01.100000+00:00 mx1 postfix/smtpd[11]: warning: TLS library problem: error:0A000102:SSL routines::unsupported protocol:",
                "2025-03-01T10:00:01.200000+00:00 mx1 postfix/smtpd[11]: disconnect from b.example[192.0.2.2] ehlo=1 starttls=0/1 commands=1/2") + "\n");
    }

    @Test
    void classifiesAFolderOfRotatedAndGzippedLogsAsJsonLines(@TempDir Path dir) throws IOException {
        writeLogs(dir);
        assertThat(run("--output", "jsonl", dir.toString())).isZero();
        String[] all = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        String[] lines = java.util.Arrays.stream(all).filter(l -> l.startsWith("{\"record\":\"attempt\"")).toArray(String[]::new);
        assertThat(lines).hasSize(2);
        // the engine's alerts come with the attempts: TLS 1.0 from a.example
        assertThat(all).filteredOn(l -> l.startsWith("{\"record\":\"alert\"")).singleElement().asString()
                .contains("\"rule\":\"deprecated-protocol\"", "\"type\":\"RAISED\"", "\"sender\":\"192.0.2.1\"");
        assertThat(lines[0]).contains("\"outcome\":\"DEPRECATED_PROTOCOL\"", "\"tlsVersion\":\"TLSv1\"", "\"sourceKind\":\"postfix-smtpd\"",
                "\"startTime\":\"2025-03-01T10:00:00Z\"", "\"evidence\":[{\"file\":");
        // stitched across the rotation: the connect line is in mail.log.1.gz, the failure in mail.log
        assertThat(lines[1]).contains("\"outcome\":\"PROTOCOL_VERSION_REJECTED\"", "unsupported protocol", "mail.log.1.gz", "mail.log\"");
    }

    @Test
    void theSummaryGivesEachSenderItsFix(@TempDir Path dir) throws IOException {
        writeLogs(dir);
        assertThat(run("--output", "summary", dir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("sender 192.0.2.2", "PROTOCOL_VERSION_REJECTED=1", "smtp_tls_protocols");
    }

    @Test
    void unreadableInputIsReportedAndExitsOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.log"), "#Log-type: SMTP Receive Protocol Log\nnot,a,valid,line\n");
        assertThat(run("--output", "jsonl", dir.resolve("bad.log").toString(), dir.resolve("missing").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.log:2:", "missing: no such file or directory");
    }

    @Test
    void printsEachSiemFormatOneRecordPerLineForAttemptsAndAlerts(@TempDir Path dir) throws Exception {
        writeLogs(dir);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String format : new String[]{"ecs", "ocsf", "hec", "cef"}) {
            out.reset();
            assertThat(run("--output", format, dir.toString())).as(format).isZero();
            String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
            assertThat(lines).as(format + ": two attempts and one alert").hasSize(3);
            for (String line : lines) {
                if (format.equals("cef")) {
                    assertThat(line).startsWith("CEF:0|tlsmon|tlsmon|");
                } else {
                    assertThat(json.readTree(line).isObject()).isTrue();
                }
            }
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("|alert:deprecated-protocol|", "|attempt:PROTOCOL_VERSION_REJECTED|");
        out.reset();
        assertThat(run("--output", "ecs", dir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"dataset\":\"tlsmon.attempt\"", "\"dataset\":\"tlsmon.alert\"");
        out.reset();
        assertThat(run("--output", "hec", "--hec-index", "mail", dir.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"index\":\"mail\"", "\"sourcetype\":\"tlsmon:alert\"");
    }

    @Test
    void aBadOutputIsBadUsageNamingTheFlag(@TempDir Path dir) throws IOException {
        writeLogs(dir);
        assertThat(run("--output", "leef", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--output", "leef");
        assertThat(run("--output", "ecs", "--hec-index", "mail", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--hec-index needs --output hec");
    }

    @Test
    void aBadFlagIsBadUsage() {
        assertThat(run("--format", "qmail", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'qmail' is not a format");
        assertThat(run("--idle-gap", "soon", "x")).isEqualTo(2);
    }
}
