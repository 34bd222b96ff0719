package io.tlsmon.engine;

import io.tlsmon.logs.FormatDetector;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.ParserMemory;
import io.tlsmon.logs.Parsers;
import io.tlsmon.logs.StreamInfo;
import io.tlsmon.logs.syslog.SyslogParser;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One parser per stream (host and file), made on the stream's first line, for the offline run and
 * the topology alike. The format is the one the shipper or the user gave, else the file name's
 * (Exchange's RECV/SEND files), else the first line that votes for one ({@link FormatDetector#voteOf}).
 *
 * <p>Nothing is held back while a format is unknown, so a live stream waits for nothing and both
 * paths see each line once, in order: a line before the first vote that is a log line of some
 * other program (a cron or Dovecot line in a mail log, by its syslog or ISO timestamp) is ignored
 * as the chosen parser would ignore it; any other line is an error that says to name the format.
 *
 * <p>Parsers live in memory only (the most recently used {@value #MAX_STREAMS}); one made again
 * after a restart or a rebalance is primed with the Exchange header the shipper sends with each line,
 * and finds what its predecessor remembered of earlier lines ({@link ParserMemory}) in the engine's
 * state, under the stream's name.
 */
public final class StreamParsers {
    static final int MAX_STREAMS = 10_000;
    static final String UNRECOGNISED = "format not recognised: no line of this stream so far looks like Exchange, "
            + "Postfix, Sendmail or Exim (name the format: --format, or the shipper's log kind)";

    /** Between a stream's name and a key of its parser's memory: below any character of either. */
    static final char MEMORY_SEPARATOR = '\u001f';

    private final ZoneId zone;
    private final KeyValueState<String> memory;
    private final Map<String, StreamParser> parsers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StreamParser> eldest) {
            return size() > MAX_STREAMS;
        }
    };

    /** Parsers whose memory of earlier lines is kept in {@code memory}, by stream. */
    public StreamParsers(ZoneId zone, KeyValueState<String> memory) {
        this.zone = zone;
        this.memory = memory;
    }

    public ParseResult parse(LineInput in) {
        String id = in.sourceHost() + '|' + in.stream();
        StreamParser p = parsers.get(id);
        if (p == null) {
            p = new StreamParser(new StreamInfo(in.sourceHost(), in.stream(), zone, in.referenceMillis()), in,
                    new StreamMemory(memory, id + MEMORY_SEPARATOR));
            parsers.put(id, p);
        }
        return p.parse(in.line(), in.lineNumber());
    }

    /** The stream is read to its end: its parser goes (a file read again later starts afresh, as offline). */
    public void end(String sourceHost, String stream) {
        String id = sourceHost + '|' + stream;
        parsers.remove(id);
        StreamMemory forgotten = new StreamMemory(memory, id + MEMORY_SEPARATOR);
        List<String> keys = new ArrayList<>();
        forgotten.forEachStartingWith("", (k, v) -> keys.add(k));
        keys.forEach(forgotten::delete);
    }

    /** The format a stream settled on, or null while unknown. */
    public LogFormat formatOf(String sourceHost, String stream) {
        StreamParser p = parsers.get(sourceHost + '|' + stream);
        return p == null ? null : p.format;
    }

    private static final class StreamParser {
        private final StreamInfo info;
        private final String header;
        private final ParserMemory memory;
        private LineParser parser;
        private LogFormat format;
        private SyslogParser probe;

        StreamParser(StreamInfo info, LineInput first, ParserMemory memory) {
            this.info = info;
            this.header = first.header();
            this.memory = memory;
            LogFormat known = first.format() != null ? first.format() : FormatDetector.fromPath(info.stream()).orElse(null);
            if (known != null) {
                use(known);
            } else {
                probe = new SyslogParser(info.zone(), info.referenceEpochMillis());
            }
        }

        private void use(LogFormat f) {
            format = f;
            parser = Parsers.forFormat(f, info, memory);
            probe = null;
            if (header != null) {
                for (String h : header.split("\n")) {
                    parser.parse(h, 0);
                }
            }
        }

        ParseResult parse(String line, long lineNumber) {
            if (parser == null) {
                LogFormat vote = FormatDetector.voteOf(line);
                if (vote == null) {
                    return isSomeLogLine(line) ? ParseResult.ignored() : ParseResult.error(UNRECOGNISED);
                }
                use(vote);
            }
            return parser.parse(line, lineNumber);
        }

        private boolean isSomeLogLine(String line) {
            if (line.isBlank() || line.charAt(0) == '#') {
                return true;
            }
            return probe.parse(line) || probe.readIsoTimestamp(line, 0, line.length()) >= 0;
        }
    }

    /** One stream's part of the parsers' memory: its keys, behind the stream's name. */
    private record StreamMemory(KeyValueState<String> state, String prefix) implements ParserMemory {
        @Override
        public String get(String key) {
            return state.get(prefix + key);
        }

        @Override
        public void put(String key, String value) {
            state.put(prefix + key, value);
        }

        @Override
        public void delete(String key) {
            state.delete(prefix + key);
        }

        @Override
        public void forEachStartingWith(String keyPrefix, BiConsumer<String, String> action) {
            String from = prefix + keyPrefix;
            // every key a parser writes is ASCII: DEL is above all of them
            state.range(from, from + '\u007f', (k, v) -> action.accept(k.substring(prefix.length()), v));
        }
    }
}
