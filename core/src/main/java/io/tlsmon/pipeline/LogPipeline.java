package io.tlsmon.pipeline;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.OpenSession;
import io.tlsmon.classify.AttemptClassifier;
import io.tlsmon.classify.ProbableCause;
import io.tlsmon.classify.TlsVersions;
import io.tlsmon.logs.FormatDetector;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.Parsers;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.session.CloseReason;
import io.tlsmon.session.SessionStitcher;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure data path in one place, for offline use: raw line, parsed line, session, classified
 * attempt with its probable cause. The {@code classify} command, the benchmarks and the tests drive
 * it; the Streams topology wires the same stages around its state stores instead.
 *
 * <p>Lines arrive per stream ({@link #openStream}); several streams that continue one another
 * (rotated files of one log) are read one after the other and form a group: sessions stay open
 * across the streams of a group and are flushed by {@link #endGroup()}.
 */
public final class LogPipeline implements AutoCloseable {

    /** Receives what the pipeline makes. */
    public interface Listener {
        void attempt(NegotiationAttempt attempt);

        /** A line that should have been of its format but was not. */
        default void parseError(String source, long lineNumber, String reason, String line) {
        }
    }

    /**
     * @param idleGap       a session with no line for this long (log time) is closed
     * @param format        the format of every stream, or null to detect it per stream
     * @param sourceHost    the mail server all streams come from, or null to take it from the lines
     * @param zone          zone of timestamps that carry none (RFC 3164 syslog)
     */
    public record Options(Duration idleGap, LogFormat format, String sourceHost, ZoneId zone) {
        public static Options defaults() {
            return new Options(Duration.ofMinutes(5), null, null, ZoneOffset.UTC);
        }

        public Options withFormat(LogFormat f) {
            return new Options(idleGap, f, sourceHost, zone);
        }

        public Options withSourceHost(String h) {
            return new Options(idleGap, format, h, zone);
        }

        public Options withIdleGap(Duration d) {
            return new Options(d, format, sourceHost, zone);
        }
    }

    /** Lines a stream may hold back while its format is detected. */
    static final int DETECTION_LINES = 200;
    /** Senders whose deprecated-protocol history is remembered for the probable cause. */
    static final int HISTORY_LIMIT = 100_000;

    private final Options options;
    private final Listener listener;
    private final SessionStitcher stitcher;
    private final Map<String, Long> lastDeprecated = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > HISTORY_LIMIT;
        }
    };
    private final PipelineCounters counters = new PipelineCounters();

    public LogPipeline(Options options, Listener listener) {
        this.options = options;
        this.listener = listener;
        this.stitcher = new SessionStitcher(options.idleGap().toMillis(), 0, this::sessionClosed);
    }

    /** Starts reading one stream (a file). Close the returned reader at the end of the stream. */
    public StreamReader openStream(String stream, long referenceEpochMillis) {
        StreamInfo info = new StreamInfo(options.sourceHost(), stream, options.zone(), referenceEpochMillis);
        return new StreamReader(info);
    }

    /** The streams read so far continue no further: close their open sessions. */
    public void endGroup() {
        stitcher.flush();
    }

    @Override
    public void close() {
        stitcher.flush();
    }

    public PipelineCounters counters() {
        return counters;
    }

    private void sessionClosed(OpenSession session, CloseReason reason) {
        if (reason == CloseReason.END_OF_INPUT && cutOffMidHandshake(session)) {
            // the file ends, not the session: its outcome is unknown, not a drop
            counters.cutOff++;
            return;
        }
        NegotiationAttempt attempt = AttemptClassifier.classify(session);
        if (attempt == null) {
            return;
        }
        String historyKey = ProbableCause.historyKey(attempt);
        if (TlsVersions.isDeprecated(attempt.getTlsVersion())) {
            lastDeprecated.put(historyKey, attempt.getEndTime().toEpochMilli());
        }
        attempt.setProbableCause(ProbableCause.infer(attempt, lastDeprecated.get(historyKey)));
        counters.attempts++;
        listener.attempt(attempt);
    }

    private static boolean cutOffMidHandshake(OpenSession s) {
        return s.getStarttlsSent() && !s.getEstablished() && s.getFailureRank() == 0 && !s.getDisconnected();
    }

    /** Reads the lines of one stream, detecting its format first when none was given. */
    public final class StreamReader implements AutoCloseable {
        private final StreamInfo info;
        private LineParser parser;
        private LogFormat format;
        private FormatDetector detector;
        private List<String> held;
        private List<Long> heldNumbers;

        private StreamReader(StreamInfo info) {
            this.info = info;
            LogFormat format = options.format() != null ? options.format()
                    : FormatDetector.fromPath(info.stream()).orElse(null);
            if (format != null) {
                use(format);
            } else {
                detector = new FormatDetector();
                held = new ArrayList<>();
                heldNumbers = new ArrayList<>();
            }
        }

        /** The format in use, once known. */
        public Optional<LogFormat> format() {
            return Optional.ofNullable(format);
        }

        private void use(LogFormat f) {
            format = f;
            parser = Parsers.forFormat(f, info);
        }

        public void line(String text, long lineNumber) {
            counters.lines++;
            if (parser == null) {
                held.add(text);
                heldNumbers.add(lineNumber);
                if (detector.offer(text) || held.size() >= DETECTION_LINES) {
                    decide();
                }
                return;
            }
            parse(text, lineNumber);
        }

        private void decide() {
            Optional<LogFormat> guess = detector.result();
            if (guess.isEmpty()) {
                return;
            }
            use(guess.get());
            for (int i = 0; i < held.size(); i++) {
                parse(held.get(i), heldNumbers.get(i));
            }
            held = null;
            heldNumbers = null;
            detector = null;
        }

        private void parse(String text, long lineNumber) {
            ParseResult r = parser.parse(text, lineNumber);
            if (r.isLine()) {
                counters.parsed++;
                stitcher.accept(r.line());
            } else if (r.isError()) {
                counters.errors++;
                listener.parseError(info.stream(), lineNumber, r.error(), text);
            } else {
                counters.ignored++;
            }
        }

        /** Ends the stream; lines held for detection that matched no format are reported. */
        @Override
        public void close() {
            if (parser == null && held != null) {
                decide();
                if (parser == null) {
                    for (int i = 0; i < held.size(); i++) {
                        counters.errors++;
                        listener.parseError(info.stream(), heldNumbers.get(i),
                                "format not recognised: no line of this stream looks like Exchange, Postfix, Sendmail or Exim (use --format)",
                                held.get(i));
                    }
                    held = null;
                }
            }
        }
    }
}
