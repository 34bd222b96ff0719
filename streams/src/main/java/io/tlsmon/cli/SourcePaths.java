package io.tlsmon.cli;

import io.tlsmon.logs.FormatDetector;
import io.tlsmon.logs.LogFormat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code [HOST=]PATH} arguments of {@code ship}, {@code replay} and {@code demo}: which server the
 * logs under a path come from (default: {@code defaultHost}), and, when no {@code --source} is
 * given, the format of each file, told by its name (Exchange's RECV/SEND files) or its first lines.
 */
final class SourcePaths {
    private SourcePaths() {
    }

    /** A path given for a host. */
    record HostPath(String host, Path path) {
    }

    static List<HostPath> parse(List<String> args, String defaultHost) {
        List<HostPath> out = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            // C:\logs contains no '=', and a host name never contains a path separator
            if (eq > 0 && a.substring(0, eq).matches("[A-Za-z0-9._-]+")) {
                out.add(new HostPath(a.substring(0, eq), Path.of(a.substring(eq + 1))));
            } else {
                out.add(new HostPath(defaultHost, Path.of(a)));
            }
        }
        return out;
    }

    /** Files per host and format; files whose format cannot be told are reported and left out. */
    static Map<String, Map<LogFormat, List<Path>>> byHostAndFormat(List<HostPath> paths, Consumer<String> problems) throws IOException {
        Map<String, Map<LogFormat, List<Path>>> out = new LinkedHashMap<>();
        for (HostPath hp : paths) {
            for (LogFiles.Group group : LogFiles.discover(List.of(hp.path()), problems)) {
                for (Path f : group.files()) {
                    Optional<LogFormat> fmt = detect(f);
                    if (fmt.isPresent()) {
                        out.computeIfAbsent(hp.host(), k -> new EnumMap<>(LogFormat.class))
                                .computeIfAbsent(fmt.get(), k -> new ArrayList<>()).add(f);
                    } else {
                        problems.accept(f + ": format not recognised (give --source)");
                    }
                }
            }
        }
        return out;
    }

    static Optional<LogFormat> detect(Path file) throws IOException {
        Optional<LogFormat> byName = FormatDetector.fromPath(file.toString());
        if (byName.isPresent()) {
            return byName;
        }
        FormatDetector d = new FormatDetector();
        try (BufferedReader r = LogFiles.open(file)) {
            String line;
            int n = 0;
            while (n++ < 200 && (line = r.readLine()) != null) {
                if (d.offer(line)) {
                    break;
                }
            }
        }
        return d.result();
    }
}
