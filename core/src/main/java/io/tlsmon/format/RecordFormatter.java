package io.tlsmon.format;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;

/**
 * One SIEM format's mapping of tlsmon's records: each call gives one record as one line (no line
 * break in it, whatever the logs held), without a trailing newline.
 */
public interface RecordFormatter {
    String attempt(NegotiationAttempt attempt);

    String alert(Alert alert);
}
