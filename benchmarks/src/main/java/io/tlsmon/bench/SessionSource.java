package io.tlsmon.bench;

import java.util.List;

/** Makes the sessions of one log format; the generator interleaves and stamps their lines. */
interface SessionSource {

    /** How many logs the sessions go to (Exchange: receive and send; Postfix: one). */
    int logs();

    /** A new session that starts at {@code now}. */
    Script next(long now);

    /** The lines a file of this log starts with; empty when the format has no header. */
    List<String> header(int log, long now);

    /** The full line: the body of a script line with its timestamp (and host) in front. */
    String stamp(Timestamps timestamps, long now, String body);
}
