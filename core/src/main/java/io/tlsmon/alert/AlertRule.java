package io.tlsmon.alert;

import java.util.Optional;

/**
 * The alert rules. Their labels are a public contract: they are the {@code rule} of every Alert and
 * AlertState on the wire and part of the alert-state and alert-rate store keys, so a renamed label
 * would orphan the open alerts in a changelog. Never rename one.
 */
public enum AlertRule {
    /** N failures of one outcome from one sender in one tumbling window. */
    FAILURE_THRESHOLD("failure-threshold",
            "a sender had at least the threshold of failures of one outcome in one failure window"),
    /** A sender that negotiated before now fails. */
    SUCCESS_TO_FAILURE("success-to-failure",
            "a sender that succeeded before now failed at least the configured number of times in a row"),
    /** SSL 3.0, TLS 1.0 or 1.1 negotiated. */
    DEPRECATED_PROTOCOL("deprecated-protocol",
            "a sender negotiated SSL 3.0, TLS 1.0 or TLS 1.1 (at most once per sender per deprecated interval)"),
    /** A drop towards Exchange Online from a sender seen on a deprecated protocol. */
    EXO_PROBABLE_VERSION_REJECTED("exo-probable-version-rejected",
            "a sender seen on TLS 1.0/1.1 dropped during the handshake towards Exchange Online: probably refused for its version");

    private final String label;
    private final String doc;

    AlertRule(String label, String doc) {
        this.label = label;
        this.doc = doc;
    }

    /** The name on the wire and in store keys. */
    public String label() {
        return label;
    }

    /** One line for people: when the rule fires. */
    public String doc() {
        return doc;
    }

    /** @return the rule of a wire label, empty for a label that names none (case matters) */
    public static Optional<AlertRule> fromLabel(String label) {
        for (AlertRule r : values()) {
            if (r.label.equals(label)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
