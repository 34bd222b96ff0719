package io.tlsmon.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamKeyTest {

    @Test
    void formatsHostBarKindWithAutoForAKindLeftToDetection() {
        assertThat(StreamKey.of("mx1", LogFormat.POSTFIX).format()).isEqualTo("mx1|postfix");
        assertThat(StreamKey.of("ex01.corp.example", LogFormat.EXCHANGE).format()).isEqualTo("ex01.corp.example|exchange");
        assertThat(StreamKey.of("mx1", null).format()).isEqualTo("mx1|auto");
        assertThat(StreamKey.of(null, LogFormat.EXIM).format()).isEqualTo("|exim");
        assertThat(StreamKey.of("mx1", LogFormat.SENDMAIL)).hasToString("mx1|sendmail");
    }

    @ParameterizedTest(name = "''{0}'' -> host {1}, kind {2}")
    @CsvSource(nullValues = "null", value = {
            "mx1|postfix,          mx1,  POSTFIX",
            "' mx1 | EXCHANGE ',   mx1,  EXCHANGE",
            "mx1|auto,             mx1,  null",
            "mx1|AUTO,             mx1,  null",
            "mx1|,                 mx1,  null",
            "mx1,                  mx1,  null",
            "|sendmail,            null, SENDMAIL",
            "'',                   null, null",
    })
    void parsesWhatShippersSendAsKeys(String text, String host, LogFormat kind) {
        StreamKey key = StreamKey.parse(text);

        assertThat(key.sourceHost()).isEqualTo(host);
        assertThat(key.logKind()).isEqualTo(kind);
    }

    @Test
    void everyKeyItFormatsParsesBackToItself() {
        for (String host : new String[] {"mx1", "ex01.corp.example", "odd|host"}) {
            for (LogFormat kind : new LogFormat[] {null, LogFormat.EXCHANGE, LogFormat.POSTFIX, LogFormat.SENDMAIL, LogFormat.EXIM}) {
                StreamKey key = StreamKey.of(host, kind);
                assertThat(StreamKey.parse(key.format())).as(key.format()).isEqualTo(key);
            }
        }
    }

    @Test
    void anUnknownKindIsRefusedNamingIt() {
        assertThatThrownBy(() -> StreamKey.parse("ex01|iis"))
                .isInstanceOfSatisfying(StreamKey.UnknownLogKindException.class, e -> assertThat(e.kind()).isEqualTo("iis"))
                .hasMessage("unknown log kind 'iis'; expected exchange, postfix, sendmail, exim or auto");
        assertThatThrownBy(() -> StreamKey.parseKind("Postfix2")).isInstanceOf(StreamKey.UnknownLogKindException.class);
    }

    @Test
    void kindWordsAreTheFormatLabelsAndAuto() {
        assertThat(StreamKey.parseKind(" Exim ")).isEqualTo(LogFormat.EXIM);
        assertThat(StreamKey.parseKind(null)).isNull();
        assertThat(StreamKey.parseKind(" ")).isNull();
        assertThat(StreamKey.kindLabel(null)).isEqualTo(StreamKey.AUTO);
        assertThat(StreamKey.kindLabel(LogFormat.EXCHANGE)).isEqualTo("exchange");
    }
}
