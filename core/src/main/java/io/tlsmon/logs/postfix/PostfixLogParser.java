package io.tlsmon.logs.postfix;

import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.StreamInfo;

/** Parser of Postfix logs. (Placeholder until the parser lands; it ignores every line.) */
public final class PostfixLogParser implements LineParser {
    private final StreamInfo stream;

    public PostfixLogParser(StreamInfo stream) {
        this.stream = stream;
    }

    @Override
    public ParseResult parse(String line, long lineNumber) {
        return ParseResult.ignored();
    }
}
