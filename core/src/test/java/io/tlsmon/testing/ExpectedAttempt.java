package io.tlsmon.testing;

/**
 * One TLS negotiation attempt that a scenario must produce, as a row of
 * {@code fixtures/postfix-captured/expected.tsv}: the classification the pipeline should reach
 * from the captured lines. Absent values are {@code -} in the file.
 *
 * @param sourceKind    {@code postfix-smtpd} or {@code postfix-smtp}
 * @param outcome       a name from the taxonomy (shared/spec/taxonomy.md)
 * @param probableCause a taxonomy name, or null
 * @param tlsVersion    normalised negotiated version, or null when none was negotiated
 * @param error         the most specific raw error text in the log, or null
 */
public record ExpectedAttempt(String sourceKind, String outcome, String probableCause, String tlsVersion,
                             String error) {

    static ExpectedAttempt smtpd(String outcome, String tlsVersion, String error) {
        return new ExpectedAttempt("postfix-smtpd", outcome, null, tlsVersion, error);
    }

    static ExpectedAttempt smtp(String outcome, String tlsVersion, String error) {
        return new ExpectedAttempt("postfix-smtp", outcome, null, tlsVersion, error);
    }

    String tsvRow(String file) {
        return String.join("\t", file, sourceKind, outcome, dash(probableCause), dash(tlsVersion), dash(error));
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }
}
