package io.tlsmon.testing;

import io.tlsmon.avro.Direction;

/**
 * One TLS negotiation attempt that a scenario must produce, as a row of a captured fixtures'
 * {@code expected.tsv}: the classification the pipeline should reach from the captured lines.
 * Absent values are {@code -} in the file.
 *
 * @param sourceKind    {@code postfix-smtpd}, {@code postfix-smtp}, {@code exim} or {@code sendmail}
 * @param direction     which side of the session the logging MTA was: Exim and Sendmail log both in one log
 * @param outcome       a name from the taxonomy (shared/spec/taxonomy.md)
 * @param probableCause a taxonomy name, or null
 * @param tlsVersion    normalised negotiated version, or null when none was negotiated
 * @param error         the most specific raw error text in the log, or null
 */
public record ExpectedAttempt(String sourceKind, Direction direction, String outcome, String probableCause,
                              String tlsVersion, String error) {

    /** The columns of {@link #tsvRow}, as the header line of expected.tsv. */
    static final String TSV_HEADER = "# file\tsourceKind\tdirection\toutcome\tprobableCause\ttlsVersion\terror";

    static ExpectedAttempt smtpd(String outcome, String tlsVersion, String error) {
        return new ExpectedAttempt("postfix-smtpd", Direction.inbound, outcome, null, tlsVersion, error);
    }

    static ExpectedAttempt smtp(String outcome, String tlsVersion, String error) {
        return new ExpectedAttempt("postfix-smtp", Direction.outbound, outcome, null, tlsVersion, error);
    }

    static ExpectedAttempt eximIn(String outcome, String tlsVersion, String error) {
        return new ExpectedAttempt("exim", Direction.inbound, outcome, null, tlsVersion, error);
    }

    static ExpectedAttempt eximOut(String outcome, String tlsVersion, String error) {
        return new ExpectedAttempt("exim", Direction.outbound, outcome, null, tlsVersion, error);
    }

    /** The row of expected.tsv that {@link #tsvRow} wrote. */
    static ExpectedAttempt ofTsv(String[] columns) {
        return new ExpectedAttempt(columns[1], Direction.valueOf(columns[2]), columns[3], undash(columns[4]),
                undash(columns[5]), undash(columns[6]));
    }

    static ExpectedAttempt sendmailIn(String outcome, String tlsVersion, String error) {
        return new ExpectedAttempt("sendmail", Direction.inbound, outcome, null, tlsVersion, error);
    }

    static ExpectedAttempt sendmailOut(String outcome, String tlsVersion, String error) {
        return new ExpectedAttempt("sendmail", Direction.outbound, outcome, null, tlsVersion, error);
    }

    String tsvRow(String file) {
        return String.join("\t", file, sourceKind, direction.name(), outcome, dash(probableCause), dash(tlsVersion),
                dash(error));
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    private static String undash(String value) {
        return value.equals("-") ? null : value;
    }
}
