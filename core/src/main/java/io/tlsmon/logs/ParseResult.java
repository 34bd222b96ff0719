package io.tlsmon.logs;

/**
 * What a parser made of one line: a {@link ParsedLine}, nothing of interest (ignored), or an error
 * with a reason. Parsers return errors instead of throwing, so one bad line never stops a stream.
 */
public final class ParseResult {
    private static final ParseResult IGNORED = new ParseResult(null, null);

    private final ParsedLine line;
    private final String error;

    private ParseResult(ParsedLine line, String error) {
        this.line = line;
        this.error = error;
    }

    public static ParseResult of(ParsedLine line) {
        return new ParseResult(line, null);
    }

    /** A well-formed line that says nothing about any SMTP session (header, other program, other event). */
    public static ParseResult ignored() {
        return IGNORED;
    }

    /** A line that should have been of this format but is not; {@code reason} says what is wrong. */
    public static ParseResult error(String reason) {
        return new ParseResult(null, reason);
    }

    public boolean isLine() { return line != null; }
    public boolean isIgnored() { return line == null && error == null; }
    public boolean isError() { return error != null; }
    public ParsedLine line() { return line; }
    public String error() { return error; }

    @Override
    public String toString() {
        return isLine() ? line.toString() : isError() ? "error: " + error : "ignored";
    }
}
