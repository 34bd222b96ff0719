package io.tlsmon.ingest.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tailer stamps lines with core's clock of their file and sends an Exchange file's header with each line. */
class FileTailerTest {
    private static final String LOG_TYPE = "#Log-type: SMTP Receive Protocol Log";
    /** date-time is not the first column: only a clock that read this header finds it. */
    private static final String FIELDS = "#Fields: session-id,date-time,sequence-number,event,data";

    @TempDir
    Path dir;

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static FileTailer tailer(String kind, Path file) {
        return new FileTailer(List.of(new TailSource(kind, List.of(file), LogFileFilter.all(), ZoneOffset.UTC)), true);
    }

    private Path exchangeLog() throws Exception {
        Path log = Files.createDirectories(dir.resolve("SmtpReceive")).resolve("RECV2025030110-1.LOG");
        Files.writeString(log, "\uFEFF#Software: Microsoft Exchange Server\r\n" + LOG_TYPE + "\r\n" + FIELDS + "\r\n"
            + "08D1,2025-03-01T10:00:00.100Z,0,+,\r\n"
            + "08D1,2025-03-01T10:00:00.200Z,1,<,STARTTLS\r\n"
            + "08D1,2025-03-01T10:00:00.300Z,2,>,\"220 2.0.0 SMTP server ready\"\r\n");
        return log;
    }

    @Test
    void exchangeLinesTakeTheirTimeFromTheColumnTheHeaderNamesAndCarryTheHeader() throws Exception {
        FileTailer t = tailer("exchange", exchangeLog());
        t.scan();

        List<TailLine> lines = t.poll(100);

        assertThat(lines).hasSize(6);
        assertThat(lines.subList(0, 3)).allMatch(l -> l.time() == -1);
        assertThat(lines.subList(3, 6)).extracting(TailLine::time)
            .containsExactly(at("2025-03-01T10:00:00.100Z"), at("2025-03-01T10:00:00.200Z"), at("2025-03-01T10:00:00.300Z"));
        assertThat(lines.get(5).header()).isEqualTo(LOG_TYPE + "\n" + FIELDS);
        assertThat(lines.get(1).header()).isEqualTo(LOG_TYPE);
    }

    @Test
    void resumingMidFileReadsTheHeaderFromTheFilesHeadForTheHeaderAndTheClock() throws Exception {
        Path log = exchangeLog();
        FileTailer first = tailer("exchange", log);
        first.scan();
        first.poll(4);
        var positions = first.snapshot().values();

        FileTailer resumed = tailer("exchange", log);
        resumed.resetTo(positions);
        resumed.scan();
        List<TailLine> rest = resumed.poll(100);

        assertThat(rest).extracting(TailLine::lineNumber).containsExactly(5L, 6L);
        assertThat(rest).extracting(TailLine::time).containsExactly(at("2025-03-01T10:00:00.200Z"), at("2025-03-01T10:00:00.300Z"));
        assertThat(rest).allMatch(l -> (LOG_TYPE + "\n" + FIELDS).equals(l.header()));
    }

    @Test
    void aYearlessSyslogDateTakesItsYearFromTheFileAndMovesOnWithIt() throws Exception {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, "Dec 31 23:59:59 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\n"
            + "Jan  1 00:00:01 mx1 postfix/smtpd[1]: disconnect from a[192.0.2.1]\n");
        Files.setLastModifiedTime(log, FileTime.from(Instant.parse("2025-01-01T00:00:02Z")));
        FileTailer t = tailer("postfix", log);
        t.scan();

        assertThat(t.poll(10)).extracting(TailLine::time).containsExactly(at("2024-12-31T23:59:59Z"), at("2025-01-01T00:00:01Z"));
        assertThat(t.snapshot().values()).singleElement().extracting(FileState::logKind).isEqualTo("postfix");
    }

    /** A clock that had read on to August would take the re-read January line for next year's. */
    @Test
    void aFileReadAgainFromItsStartIsReadWithAFreshClock() throws Exception {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, "Jan 10 08:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\n"
            + "Apr 10 08:00:00 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]\n"
            + "Aug 10 08:00:00 mx1 postfix/smtpd[3]: connect from c[192.0.2.3]\n");
        Files.setLastModifiedTime(log, FileTime.from(Instant.parse("2024-08-10T08:00:00Z")));
        FileTailer t = tailer("postfix", log);
        t.scan();
        List<Long> firstRead = t.poll(10).stream().map(TailLine::time).toList();

        t.resetTo(List.of()); // nothing acknowledged: back to where the file was taken up
        List<Long> again = t.poll(10).stream().map(TailLine::time).toList();

        assertThat(firstRead).containsExactly(at("2024-01-10T08:00:00Z"), at("2024-04-10T08:00:00Z"), at("2024-08-10T08:00:00Z"));
        assertThat(again).isEqualTo(firstRead);
    }
}
