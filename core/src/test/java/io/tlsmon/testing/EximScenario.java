package io.tlsmon.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One way of provoking a TLS negotiation outcome from a real Exim, what its mainlog must then
 * contain, and how the pipeline should classify it.
 *
 * @param name        short id, also the fixture file name ({@code name + ".log"})
 * @param description what the scenario does, for the fixture header and test names
 * @param provoke     drives the instance (a client handshake, a dialogue, a submitted message)
 * @param done        true once the log holds everything the scenario causes
 * @param evidence    substrings that must each appear in the scenario's log lines
 * @param expected    the attempts the pipeline must find in those lines
 */
public record EximScenario(String name, String description, Consumer<RealExim> provoke,
                           Predicate<List<String>> done, List<String> evidence, List<ExpectedAttempt> expected) {

    /** Scenarios end well within this, the handshake timeouts included. */
    static final Duration MAX_DURATION = Duration.ofSeconds(4L * RealExim.RECEIVE_TIMEOUT_SECONDS + 30);

    String fileName() {
        return name + ".log";
    }

    /** Provokes the outcome and returns the log lines it caused. */
    List<String> run(RealExim exim) {
        int mark = exim.log().mark();
        provoke.accept(exim);
        return exim.log().await(mark, done, MAX_DURATION);
    }
}
