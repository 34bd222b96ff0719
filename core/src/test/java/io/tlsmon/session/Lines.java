package io.tlsmon.session;

import io.tlsmon.logs.LineEvent;
import io.tlsmon.logs.ParsedLine;
import io.tlsmon.logs.SourceKind;

/** Builds parsed lines for tests of the stages after the parsers. */
public final class Lines {
    private Lines() {
    }

    public static ParsedLine.Builder line(SourceKind kind, String session, long time, LineEvent event) {
        return ParsedLine.builder(kind, event).server("mx1").sessionId(session).time(time).sequence(time)
                .source("test.log").lineNumber(time);
    }
}
