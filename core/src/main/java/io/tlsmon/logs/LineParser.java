package io.tlsmon.logs;

/**
 * Parses the lines of one stream (one file, or one shipper stream) of one format, in order. An
 * instance may keep per-stream state (the Exchange header's log type, the last syslog year), so use
 * one instance per stream. Implementations never throw on bad input: they return
 * {@link ParseResult#error(String)}.
 */
public interface LineParser {

    /**
     * @param line       the line without its terminator (a trailing CR is tolerated)
     * @param lineNumber 1-based line number in the stream, carried into the evidence
     */
    ParseResult parse(String line, long lineNumber);
}
