package io.tlsmon.classify;

import io.tlsmon.avro.Outcome;
import io.tlsmon.classify.vocabulary.SchannelStatus;
import io.tlsmon.classify.vocabulary.Specificity;
import io.tlsmon.classify.vocabulary.TextRule;
import io.tlsmon.classify.vocabulary.Vocabularies;
import io.tlsmon.classify.vocabulary.Vocabulary;
import io.tlsmon.logs.SourceKind;

import java.util.Locale;

/**
 * Maps one piece of raw failure text (an Exchange SecurityStatus name, an OpenSSL reason, a Postfix
 * or Exim message) to the outcome it points to and how specific it is. When one attempt has several
 * failure lines, the most specific wins: {@code no shared cipher} beats {@code lost connection}.
 * The words themselves live in the tables of {@link io.tlsmon.classify.vocabulary}, one per source.
 *
 * @param outcome what the text points to
 * @param rank    specificity: {@link #NAMED} &gt; {@link #UNKNOWN} &gt; {@link #TIMEOUT} &gt; {@link #DROP}
 */
public record FailureEvidence(Outcome outcome, int rank) {

    /** A connection that went away without saying why. */
    public static final int DROP = Specificity.DROP.rank();
    /** A timeout: says a little more than a drop. */
    public static final int TIMEOUT = Specificity.TIMEOUT.rank();
    /** An error we do not know, kept verbatim: more than a drop, less than a known cause. */
    public static final int UNKNOWN = Specificity.UNKNOWN.rank();
    /** A named cause (cipher, version, certificate, ...). */
    public static final int NAMED = Specificity.NAMED.rank();

    /** What text of an unknown source points to: every table is tried. */
    public static FailureEvidence of(String error) {
        return of(null, error);
    }

    /**
     * What a raw failure text that {@code source} logged points to. Each of the source's tables gives
     * its first match; the most specific of those wins, and on a tie the table tried first (the
     * MTA's own words before the library's). Text that matches nothing is {@code OTHER_TLS_ERROR} at
     * {@link #UNKNOWN} rank: kept, never dropped. The bare OpenSSL results {@code -1} and {@code 0}
     * of {@code SSL_accept error ...: -1} are drops.
     */
    public static FailureEvidence of(SourceKind source, String error) {
        if (error == null || error.isBlank()) {
            return new FailureEvidence(Outcome.CONNECTION_DROPPED, DROP);
        }
        String trimmed = error.trim();
        if (trimmed.equals("-1") || trimmed.equals("0")) {
            return new FailureEvidence(Outcome.CONNECTION_DROPPED, DROP);
        }
        TextRule named = SchannelStatus.of(exchangeName(trimmed));
        if (named != null) {
            return of(named);
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        TextRule best = null;
        for (Vocabulary table : Vocabularies.of(source)) {
            TextRule rule = table.match(lower);
            if (rule != null && (best == null || rule.specificity().compareTo(best.specificity()) > 0)) {
                best = rule;
            }
        }
        return best != null ? of(best) : new FailureEvidence(Outcome.OTHER_TLS_ERROR, UNKNOWN);
    }

    private static FailureEvidence of(TextRule rule) {
        return new FailureEvidence(rule.outcome(), rule.specificity().rank());
    }

    /** {@code Remote(SocketError)} names {@code SocketError}; a bare identifier names itself. */
    private static String exchangeName(String text) {
        int open = text.indexOf('(');
        if (open > 0 && text.endsWith(")")) {
            return text.substring(open + 1, text.length() - 1);
        }
        return text;
    }
}
