package io.tlsmon.logs.exim;

import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.StreamInfo;

/** Parser of Exim logs. (Placeholder until the parser lands; it ignores every line.) */
public final class EximLogParser implements LineParser {
    private final StreamInfo stream;

    public EximLogParser(StreamInfo stream) {
        this.stream = stream;
    }

    @Override
    public ParseResult parse(String line, long lineNumber) {
        return ParseResult.ignored();
    }
}
