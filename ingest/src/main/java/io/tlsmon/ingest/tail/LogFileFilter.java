package io.tlsmon.ingest.tail;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

import io.tlsmon.logs.exchange.ExchangeLogFiles;

/**
 * Which files under a watched folder are logs to ship. A path given explicitly as a file is always
 * shipped; the filter applies to files found by walking folders.
 */
public final class LogFileFilter {
    private static final Pattern POSTFIX_NAME = Pattern.compile("(mail\\.log|maillog)(\\.\\d+|-\\d{8})?");

    private final String description;
    private final BiPredicate<Path, Path> test;

    private LogFileFilter(String description, BiPredicate<Path, Path> test) {
        this.description = description;
        this.test = test;
    }

    /**
     * Exchange protocol logs, as core's {@link ExchangeLogFiles} names them ({@code RECVyyyymmdd[hh]-n.LOG},
     * {@code SEND...}, any case), inside an {@code SmtpReceive} or {@code SmtpSend} folder (FrontEnd,
     * Hub, Edge, Mailbox ...), or directly in the watched folder (copies gathered elsewhere). Never
     * {@code .gz}: a compressed file is an archive, not a log being written.
     */
    public static LogFileFilter exchange() {
        return new LogFileFilter("exchange RECV*.LOG/SEND*.LOG in SmtpReceive/SmtpSend",
            (root, p) -> ExchangeLogFiles.isProtocolLogName(name(p)) && !isGzip(name(p))
                && (root.equals(p.getParent()) || ExchangeLogFiles.inProtocolLogFolder(p.toString())));
    }

    /** Postfix (and other syslog mail logs): {@code mail.log}, {@code maillog}, {@code mail.log.1}, {@code maillog-20240101}; never {@code .gz}. */
    public static LogFileFilter postfix() {
        return new LogFileFilter("mail.log/maillog[.N|-YYYYMMDD]", (root, p) -> POSTFIX_NAME.matcher(name(p)).matches());
    }

    /** The default filter of a {@code logKind}. */
    public static LogFileFilter forKind(String logKind) {
        return "exchange".equalsIgnoreCase(logKind) ? exchange() : postfix();
    }

    /** File names matching a regular expression (whole name, case-insensitive). */
    public static LogFileFilter nameMatching(String regex) {
        Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        return new LogFileFilter("name ~ " + regex, (root, path) -> p.matcher(name(path)).matches());
    }

    /** Every regular file. */
    public static LogFileFilter all() {
        return new LogFileFilter("all files", (root, p) -> true);
    }

    /** Whether {@code file}, found while walking the watched folder {@code root}, is to be shipped. */
    public boolean accept(Path root, Path file) {
        return test.test(root, file);
    }

    private static boolean isGzip(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    private static String name(Path p) {
        Path n = p.getFileName();
        return n == null ? "" : n.toString();
    }

    @Override
    public String toString() {
        return description;
    }
}
