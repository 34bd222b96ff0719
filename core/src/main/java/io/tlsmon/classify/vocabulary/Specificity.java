package io.tlsmon.classify.vocabulary;

/**
 * How much a piece of failure text says. When one attempt has several failure lines the most
 * specific wins ({@code no shared cipher} beats {@code lost connection}); the order of the
 * constants is that ranking, lowest first.
 */
public enum Specificity {
    /** A connection that went away without saying why. */
    DROP,
    /** A timeout: says a little more than a drop. */
    TIMEOUT,
    /** An error we do not know, kept verbatim: more than a drop, less than a known cause. */
    UNKNOWN,
    /** A named cause (cipher, version, certificate, ...). */
    NAMED;

    /** The rank stored with an open session ({@code OpenSession.failureRank}): 1 for a drop up to 4; 0 means none. */
    public int rank() {
        return ordinal() + 1;
    }
}
