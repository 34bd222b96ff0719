package io.tlsmon.ingest.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Shipper settings: max.open.files, and a bad value stops start-up naming its key. */
class ShipperConfigTest {

    private static Properties base() {
        Properties p = new Properties();
        p.setProperty(ShipperConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        p.setProperty(ShipperConfig.SHIPPER_ID_CONFIG, "mx1");
        p.setProperty(ShipperConfig.CHECKPOINT_DIR_CONFIG, "/tmp/cp");
        p.setProperty(ShipperConfig.SOURCES_PREFIX + "postfix", "/var/log/mail.log");
        return p;
    }

    private static ShipperConfig with(String key, String value) {
        Properties p = base();
        p.setProperty(key, value);
        return ShipperConfig.fromProperties(p);
    }

    @Test
    void maxOpenFilesHasADefaultAndIsRead() {
        assertThat(ShipperConfig.fromProperties(base()).maxOpenFiles()).isEqualTo(ShipperConfig.MAX_OPEN_FILES_DEFAULT);
        assertThat(with(ShipperConfig.MAX_OPEN_FILES_CONFIG, "12").maxOpenFiles()).isEqualTo(12);
        assertThat(ShipperConfig.MAX_OPEN_FILES_DOC).isNotBlank();
    }

    @Test
    void aMaxOpenFilesBelowOneIsRefusedByName() {
        assertThatThrownBy(() -> with(ShipperConfig.MAX_OPEN_FILES_CONFIG, "0"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.open.files");
    }

    @Test
    void aNumberThatIsNotOneIsRefusedByName() {
        assertThatThrownBy(() -> with(ShipperConfig.POLL_INTERVAL_MS_CONFIG, "fast"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poll.interval.ms").hasMessageContaining("fast");
        assertThatThrownBy(() -> with(ShipperConfig.MAX_OPEN_FILES_CONFIG, "many"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.open.files");
    }

    @Test
    void aBooleanThatIsNotOneIsRefusedRatherThanReadAsFalse() {
        assertThatThrownBy(() -> with(ShipperConfig.READ_EXISTING_CONFIG, "yes"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read.existing");
    }

    @Test
    void intervalsAndBackoffsMustBePositiveAndOrdered() {
        assertThatThrownBy(() -> with(ShipperConfig.SCAN_INTERVAL_MS_CONFIG, "0")).hasMessageContaining("scan.interval.ms");
        assertThatThrownBy(() -> with(ShipperConfig.TRANSACTION_MAX_LINES_CONFIG, "0")).hasMessageContaining("transaction.max.lines");
        assertThatThrownBy(() -> with(ShipperConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "100")) // below the default 500
            .hasMessageContaining("retry.backoff.max.ms");
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        assertThatThrownBy(() -> with("max.open.file", "3")).hasMessageContaining("max.open.file");
    }
}
