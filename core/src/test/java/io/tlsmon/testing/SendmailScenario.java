package io.tlsmon.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One way of provoking a TLS negotiation outcome from a real Sendmail, what its log must then
 * contain, and how the pipeline should classify it.
 *
 * @param name        short id, also the fixture file name ({@code name + ".log"})
 * @param description what the scenario does, for the fixture header and test names
 * @param provoke     drives the daemons (a client handshake, a dialogue, a delivery)
 * @param done        true once the log holds everything the scenario causes
 * @param evidence    substrings that must each appear in the scenario's log lines
 * @param expected    the attempts the pipeline must find in those lines
 */
public record SendmailScenario(String name, String description, Consumer<RealSendmail> provoke,
                               Predicate<List<String>> done, List<String> evidence,
                               List<ExpectedAttempt> expected) {

    /** Scenarios end well within this, the handshake timeouts included. */
    static final Duration MAX_DURATION = Duration.ofSeconds(RealSendmail.STARTTLS_TIMEOUT_SECONDS * 3L + 20);

    String fileName() {
        return name + ".log";
    }

    /** Provokes the outcome and returns the log lines it caused. */
    List<String> run(RealSendmail sendmail) {
        int mark = sendmail.log().mark();
        provoke.accept(sendmail);
        return sendmail.log().await(mark, done, MAX_DURATION);
    }
}
