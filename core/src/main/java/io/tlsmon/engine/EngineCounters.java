package io.tlsmon.engine;

/** What an engine has seen since it was made; read for reports, exit codes and metrics. */
public final class EngineCounters {
    long lines;
    long parsed;
    long ignored;
    long parseErrors;
    long clockErrors;
    long clockResets;
    long attempts;
    long cutOff;
    long alerts;
    long alertsSuppressed;

    public long lines() { return lines; }
    public long parsed() { return parsed; }
    public long ignored() { return ignored; }
    /** Lines that are not of their stream's format, and so dead letters. */
    public long parseErrors() { return parseErrors; }
    /** Lines dated too far after their arrival to be right, and so dead letters. */
    public long clockErrors() { return clockErrors; }
    /** Times a stream's clock went back by more than the idle gap and the stream started again from there. */
    public long clockResets() { return clockResets; }
    public long errors() { return parseErrors + clockErrors; }
    public long attempts() { return attempts; }
    /** Sessions an input ended in the middle of a handshake: their outcome is unknown, so they are not attempts. */
    public long cutOff() { return cutOff; }
    public long alerts() { return alerts; }
    /** RAISED alerts held back by the per-rule hourly cap. */
    public long alertsSuppressed() { return alertsSuppressed; }
}
