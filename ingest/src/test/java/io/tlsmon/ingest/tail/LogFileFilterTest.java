package io.tlsmon.ingest.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogFileFilterTest {
    private static final Path ROOT = Path.of("/mnt/ex01/TransportRoles/Logs");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "FrontEnd/ProtocolLog/SmtpReceive/RECV2024030110-1.LOG, true",
        "Hub/ProtocolLog/SmtpSend/send20240301-2.log,             true",
        "Mailbox/ProtocolLog/SmtpSend/Delivery/SEND20240301-7.LOG, true",
        "RECV20240301-1.LOG,                                      true",
        "Hub/ProtocolLog/SmtpSend/sendmail.log,                   false",
        "Hub/ProtocolLog/SmtpReceive/RECV20240301-1.LOG.gz,       false",
        "Hub/ProtocolLog/SmtpReceive/notes.txt,                   false",
        "copies/RECV20240301-1.LOG,                               false",
        "MessageTracking/MSGTRK2024030110-1.LOG,                  false",
    })
    void exchangeFollowsProtocolLogsInTheirFoldersOrAtTheRoot(String relative, boolean followed) {
        assertThat(LogFileFilter.exchange().accept(ROOT, ROOT.resolve(relative))).isEqualTo(followed);
    }
}
