package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import static io.tlsmon.classify.vocabulary.Specificity.DROP;
import static io.tlsmon.classify.vocabulary.Specificity.TIMEOUT;

/**
 * The socket's words, the same in every MTA because they come from the C library and the kernel
 * ({@code strerror}): a timeout says a little, a reset or a closed pipe says only that the peer is
 * gone. Tried last, so any named cause of the same attempt outranks them.
 */
public final class ConnectionTexts {
    public static final Vocabulary TABLE = Vocabulary.of("socket",
                    "glibc strerror texts (ETIMEDOUT, ECONNRESET, EPIPE) and the generic wording of MTAs' drop lines")
            .add(Outcome.HANDSHAKE_TIMEOUT, TIMEOUT, "timed out", "timeout")
            .add(Outcome.CONNECTION_DROPPED, DROP,
                    "lost connection", "connection reset", "broken pipe", "connection closed", "end of file",
                    "handshake failure")
            .build();

    private ConnectionTexts() {
    }
}
