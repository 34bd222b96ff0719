package io.tlsmon.pipeline;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.engine.EngineCounters;
import io.tlsmon.engine.EngineOutput;
import io.tlsmon.engine.EngineSettings;
import io.tlsmon.engine.LineInput;
import io.tlsmon.engine.OfflineEngine;
import io.tlsmon.logs.LogFormat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The engine over files, for offline use: the {@code classify} command, the benchmarks and the tests
 * read files through this. It only turns files into {@link LineInput}s; every decision is the
 * {@link OfflineEngine}'s, the same engine the topology runs.
 *
 * <p>Lines arrive per stream ({@link #openStream}); several streams that continue one another
 * (rotated files of one log) are read one after the other and form a group, the offline
 * counterpart of one raw-lines key: sessions stay open across the files of a group and are closed
 * by {@link #endGroup()}, as an end-of-stream marker closes them live.
 */
public final class LogPipeline implements AutoCloseable {

    /** Receives what the engine makes. */
    public interface Listener {
        void attempt(NegotiationAttempt attempt);

        default void alert(Alert alert) {
        }

        /** A line that should have been of its format but was not (or whose time cannot be right). */
        default void parseError(String source, long lineNumber, String reason, String line) {
        }
    }

    /**
     * @param engine     the engine's settings (idle gap, grace, zone, windows, alert rules)
     * @param format     the format of every stream, or null to detect it per stream
     * @param sourceHost the mail server all streams come from, or null to take it from the lines
     */
    public record Options(EngineSettings engine, LogFormat format, String sourceHost) {
        public static Options defaults() {
            return new Options(EngineSettings.defaults(), null, null);
        }

        public Options withFormat(LogFormat f) {
            return new Options(engine, f, sourceHost);
        }

        public Options withSourceHost(String h) {
            return new Options(engine, format, h);
        }

        public Options withIdleGap(Duration d) {
            return new Options(engine.withIdleGapMs(d.toMillis()), format, sourceHost);
        }

        public Options withEngine(EngineSettings e) {
            return new Options(e, format, sourceHost);
        }
    }

    private final Options options;
    private final OfflineEngine engine;
    private int group;

    public LogPipeline(Options options, Listener listener) {
        this.options = options;
        this.engine = new OfflineEngine(options.engine(), o -> {
            switch (o.kind()) {
                case ATTEMPT -> listener.attempt(o.attempt());
                case ALERT -> listener.alert(o.alert());
                case DEAD_LETTER -> {
                    DeadLetter d = o.deadLetter();
                    listener.parseError(d.getSource(), d.getLineNumber() == null ? -1 : d.getLineNumber(), d.getReason(),
                            d.getValue() == null ? "" : StandardCharsets.UTF_8.decode(d.getValue().duplicate()).toString());
                }
            }
        });
    }

    /**
     * Starts reading one stream (a file) of the current group. Close the returned reader at the end of the file.
     *
     * @param referenceEpochMillis the file's modification time: syslog years are inferred from it
     */
    public StreamReader openStream(String stream, long referenceEpochMillis) {
        return new StreamReader(stream, referenceEpochMillis);
    }

    /** The files read so far continue no further: close their group's open sessions. */
    public void endGroup() {
        engine.endOfStream(groupKey());
        group++;
    }

    @Override
    public void close() {
        engine.endOfInput();
    }

    public EngineCounters counters() {
        return engine.counters();
    }

    /** The engine's stream key of the current group: one log, read file after file. */
    private String groupKey() {
        return (options.sourceHost() == null ? "" : options.sourceHost()) + "|group-" + group;
    }

    /** Reads the lines of one file. */
    public final class StreamReader implements AutoCloseable {
        private final String stream;
        private final long reference;
        private final String key = groupKey();

        private StreamReader(String stream, long reference) {
            this.stream = stream;
            this.reference = reference;
        }

        public void line(String text, long lineNumber) {
            engine.accept(new LineInput(key, options.sourceHost(), stream, options.format(), null, text, lineNumber,
                    reference, reference, null));
        }

        @Override
        public void close() {
            engine.endOfFile(options.sourceHost(), stream);
        }
    }
}
