package io.tlsmon.pipeline;

/** What a {@link LogPipeline} has seen; read after a run for the report and the exit code. */
public final class PipelineCounters {
    long lines;
    long parsed;
    long ignored;
    long errors;
    long attempts;

    public long lines() { return lines; }
    public long parsed() { return parsed; }
    public long ignored() { return ignored; }
    public long errors() { return errors; }
    public long attempts() { return attempts; }
}
