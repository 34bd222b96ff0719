package io.tlsmon.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines one SMTP session (or one Postfix message flow) will write, without their timestamps:
 * the generator stamps each line when it interleaves it with the lines of other sessions.
 */
final class Script {
    /** Which log the lines go to: 0 for the only log (Postfix) or the receive log, 1 for the send log. */
    final int log;
    /** What the session should be classified as; counted in the generator's statistics. */
    final String intent;
    private final List<String> lines = new ArrayList<>(32);
    private final List<Boolean> tls = new ArrayList<>(32);
    private int next;
    /** A session that starts as soon as this one ends (Exchange retrying without STARTTLS). */
    Script followUp;
    /** Runs when the last line has been taken (returns Postfix process ids to their pool). */
    Runnable onEnd;

    Script(int log, String intent) {
        this.log = log;
        this.intent = intent;
    }

    /** Adds a line that says nothing about TLS. */
    Script add(String line) {
        lines.add(line);
        tls.add(Boolean.FALSE);
        return this;
    }

    /** Adds a line that is TLS evidence (STARTTLS, handshake result, certificate, TLS-required reply). */
    Script addTls(String line) {
        lines.add(line);
        tls.add(Boolean.TRUE);
        return this;
    }

    boolean done() {
        return next >= lines.size();
    }

    boolean nextIsTls() {
        return tls.get(next);
    }

    String take() {
        return lines.get(next++);
    }

    int size() {
        return lines.size();
    }
}
