package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * What one source (an MTA, a TLS library, Exchange) writes when TLS fails, mapped to outcomes: an
 * ordered table, first match wins, so specific phrases come before the generic ones they contain
 * ({@code alert handshake failure} before {@code handshake failure}).
 *
 * @param name    the source, as tests and docs name it
 * @param origin  where the texts were read (files, versions), so the table can be checked again
 * @param rules   the rules, in the order they are tried
 */
public record Vocabulary(String name, String origin, List<TextRule> rules) {

    public Vocabulary {
        rules = List.copyOf(rules);
    }

    /** The first rule whose needle the text contains, or null; {@code lower} is already lower case. */
    public TextRule match(String lower) {
        for (TextRule rule : rules) {
            if (lower.contains(rule.needle())) {
                return rule;
            }
        }
        return null;
    }

    static Builder of(String name, String origin) {
        return new Builder(name, origin);
    }

    static final class Builder {
        private final String name;
        private final String origin;
        private final List<TextRule> rules = new ArrayList<>();

        private Builder(String name, String origin) {
            this.name = name;
            this.origin = origin;
        }

        Builder named(Outcome outcome, String... needles) {
            return add(outcome, Specificity.NAMED, needles);
        }

        Builder add(Outcome outcome, Specificity specificity, String... needles) {
            for (String needle : needles) {
                rules.add(new TextRule(needle, outcome, specificity));
            }
            return this;
        }

        Vocabulary build() {
            return new Vocabulary(name, origin, rules);
        }
    }
}
