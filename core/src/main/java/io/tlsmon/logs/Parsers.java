package io.tlsmon.logs;

import io.tlsmon.logs.exchange.ExchangeLogParser;
import io.tlsmon.logs.exim.EximLogParser;
import io.tlsmon.logs.postfix.PostfixLogParser;
import io.tlsmon.logs.sendmail.SendmailLogParser;

/** The one place that maps a {@link LogFormat} to its parser. */
public final class Parsers {
    private Parsers() {
    }

    /** A new parser for one stream of the given format. */
    public static LineParser forFormat(LogFormat format, StreamInfo stream) {
        return switch (format) {
            case EXCHANGE -> new ExchangeLogParser(stream);
            case POSTFIX -> new PostfixLogParser(stream);
            case SENDMAIL -> new SendmailLogParser(stream);
            case EXIM -> new EximLogParser(stream);
        };
    }
}
