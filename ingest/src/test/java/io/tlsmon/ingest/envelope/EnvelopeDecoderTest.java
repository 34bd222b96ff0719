package io.tlsmon.ingest.envelope;

import io.tlsmon.avro.RawLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One realistic record per shipper, written by us from each tool's documented output shape (the
 * comment above each sample says where), plus plain text, times, kinds and every failure reason.
 * docs/shippers.md cites the shipper tests by name: rename them there too.
 *
 * <p>The Exchange lines below are composed from the documented protocol-log format
 * (shared/reference/log-formats.md §1); no Exchange server was involved.
 */
class EnvelopeDecoderTest {
    private static final String TOPIC = "tlsmon.shipped-lines";
    private static final long KAFKA_TS = 1_709_294_999_000L; // 2024-03-01T12:09:59Z
    private final EnvelopeDecoder decoder = EnvelopeDecoder.create();

    // Composed from the documented Exchange format (log-formats.md §1.3-1.5), not copied from a log.
    private static final String EXCHANGE_RECV_LINE = "2024-03-01T12:00:00.917Z,EX01\\Default Frontend EX01,"
            + "08DC39F1A2B3C4D5,7,10.0.0.5:25,203.0.113.7:50123,*,,TLS negotiation failed with error UnknownCredentials";
    private static final String EXCHANGE_SEND_LINE = "2024-03-01T12:00:03.120Z,Outbound to Office 365,"
            + "08DC39F1A2B3C4E0,21,10.0.0.5:16547,198.51.100.25:25,*,,TLS negotiation failed with error SocketError";
    private static final String POSTFIX_LINE = "Mar  1 12:00:00 mx1 postfix/smtpd[4242]: "
            + "SSL_accept error from unknown[192.0.2.10]: lost connection";

    // ---------------------------------------------------------------- shippers (cited by docs/shippers.md)

    /**
     * Filebeat 8 filestream input, Kafka output, default JSON codec. Shape: Filebeat "Exported fields"
     * (ECS: log.file.path, log.offset, host.name, agent.*, input.type) and the Kafka output's
     * {@code codec.json}, which also writes {@code @metadata}; custom {@code fields:} stay under "fields".
     */
    @Test
    void filebeatFilestreamKafkaJson_exchangeProtocolLog() {
        String path = "C:\\\\Program Files\\\\Microsoft\\\\Exchange Server\\\\V15\\\\TransportRoles\\\\Logs"
                + "\\\\FrontEnd\\\\ProtocolLog\\\\SmtpReceive\\\\RECV2024030112-1.LOG";
        String json = """
                {"@timestamp":"2024-03-01T12:00:01.234Z",\
                "@metadata":{"beat":"filebeat","type":"_doc","version":"8.13.4"},\
                "log":{"offset":10542,"file":{"path":"%s","idxhi":"65536","idxlo":"1234","vol":"3456789012"}},\
                "message":"%s",\
                "input":{"type":"filestream"},"ecs":{"version":"8.0.0"},\
                "host":{"name":"ex01","hostname":"ex01","architecture":"x86_64","os":{"family":"windows"}},\
                "agent":{"type":"filebeat","name":"EX01","version":"8.13.4","id":"5f1c","ephemeral_id":"9a2b"},\
                "fields":{"log_kind":"exchange"}}"""
                .formatted(path, EXCHANGE_RECV_LINE.replace("\\", "\\\\"));

        Decoded.Line line = decodeLine(null, json);

        RawLine raw = line.rawLine();
        assertThat(line.shipper()).isEqualTo(Shipper.FILEBEAT);
        assertThat(raw.getLine()).isEqualTo(EXCHANGE_RECV_LINE);
        assertThat(raw.getSourceHost()).isEqualTo("ex01");
        assertThat(raw.getLogKind()).isEqualTo("exchange");
        assertThat(raw.getStream()).endsWith("\\SmtpReceive\\RECV2024030112-1.LOG");
        assertThat(raw.getOffset()).isEqualTo(10542L);
        assertThat(raw.getLineNumber()).isNull();
        assertThat(raw.getTime()).isEqualTo(Instant.parse("2024-03-01T12:00:01.234Z"));
        assertThat(raw.getHeader()).isNull();
        assertThat(line.key()).isEqualTo("ex01|exchange");
    }

    /** Our parser needs the {@code #Log-type}/{@code #Fields} lines: a shipped header line is a line like any other. */
    @Test
    void filebeatKeepsExchangeHeaderLines() {
        String json = """
                {"@timestamp":"2024-03-01T12:00:01.000Z","log":{"offset":0,"file":{"path":"D:/Exchange/TransportRoles/Logs/Hub/ProtocolLog/SmtpSend/SEND2024030112-1.LOG"}},\
                "message":"#Log-type: SMTP Send Protocol Log","host":{"name":"ex02"},"agent":{"type":"filebeat"}}""";

        RawLine raw = decodeLine(null, json).rawLine();

        assertThat(raw.getLine()).isEqualTo("#Log-type: SMTP Send Protocol Log");
        assertThat(raw.getLogKind()).as("kind from the SmtpSend path").isEqualTo("exchange");
        assertThat(raw.getOffset()).isZero();
    }

    /** Filebeat 7 still writes agent.hostname; without host.name that is the host. */
    @Test
    void filebeat7AgentHostnameAndTlsmonKindField() {
        String json = """
                {"@timestamp":"2024-03-01T12:00:01.000Z","message":"%s","log":{"offset":77,"file":{"path":"/var/log/mail.log"}},\
                "agent":{"type":"filebeat","hostname":"mx7","version":"7.17.0"},"fields":{"tlsmon_kind":"Postfix"}}"""
                .formatted(POSTFIX_LINE);

        RawLine raw = decodeLine(null, json).rawLine();

        assertThat(raw.getSourceHost()).isEqualTo("mx7");
        assertThat(raw.getLogKind()).isEqualTo("postfix");
    }

    @Test
    void filebeatEcsModuleAndTagsHintTheKind() {
        String module = """
                {"message":"%s","host":{"name":"mx1"},"event":{"module":"postfix","dataset":"postfix.log"},"agent":{"type":"filebeat"}}"""
                .formatted(POSTFIX_LINE);
        String tags = """
                {"message":"%s","host":{"name":"mx1"},"tags":["mail","sendmail"],"agent":{"type":"filebeat"}}"""
                .formatted(POSTFIX_LINE);

        assertThat(decodeLine(null, module).rawLine().getLogKind()).isEqualTo("postfix");
        assertThat(decodeLine(null, tags).rawLine().getLogKind()).isEqualTo("sendmail");
    }

    /**
     * Fluent Bit tail input ({@code Path_Key path}, {@code Offset_Key offset}, default {@code Key log}),
     * record_modifier adding hostname and log_kind, kafka output {@code Format json} with the default
     * {@code Timestamp_Key @timestamp} and {@code Timestamp_Format double}. Shape: Fluent Bit manual,
     * inputs/tail and outputs/kafka.
     */
    @Test
    void fluentBitTailKafkaJson_postfixMailLog() {
        String json = """
                {"@timestamp":1709294400.123456,"path":"/var/log/mail.log","offset":2048,\
                "log":"%s","hostname":"mx1.example.test","log_kind":"postfix"}""".formatted(POSTFIX_LINE);

        Decoded.Line line = decodeLine(null, json);

        RawLine raw = line.rawLine();
        assertThat(line.shipper()).isEqualTo(Shipper.FLUENT_BIT);
        assertThat(raw.getLine()).isEqualTo(POSTFIX_LINE);
        assertThat(raw.getSourceHost()).isEqualTo("mx1.example.test");
        assertThat(raw.getLogKind()).isEqualTo("postfix");
        assertThat(raw.getStream()).isEqualTo("/var/log/mail.log");
        assertThat(raw.getOffset()).isEqualTo(2048L);
        assertThat(raw.getTime()).isEqualTo(Instant.parse("2024-03-01T12:00:00.123Z"));
        assertThat(line.key()).isEqualTo("mx1.example.test|postfix");
    }

    /** Fluent Bit with {@code Timestamp_Format iso8601} and the tail {@code Key} set to "message". */
    @Test
    void fluentBitIso8601TimestampAndMessageKey() {
        String json = """
                {"@timestamp":"2024-03-01T12:00:00.500000Z","message":"%s","path":"/var/log/postfix.log","host":"mx3"}"""
                .formatted(POSTFIX_LINE);

        RawLine raw = decodeLine(null, json).rawLine();

        assertThat(raw.getTime()).isEqualTo(Instant.parse("2024-03-01T12:00:00.500Z"));
        assertThat(raw.getSourceHost()).isEqualTo("mx3");
        assertThat(raw.getLogKind()).as("postfix in the path").isEqualTo("postfix");
    }

    /**
     * Vector file source (fields file, host, message, source_type, timestamp; Vector docs
     * "sources/file", output "Log events") with a remap adding log_kind, kafka sink
     * {@code encoding.codec = "json"}.
     */
    @Test
    void vectorFileKafkaJson_postfixMailLog() {
        String json = """
                {"file":"/var/log/mail.log","host":"mx2","log_kind":"postfix","message":"%s",\
                "source_type":"file","timestamp":"2024-03-01T12:00:00.123456789Z"}""".formatted(POSTFIX_LINE);

        Decoded.Line line = decodeLine(null, json);

        RawLine raw = line.rawLine();
        assertThat(line.shipper()).isEqualTo(Shipper.VECTOR);
        assertThat(raw.getLine()).isEqualTo(POSTFIX_LINE);
        assertThat(raw.getSourceHost()).isEqualTo("mx2");
        assertThat(raw.getLogKind()).isEqualTo("postfix");
        assertThat(raw.getStream()).isEqualTo("/var/log/mail.log");
        assertThat(raw.getOffset()).isNull();
        assertThat(raw.getTime()).isEqualTo(Instant.parse("2024-03-01T12:00:00.123456789Z"));
    }

    /**
     * NXLog im_file + om_kafka after to_json(), with the Exec block of docs/shippers.md:
     * {@code $Message = $raw_event; $FileName = file_name(); $Hostname = hostname_fqdn();
     * $LogKind = 'exchange'; $EventReceivedTime = integer($EventReceivedTime) / 1000;}.
     * Shape: NXLog reference manual, im_file fields (EventReceivedTime, SourceModuleName,
     * SourceModuleType) and xm_json to_json(), which leaves $raw_event out.
     */
    @Test
    void nxlogImFileOmKafkaToJson_exchangeSendLog() {
        String json = """
                {"EventReceivedTime":1709294403456,"SourceModuleName":"exchange_smtp","SourceModuleType":"im_file",\
                "Message":"%s","FileName":"C:\\\\Program Files\\\\Microsoft\\\\Exchange Server\\\\V15\\\\TransportRoles\\\\Logs\\\\Hub\\\\ProtocolLog\\\\SmtpSend\\\\SEND2024030112-1.LOG",\
                "Hostname":"EX01.corp.example","LogKind":"exchange"}""".formatted(EXCHANGE_SEND_LINE);

        Decoded.Line line = decodeLine(null, json);

        RawLine raw = line.rawLine();
        assertThat(line.shipper()).isEqualTo(Shipper.NXLOG);
        assertThat(raw.getLine()).isEqualTo(EXCHANGE_SEND_LINE);
        assertThat(raw.getSourceHost()).isEqualTo("EX01.corp.example");
        assertThat(raw.getLogKind()).isEqualTo("exchange");
        assertThat(raw.getStream()).endsWith("\\SmtpSend\\SEND2024030112-1.LOG");
        assertThat(raw.getTime()).isEqualTo(Instant.ofEpochMilli(1709294403456L));
        assertThat(line.key()).isEqualTo("EX01.corp.example|exchange");
    }

    /**
     * NXLog's default datetime text has no zone: it is not guessed at. The Exchange line's own time
     * (UTC, with its Z) is used instead; the record timestamp would be the arrival time.
     */
    @Test
    void nxlogLocalTimeWithoutZoneFallsBackToTheLinesOwnTime() {
        String json = """
                {"EventReceivedTime":"2024-03-01 13:00:03","SourceModuleName":"in","SourceModuleType":"im_file","Message":"%s",\
                "FileName":"C:\\\\Logs\\\\RECV2024030112-1.LOG","Hostname":"EX01"}""".formatted(EXCHANGE_RECV_LINE.replace("\\", "\\\\"));

        RawLine raw = decodeLine(null, json).rawLine();

        assertThat(raw.getTime()).isEqualTo(Instant.parse("2024-03-01T12:00:00.917Z"));
        assertThat(raw.getLogKind()).as("RECV file name").isEqualTo("exchange");
    }

    /** A CSV-parsing NXLog config that keeps raw_event (e.g. {@code $raw_event} copied into a field of that name). */
    @Test
    void nxlogRawEventIsTheLine() {
        String json = """
                {"raw_event":"%s","date-time":"2024-03-01T12:00:00.917Z","connector-id":"EX01\\\\Default Frontend EX01",\
                "event":"*","Hostname":"EX01","SourceModuleName":"smtp_recv"}""".formatted(EXCHANGE_RECV_LINE.replace("\\", "\\\\"));

        Decoded.Line line = decodeLine(null, json);

        assertThat(line.shipper()).isEqualTo(Shipper.NXLOG);
        assertThat(line.rawLine().getLine()).isEqualTo(EXCHANGE_RECV_LINE);
    }

    /**
     * rsyslog omkafka with the {@code tlsmon_json} string template of docs/shippers.md; values as
     * rsyslog renders them ({@code date-rfc3339}, {@code msg} starting with the space after the tag).
     * The decoder rebuilds the RSYSLOG_FileFormat line, which is what the MTA parsers read.
     */
    @Test
    void rsyslogOmkafkaJsonTemplate_postfix() {
        String json = """
                {"timereported":"2024-03-01T12:00:00.123456+01:00","hostname":"mx1","syslogtag":"postfix/smtpd[4242]:",\
                "programname":"postfix","msg":" SSL_accept error from unknown[192.0.2.10]: lost connection","log_kind":"postfix"}""";

        Decoded.Line line = decodeLine(null, json + "\n");

        RawLine raw = line.rawLine();
        assertThat(line.shipper()).isEqualTo(Shipper.RSYSLOG_JSON);
        assertThat(raw.getLine()).isEqualTo(
                "2024-03-01T12:00:00.123456+01:00 mx1 postfix/smtpd[4242]: SSL_accept error from unknown[192.0.2.10]: lost connection");
        assertThat(raw.getSourceHost()).isEqualTo("mx1");
        assertThat(raw.getLogKind()).isEqualTo("postfix");
        assertThat(raw.getStream()).isEqualTo(TOPIC);
        assertThat(raw.getTime()).isEqualTo(Instant.parse("2024-03-01T11:00:00.123456Z"));
    }

    @Test
    void rsyslogJsonWithoutTagKeepsTheBareMessageAndHintsKindFromProgram() {
        String json = """
                {"hostname":"mx9","programname":"sm-mta","msg":"STARTTLS=client, error: connect failed=-1"}""";
        String withProgramAndPid = """
                {"timereported":"Mar  1 12:00:00","hostname":"mx9","programname":"sm-mta","procid":"811","msg":"x"}""";

        RawLine bare = decodeLine(null, json).rawLine();
        RawLine rebuilt = decodeLine(null, withProgramAndPid).rawLine();

        assertThat(bare.getLine()).isEqualTo("STARTTLS=client, error: connect failed=-1");
        assertThat(bare.getLogKind()).isEqualTo("sendmail");
        assertThat(rebuilt.getLine()).isEqualTo("Mar  1 12:00:00 mx9 sm-mta[811]: x");
        // no zone in the traditional format: read as UTC, like the parser's default zone, rather
        // than taking the record timestamp, which on tlsmon's LogAppendTime topics is the arrival time
        assertThat(rebuilt.getTime()).isEqualTo(Instant.parse("2024-03-01T12:00:00Z"));
    }

    /** rsyslog omkafka with {@code template="RSYSLOG_FileFormat"}: the value is the file line, LF included. */
    @Test
    void rsyslogOmkafkaFileFormat_plainText() {
        String value = "2024-03-01T12:00:00.123456+01:00 mx1 postfix/smtp[5151]: "
                + "warning: TLS library problem: error:0A000086:SSL routines::certificate verify failed\n";

        Decoded.Line line = decodeLine(null, value);

        RawLine raw = line.rawLine();
        assertThat(line.shipper()).isEqualTo(Shipper.PLAIN_TEXT);
        assertThat(raw.getLine()).isEqualTo(value.substring(0, value.length() - 1));
        assertThat(raw.getSourceHost()).as("host from the syslog header").isEqualTo("mx1");
        assertThat(raw.getLogKind()).isNull();
        assertThat(raw.getStream()).isEqualTo(TOPIC);
        assertThat(raw.getTime()).as("the line's own time, not its arrival").isEqualTo(Instant.parse("2024-03-01T11:00:00.123Z"));
        assertThat(line.key()).isEqualTo("mx1|auto");
    }

    /** rsyslog omkafka with {@code template="RSYSLOG_TraditionalFileFormat"} and a static {@code key="mx1|postfix"}. */
    @Test
    void rsyslogOmkafkaTraditionalFormatWithKey_plainText() {
        Decoded.Line line = decodeLine("mx1.example.test|postfix", POSTFIX_LINE + "\n");

        assertThat(line.rawLine().getLine()).isEqualTo(POSTFIX_LINE);
        assertThat(line.rawLine().getSourceHost()).isEqualTo("mx1.example.test");
        assertThat(line.rawLine().getLogKind()).isEqualTo("postfix");
        assertThat(line.key()).isEqualTo("mx1.example.test|postfix");
    }

    /**
     * Real rsyslog output (rsyslogd 8.2302, Debian 12, run on this project's build machine with the
     * template of docs/shippers.md): each JSON record rebuilds exactly the line the same rsyslog wrote
     * with RSYSLOG_FileFormat, and the plain file-format lines name their host.
     */
    @Test
    void rsyslogRealOutputRebuildsTheFileFormatLine() throws Exception {
        List<String> json = fixture("rsyslog-8.2302-tlsmon_json.jsonl");
        List<String> fileFormat = fixture("rsyslog-8.2302-fileformat.log");
        List<String> traditional = fixture("rsyslog-8.2302-traditional.log");
        assertThat(json).hasSize(5).hasSameSizeAs(fileFormat).hasSameSizeAs(traditional);

        for (int i = 0; i < json.size(); i++) {
            Decoded.Line fromJson = decodeLine(null, json.get(i));
            Decoded.Line fromFile = decodeLine(null, fileFormat.get(i) + "\n");
            Decoded.Line fromTraditional = decodeLine(null, traditional.get(i) + "\n");

            assertThat(fromJson.shipper()).isEqualTo(Shipper.RSYSLOG_JSON);
            assertThat(fromJson.rawLine().getLine()).isEqualTo(fileFormat.get(i));
            assertThat(fromJson.key()).isEqualTo("vm|postfix");
            assertThat(fromJson.rawLine().getTime()).isEqualTo(Instant.parse(fileFormat.get(i).substring(0, 32)));
            assertThat(fromFile.rawLine().getLine()).isEqualTo(fileFormat.get(i));
            assertThat(fromFile.key()).isEqualTo("vm|auto");
            assertThat(fromTraditional.key()).isEqualTo("vm|auto");
        }
    }

    private static List<String> fixture(String name) throws IOException {
        try (InputStream in = EnvelopeDecoderTest.class.getResourceAsStream("/envelope/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).toList();
        }
    }

    // ---------------------------------------------------------------- plain text

    @Test
    void plainTextWithoutKeyAndWithoutSyslogHostIsUnknown() {
        Decoded.Line line = decodeLine(null, EXCHANGE_RECV_LINE + "\r\n");

        assertThat(line.rawLine().getLine()).isEqualTo(EXCHANGE_RECV_LINE);
        assertThat(line.rawLine().getSourceHost()).isEqualTo("unknown");
        assertThat(line.rawLine().getLogKind()).isNull();
        assertThat(line.key()).isEqualTo("unknown|auto");
    }

    @ParameterizedTest(name = "key ''{0}'' -> host {1}, kind {2}")
    @CsvSource(nullValues = "null", value = {
            "ex01,                 ex01,  null",
            "ex01|exchange,        ex01,  exchange",
            "' ex01 | EXCHANGE ',  ex01,  exchange",
            "ex01|auto,            ex01,  null",
            "ex01|,                ex01,  null",
            "|exchange,            unknown, exchange",
    })
    void plainTextHostAndKindFromKey(String key, String host, String kind) {
        RawLine raw = decodeLine(key, EXCHANGE_RECV_LINE).rawLine();

        assertThat(raw.getSourceHost()).isEqualTo(host);
        assertThat(raw.getLogKind()).isEqualTo(kind);
        assertThat(raw.getStream()).isEqualTo(TOPIC);
        assertThat(raw.getOffset()).isNull();
    }

    @Test
    void keyHostWinsOverTheSyslogHost() {
        assertThat(decodeLine("relay7", POSTFIX_LINE).rawLine().getSourceHost()).isEqualTo("relay7");
    }

    @Test
    void envelopeHostWinsOverKeyHostButKeyFillsAMissingOne() {
        String withHost = """
                {"message":"%s","host":"mx2","source_type":"file"}""".formatted(POSTFIX_LINE);
        String withoutHost = """
                {"message":"%s","source_type":"file"}""".formatted(POSTFIX_LINE);

        assertThat(decodeLine("other|postfix", withHost).rawLine().getSourceHost()).isEqualTo("mx2");
        assertThat(decodeLine("other|postfix", withHost).rawLine().getLogKind()).isEqualTo("postfix");
        assertThat(decodeLine("other", withoutHost).rawLine().getSourceHost()).isEqualTo("other");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2024-03-01T12:00:00+01:00 mx1 postfix/smtpd[1]: x| mx1",
            "<22>2024-03-01T12:00:00Z mx1 postfix/smtpd[1]: x| mx1",
            "Mar  1 12:00:00 mx1 postfix/smtpd[1]: x| mx1",
            "Mar 01 12:00:00 mx1 postfix/smtpd[1]: x| mx1",
            "<34>1 2024-03-01T12:00:00.003Z mx5.example.test postfix/smtpd 1234 - - x| mx5.example.test",
            "Mar  1 12:00:00 postfix/smtpd[1]: no host in a local log| unknown",
            "<34>1 2024-03-01T12:00:00Z - postfix/smtpd 1234 - - x| unknown",
            "1 2024-03-01T12:00:00Z mx6 postfix/smtpd 1234 - - x| mx6",
            "Mar  1 2024 12:00:00 mx7 sendmail[42]: x| mx7",
            "2024-03-01T12:00:00.917Z,EX01\\Default Frontend EX01,08DC39F1A2B3C4D5,7,,,*,,x| unknown",
            "2024-03-01 12:00:00 1abcDE-000123-AB <= a@b.example H=mx.b.example [192.0.2.1]| unknown",
    })
    void plainTextHostFromSyslogHeader(String line, String host) {
        assertThat(decodeLine(null, line).rawLine().getSourceHost()).isEqualTo(host);
    }

    /** Each shape's own time, read as core's parsers read it; a yearless date is of the year the record arrived in. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2024-03-01T12:00:00.917Z,EX01\\Default Frontend EX01,08DC39F1A2B3C4D5,7,,,*,,x| 2024-03-01T12:00:00.917Z",
            "Mar  1 11:00:00 mx1 postfix/smtpd[1]: x| 2024-03-01T11:00:00Z",
            "<34>1 2024-03-01T13:00:00.003+01:00 mx5 postfix/smtpd 1234 - - x| 2024-03-01T12:00:00.003Z",
            "1 2024-03-01T11:30:00Z mx6 postfix/smtpd 1234 - - x| 2024-03-01T11:30:00Z",
            "2024-03-01 12:00:00 +0100 1abcDE-000123-AB <= a@b.example H=mx.b.example [192.0.2.1]| 2024-03-01T11:00:00Z",
            "mx1 exim[99]: 2024-03-01 10:00:00 TLS error on connection to y [198.51.100.2] (SSL_connect): error| 2024-03-01T10:00:00Z",
            "a line that states no time| 2024-03-01T12:09:59Z",
    })
    void plainTextTakesItsOwnTimeBeforeTheRecordTimestamp(String line, String time) {
        assertThat(decodeLine(null, line).rawLine().getTime()).isEqualTo(Instant.parse(time));
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() {
        byte[] prefix = "Mar  1 12:00:00 mx1 postfix/smtpd[1]: caf".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[prefix.length + 2];
        System.arraycopy(prefix, 0, value, 0, prefix.length);
        value[prefix.length] = (byte) 0xC3;     // lead byte ...
        value[prefix.length + 1] = (byte) 0x28; // ... followed by no continuation byte
        byte[] json = "{\"message\":\"ab\u0000\"}".getBytes(StandardCharsets.UTF_8);
        json[14] = (byte) 0xFF; // the NUL after "ab" becomes a byte that is never valid UTF-8

        Decoded plain = decoder.decode(null, value, TOPIC, KAFKA_TS);
        Decoded inJson = decoder.decode(null, json, TOPIC, KAFKA_TS);

        assertThat(plain).isInstanceOf(Decoded.Line.class);
        assertThat(((Decoded.Line) plain).rawLine().getLine()).endsWith("caf\uFFFD(");
        assertThat(inJson).isInstanceOf(Decoded.Line.class);
        assertThat(((Decoded.Line) inJson).rawLine().getLine()).isEqualTo("ab\uFFFD");
    }

    @Test
    void byteOrderMarkAndSpaceBeforeJsonAreSkipped() {
        Decoded.Line line = decodeLine(null, "\uFEFF  {\"message\":\"x\",\"host\":\"h\"}\n");

        assertThat(line.rawLine().getLine()).isEqualTo("x");
    }

    // ---------------------------------------------------------------- kinds

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "C:\\Exchange\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive\\RECV2024030112-1.LOG, exchange",
            "/mnt/ex/TransportRoles/Logs/Edge/ProtocolLog/SmtpSend/whatever.log,                           exchange",
            "E:\\logs\\SEND20240301-7.LOG,                                                                   exchange",
            "/var/log/sendmail.log,                                                                          sendmail",
            "/var/log/postfix.log,                                                                           postfix",
            "/var/log/exim4/mainlog,                                                                         exim",
            "/var/log/mail.log,                                                                              null",
            "/var/log/maillog,                                                                               null",
    })
    void kindFromPath(String path, String kind) {
        String json = "{\"message\":\"x\",\"file\":\"" + path.replace("\\", "\\\\") + "\",\"source_type\":\"file\"}";

        assertThat(decodeLine(null, json).rawLine().getLogKind()).isEqualTo(kind);
    }

    @Test
    void explicitKindWinsOverPathAndKeyAndAutoDefersToThePath() {
        String explicit = """
                {"message":"x","file":"/var/log/postfix.log","log_kind":"exim"}""";
        String auto = """
                {"message":"x","file":"/var/log/postfix.log","log_kind":"auto"}""";

        assertThat(decodeLine("h|sendmail", explicit).rawLine().getLogKind()).isEqualTo("exim");
        assertThat(decodeLine(null, auto).rawLine().getLogKind()).isEqualTo("postfix");
        assertThat(decodeLine("h|sendmail", auto).rawLine().getLogKind()).as("key beats path").isEqualTo("sendmail");
    }

    @Test
    void streamKeyUsesAutoForAnUndetectedKind() {
        RawLine raw = RawLine.newBuilder().setSourceHost("mx1").setLogKind(null).setStream("s").setLine("l").build();

        assertThat(EnvelopeDecoder.streamKey(raw)).isEqualTo("mx1|auto");
        raw.setLogKind("postfix");
        assertThat(EnvelopeDecoder.streamKey(raw)).isEqualTo("mx1|postfix");
    }

    // ---------------------------------------------------------------- times

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "1709294400|                      2024-03-01T12:00:00Z",
            "1709294400.5|                    2024-03-01T12:00:00.500Z",
            "1709294400123|                   2024-03-01T12:00:00.123Z",
            "1709294400123456|                2024-03-01T12:00:00.123Z",
            "1709294400123456789|             2024-03-01T12:00:00.123Z",
            "\"1709294400\"|                  2024-03-01T12:00:00Z",
            "\"2024-03-01T13:00:00+01:00\"|   2024-03-01T12:00:00Z",
            "\"2024-03-01T13:00:00.25+0100\"| 2024-03-01T12:00:00.250Z",
            "\"2024-03-01T13:00:00+01\"|      2024-03-01T12:00:00Z",
            "\"2024-03-01 12:00:00Z\"|        2024-03-01T12:00:00Z",
            "\"2024-03-01T12:00:00\"|         null",
            "\"yesterday\"|                   null",
            "\"+999999999-12-31T00:00:00Z\"|  null",
            "1e23|                            null",
            "-5|                              null",
            "{\"a\":1}|                       null",
    })
    void envelopeTimes(String jsonValue, String expected) {
        String json = "{\"message\":\"x\",\"@timestamp\":" + jsonValue + "}";

        Instant time = decodeLine(null, json).rawLine().getTime();

        assertThat(time).isEqualTo(expected == null ? Instant.ofEpochMilli(KAFKA_TS) : Instant.parse(expected));
    }

    @Test
    void noTimeAnywhereLeavesTimeNull() {
        Decoded d = decoder.decode(null, "{\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8), TOPIC, -1);

        assertThat(((Decoded.Line) d).rawLine().getTime()).isNull();
    }

    // ---------------------------------------------------------------- failures

    /** One sample per reason; a reason added without a sample here makes this test fail. */
    private static Map<FailureReason, byte[]> failureSamples() {
        Map<FailureReason, byte[]> m = new LinkedHashMap<>();
        m.put(FailureReason.NULL_VALUE, null);
        m.put(FailureReason.EMPTY_VALUE, new byte[0]);
        m.put(FailureReason.VALUE_TOO_LARGE, new byte[EnvelopeDecoder.DEFAULT_MAX_VALUE_BYTES + 1]);
        m.put(FailureReason.INVALID_JSON, utf8("{\"message\":\"x\""));
        m.put(FailureReason.NO_MESSAGE_FIELD, utf8("{\"date-time\":\"2024-03-01T12:00:00Z\",\"connector-id\":\"x\",\"Hostname\":\"EX01\"}"));
        m.put(FailureReason.MESSAGE_NOT_TEXT, utf8("{\"message\":{\"text\":\"x\"}}"));
        m.put(FailureReason.EMPTY_LINE, utf8("\r\n"));
        m.put(FailureReason.MULTIPLE_LINES, utf8("line one\nline two\n"));
        m.put(FailureReason.UNKNOWN_LOG_KIND, utf8("{\"message\":\"x\",\"fields\":{\"log_kind\":\"iis\"}}"));
        return m;
    }

    @ParameterizedTest
    @EnumSource(FailureReason.class)
    void everyFailureReasonHasASampleThatProducesIt(FailureReason reason) {
        Set<FailureReason> untestable = EnumSet.of(FailureReason.UNEXPECTED); // see EnvelopeDecoderRandomizedTest
        if (untestable.contains(reason)) {
            return;
        }
        Map<FailureReason, byte[]> samples = failureSamples();
        assertThat(samples).containsKey(reason);

        Decoded d = decoder.decode(null, samples.get(reason), TOPIC, KAFKA_TS);

        assertThat(d).isInstanceOf(Decoded.Failure.class);
        assertThat(((Decoded.Failure) d).reason()).isEqualTo(reason);
        assertThat(((Decoded.Failure) d).describe()).startsWith(reason.code() + ": ");
    }

    @Test
    void tooLargeHonoursAConfiguredLimitAndSaysBothSizes() {
        EnvelopeDecoder small = EnvelopeDecoder.withMaxValueBytes(16);

        Decoded.Failure f = (Decoded.Failure) small.decode(null, utf8("12345678901234567"), TOPIC, KAFKA_TS);
        Decoded ok = small.decode(null, utf8("1234567890123456"), TOPIC, KAFKA_TS);

        assertThat(f.reason()).isEqualTo(FailureReason.VALUE_TOO_LARGE);
        assertThat(f.message()).isEqualTo("value of 17 bytes exceeds the limit of 16 bytes");
        assertThat(ok.isLine()).isTrue();
        assertThat(EnvelopeDecoder.create().decode(null, new byte[EnvelopeDecoder.DEFAULT_MAX_VALUE_BYTES - 1],
                TOPIC, KAFKA_TS)).isInstanceOf(Decoded.Line.class);
    }

    @Test
    void noMessageFieldNamesTheFieldsItHad() {
        Decoded.Failure f = failure(null, "{\"date-time\":\"2024-03-01T12:00:00Z\",\"connector-id\":\"x\",\"Hostname\":\"EX01\","
                + "\"log\":{\"file\":{\"path\":\"/x\"}}}");

        assertThat(f.reason()).isEqualTo(FailureReason.NO_MESSAGE_FIELD);
        assertThat(f.message()).contains("[date-time, connector-id, Hostname, log]")
                .contains("message, log, raw_event, Message, msg");
    }

    @Test
    void noMessageFieldShortensLongFieldLists() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 30; i++) {
            json.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
        }
        Decoded.Failure f = failure(null, json.append('}').toString());

        assertThat(f.message()).contains("f19]").contains("and 10 more").doesNotContain("f20");
    }

    @Test
    void failureMessagesAreSpecific() {
        assertThat(failure(null, "{\"message\":42}").message()).isEqualTo("field 'message' holds the number 42, not text");
        assertThat(failure(null, "{\"log\":true}").message()).isEqualTo("field 'log' holds the boolean true, not text");
        assertThat(failure(null, "{\"message\":\"a\"} trailing").reason()).isEqualTo(FailureReason.INVALID_JSON);
        assertThat(failure(null, "{\"message\":\"a\",}").message()).contains("(line 1, column ");
        assertThat(failure(null, "{\"message\":\"\\n\"}").message()).isEqualTo("field 'message' is empty once its line terminator is removed");
        assertThat(failure(null, "{\"message\":\"a\\nb\"}").message()).startsWith("field 'message' holds a line feed at character 1");
        assertThat(failure("ex01|iis", "x").message())
                .isEqualTo("record key 'ex01|iis' names log kind 'iis'; expected exchange, postfix, sendmail, exim or auto");
        assertThat(failure(null, "{\"message\":\"x\",\"fields\":{\"tlsmon_kind\":\"IIS\"}}").message())
                .isEqualTo("field 'fields.tlsmon_kind' is 'IIS'; expected exchange, postfix, sendmail, exim or auto");
    }

    @Test
    void aTombstoneIsNullValue() {
        Decoded.Failure f = (Decoded.Failure) decoder.decode(utf8("ex01|exchange"), null, TOPIC, KAFKA_TS);

        assertThat(f.reason()).isEqualTo(FailureReason.NULL_VALUE);
    }

    // ---------------------------------------------------------------- helpers

    private Decoded.Line decodeLine(String key, String value) {
        Decoded d = decoder.decode(key == null ? null : utf8(key), utf8(value), TOPIC, KAFKA_TS);
        assertThat(d).as("decoded %s", value).isInstanceOf(Decoded.Line.class);
        return (Decoded.Line) d;
    }

    private Decoded.Failure failure(String key, String value) {
        Decoded d = decoder.decode(key == null ? null : utf8(key), utf8(value), TOPIC, KAFKA_TS);
        assertThat(d).as("decoded %s", value).isInstanceOf(Decoded.Failure.class);
        return (Decoded.Failure) d;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
