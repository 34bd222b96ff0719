package io.tlsmon.logs.exchange;

import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.StreamInfo;

/** Parser of Exchange logs. (Placeholder until the parser lands; it ignores every line.) */
public final class ExchangeLogParser implements LineParser {
    private final StreamInfo stream;

    public ExchangeLogParser(StreamInfo stream) {
        this.stream = stream;
    }

    @Override
    public ParseResult parse(String line, long lineNumber) {
        return ParseResult.ignored();
    }
}
