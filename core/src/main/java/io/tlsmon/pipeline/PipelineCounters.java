package io.tlsmon.pipeline;

/** What a {@link LogPipeline} has seen; read after a run for the report and the exit code. */
public final class PipelineCounters {
    long lines;
    long parsed;
    long ignored;
    long errors;
    long attempts;
    long cutOff;

    public long lines() { return lines; }
    public long parsed() { return parsed; }
    public long ignored() { return ignored; }
    public long errors() { return errors; }
    public long attempts() { return attempts; }
    /** Sessions the input ended in the middle of a handshake: their outcome is unknown, so they are not attempts. */
    public long cutOff() { return cutOff; }
}
