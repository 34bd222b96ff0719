package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import java.util.Locale;

/**
 * One rule of a {@link Vocabulary}: failure text that contains {@code needle} (compared in lower
 * case) points to {@code outcome}, as specifically as {@code specificity} says.
 */
public record TextRule(String needle, Outcome outcome, Specificity specificity) {
    public TextRule {
        if (needle.isEmpty() || !needle.equals(needle.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("a needle is non-empty lower-case text: '" + needle + "'");
        }
    }
}
