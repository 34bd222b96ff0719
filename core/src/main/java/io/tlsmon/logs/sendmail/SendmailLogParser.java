package io.tlsmon.logs.sendmail;

import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.StreamInfo;

/** Parser of Sendmail logs. (Placeholder until the parser lands; it ignores every line.) */
public final class SendmailLogParser implements LineParser {
    private final StreamInfo stream;

    public SendmailLogParser(StreamInfo stream) {
        this.stream = stream;
    }

    @Override
    public ParseResult parse(String line, long lineNumber) {
        return ParseResult.ignored();
    }
}
