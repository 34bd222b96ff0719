package io.tlsmon.logs;

import io.tlsmon.logs.exchange.ExchangeLogParser;
import io.tlsmon.logs.exim.EximLogParser;
import io.tlsmon.logs.postfix.PostfixLogParser;
import io.tlsmon.logs.sendmail.SendmailLogParser;

/** The one place that maps a {@link LogFormat} to its parser. */
public final class Parsers {
    private Parsers() {
    }

    /** A new parser for one stream of the given format, remembering what it must in memory of its own. */
    public static LineParser forFormat(LogFormat format, StreamInfo stream) {
        return forFormat(format, stream, ParserMemory.inMemory());
    }

    /** A new parser for one stream of the given format, remembering earlier lines in {@code memory}. */
    public static LineParser forFormat(LogFormat format, StreamInfo stream, ParserMemory memory) {
        return switch (format) {
            // an Exchange log line carries its whole context: nothing to remember
            case EXCHANGE -> new ExchangeLogParser(stream);
            case POSTFIX -> new PostfixLogParser(stream, memory);
            case SENDMAIL -> new SendmailLogParser(stream, memory);
            case EXIM -> new EximLogParser(stream, memory);
        };
    }
}
