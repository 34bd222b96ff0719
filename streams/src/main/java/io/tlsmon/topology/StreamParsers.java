package io.tlsmon.topology;

import io.tlsmon.avro.RawLine;
import io.tlsmon.logs.FormatDetector;
import io.tlsmon.logs.LineParser;
import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.ParseResult;
import io.tlsmon.logs.Parsers;
import io.tlsmon.logs.StreamInfo;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One parser per shipped stream (host and file), made on the stream's first line and kept while
 * the stream is active. A parser's per-stream state (the Exchange header) is rebuilt from the
 * {@code header} a shipper attaches to each line, so nothing is lost when a task moves.
 */
final class StreamParsers {
    static final int MAX_STREAMS = 10_000;

    private final ZoneId zone;
    private final Map<String, StreamParser> parsers = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StreamParser> eldest) {
            return size() > MAX_STREAMS;
        }
    };

    StreamParsers(ZoneId zone) {
        this.zone = zone;
    }

    ParseResult parse(RawLine raw, long lineNumber, long referenceMillis) {
        String id = raw.getSourceHost() + '|' + raw.getStream();
        StreamParser p = parsers.get(id);
        if (p == null) {
            p = new StreamParser(new StreamInfo(raw.getSourceHost(), raw.getStream(), zone, referenceMillis), raw);
            parsers.put(id, p);
        }
        return p.parse(raw.getLine(), lineNumber);
    }

    /** A stream's parser, or the detector that picks it when the shipper did not say the format. */
    private static final class StreamParser {
        private final StreamInfo info;
        private final String header;
        private LineParser parser;
        private FormatDetector detector;

        StreamParser(StreamInfo info, RawLine first) {
            this.info = info;
            this.header = first.getHeader();
            LogFormat format = null;
            if (first.getLogKind() != null && !"auto".equals(first.getLogKind())) {
                format = LogFormat.fromLabel(first.getLogKind());
            } else {
                format = FormatDetector.fromPath(info.stream()).orElse(null);
            }
            if (format != null) {
                use(format);
            } else {
                detector = new FormatDetector();
            }
        }

        private void use(LogFormat format) {
            parser = Parsers.forFormat(format, info);
            if (header != null) {
                for (String h : header.split("\n")) {
                    parser.parse(h, 0);
                }
            }
        }

        ParseResult parse(String line, long lineNumber) {
            if (parser == null) {
                detector.offer(line);
                if (detector.result().isEmpty()) {
                    return ParseResult.error("format not recognised yet for this stream: set the shipper's log kind (exchange, postfix, sendmail, exim)");
                }
                use(detector.result().get());
                detector = null;
            }
            return parser.parse(line, lineNumber);
        }
    }
}
