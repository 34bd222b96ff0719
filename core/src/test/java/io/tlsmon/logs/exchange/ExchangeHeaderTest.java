package io.tlsmon.logs.exchange;

import io.tlsmon.logs.SourceKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeHeaderTest {
    private static final String LOG_TYPE = "#Log-type: SMTP Receive Protocol Log";
    private static final String FIELDS = "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,"
            + "remote-endpoint,event,data,context";

    @Test
    void keepsLogTypeAndFieldsAsTheTextAShippedLineCarries() {
        ExchangeHeader h = new ExchangeHeader();

        assertThat(h.offer("\uFEFF#Software: Microsoft Exchange Server")).isTrue();
        assertThat(h.text()).isNull();
        assertThat(h.offer("#Version: 15.0.0.0")).isTrue();
        assertThat(h.offer(LOG_TYPE + "\r")).isTrue();
        assertThat(h.text()).isEqualTo(LOG_TYPE);
        assertThat(h.offer("#Date: 2023-01-11T16:00:04.113Z")).isTrue();
        assertThat(h.offer(FIELDS)).isTrue();

        assertThat(h.text()).isEqualTo(LOG_TYPE + "\n" + FIELDS);
        assertThat(h.side()).isEqualTo(SourceKind.EXCHANGE_RECEIVE);
        assertThat(h.isOtherLog()).isFalse();
    }

    @Test
    void aLineOfTheLogIsNoHeaderAndChangesNothing() {
        ExchangeHeader h = new ExchangeHeader();
        h.offer(LOG_TYPE);

        assertThat(h.offer("2023-01-11T16:00:04.113Z,EX01\\Default,08D5,0,,,+,,")).isFalse();
        assertThat(h.offer("")).isFalse();
        assertThat(h.offer("\uFEFF")).isFalse();
        assertThat(h.text()).isEqualTo(LOG_TYPE);
    }

    @Test
    void readsTheSideAndOtherLogsInAnyCaseAndTheFieldsAloneToo() {
        ExchangeHeader send = new ExchangeHeader();
        send.offer("#log-type: smtp send protocol log");
        ExchangeHeader tracking = new ExchangeHeader();
        tracking.offer("#Log-type: Message Tracking Log");
        ExchangeHeader fieldsOnly = new ExchangeHeader();
        fieldsOnly.offer("#Fields: session-id,date-time,sequence-number,event");

        assertThat(send.side()).isEqualTo(SourceKind.EXCHANGE_SEND);
        assertThat(tracking.side()).isNull();
        assertThat(tracking.isOtherLog()).isTrue();
        assertThat(fieldsOnly.text()).isEqualTo("#Fields: session-id,date-time,sequence-number,event");
        assertThat(fieldsOnly.layout().dateTime).isEqualTo(1);
        assertThat(new ExchangeHeader().layout().dateTime).isZero();
    }

    @Test
    void aNewerHeaderReplacesTheOlderAndClearForgetsBoth() {
        ExchangeHeader h = new ExchangeHeader();
        h.offer(LOG_TYPE);
        h.offer("#Fields: session-id,date-time,sequence-number,event");
        h.offer(FIELDS);

        assertThat(h.text()).isEqualTo(LOG_TYPE + "\n" + FIELDS);
        assertThat(h.layout().dateTime).isZero();

        h.clear();
        assertThat(h.text()).isNull();
        assertThat(h.side()).isNull();
        assertThat(h.isOtherLog()).isFalse();
    }

    @Test
    void onlyExchangesOwnHeaderLinesNameExchange() {
        assertThat(ExchangeHeader.namesExchange("#Software: Microsoft Exchange Server")).isTrue();
        assertThat(ExchangeHeader.namesExchange("\uFEFF#Software: Microsoft Exchange Server")).isTrue();
        assertThat(ExchangeHeader.namesExchange("#Log-type: SMTP Send Protocol Log")).isTrue();
        assertThat(ExchangeHeader.namesExchange("#Software: Microsoft Internet Information Services 10.0")).isFalse();
        assertThat(ExchangeHeader.namesExchange("#Fields: date time s-ip cs-method")).isFalse();
    }
}
