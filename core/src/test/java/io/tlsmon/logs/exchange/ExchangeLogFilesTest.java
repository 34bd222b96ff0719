package io.tlsmon.logs.exchange;

import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeLogFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"RECV20140601-1.LOG", "SEND20250301-12.LOG", "RECV2023011116-1.LOG", "recv20250301-1.log",
            "send20240301-2.log", "SEND2025030110-1.LOG.gz", "RECV20250301-1.log.GZ"})
    void protocolLogNamesInAnyCaseAndGzipped(String name) {
        assertThat(ExchangeLogFiles.isProtocolLogName(name)).isTrue();
        assertThat(ExchangeLogFiles.hasProtocolLogName("C:\\Logs\\Hub\\ProtocolLog\\SmtpSend\\" + name)).isTrue();
        assertThat(ExchangeLogFiles.hasProtocolLogName("/mnt/ex01/" + name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sendmail.log", "RECV.LOG", "SEND20250301.LOG", "RECV20250301-1.txt", "MSGTRK2025030110-1.LOG",
            "RECV20250301-1.LOG.1", "xRECV20250301-1.LOG", "RECV20250301-1.LOG.zip", ""})
    void otherNamesAreNot(String name) {
        assertThat(ExchangeLogFiles.isProtocolLogName(name)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "RECV2025030110-1.LOG,                                              EXCHANGE_RECEIVE",
            "/logs/SEND2025030110-1.LOG,                                        EXCHANGE_SEND",
            "C:\\Logs\\Hub\\ProtocolLog\\SmtpReceive\\x.log,                    EXCHANGE_RECEIVE",
            "/mnt/ex01/Mailbox/ProtocolLog/SmtpSend/Delivery/x.log,             EXCHANGE_SEND",
            "/mnt/ex01/SmtpSend/SmtpReceive/x.log,                              EXCHANGE_RECEIVE",
            "/mnt/SmtpReceive/SEND2025030110-1.LOG,                             EXCHANGE_SEND",
            "/var/log/mail.log,                                                 null",
            "/var/log/SmtpSendings/x.log,                                       null",
            "SmtpSend,                                                          null",
    })
    void sideOfAPathByNameThenByTheNearestFolder(String path, SourceKind side) {
        assertThat(ExchangeLogFiles.sideOf(path)).isEqualTo(side);
    }

    @ParameterizedTest
    @CsvSource({
            "C:\\Exchange\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive\\RECV2024030112-1.LOG, true",
            "/mnt/ex/Logs/Edge/ProtocolLog/smtpsend/whatever.log,                                         true",
            "/var/log/SmtpSend,                                                                           false",
            "/var/log/exim4/mainlog,                                                                      false",
    })
    void protocolLogFoldersAreFoldersNotTheFileName(String path, boolean inFolder) {
        assertThat(ExchangeLogFiles.inProtocolLogFolder(path)).isEqualTo(inFolder);
    }
}
