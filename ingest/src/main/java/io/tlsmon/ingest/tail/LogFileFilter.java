package io.tlsmon.ingest.tail;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Which files under a watched folder are logs to ship. A path given explicitly as a file is always
 * shipped; the filter applies to files found by walking folders.
 */
public final class LogFileFilter {
    private static final Pattern EXCHANGE_NAME = Pattern.compile("(?i)(RECV|SEND).*\\.LOG");
    private static final Pattern POSTFIX_NAME = Pattern.compile("(mail\\.log|maillog)(\\.\\d+|-\\d{8})?");

    private final String description;
    private final BiPredicate<Path, Path> test;

    private LogFileFilter(String description, BiPredicate<Path, Path> test) {
        this.description = description;
        this.test = test;
    }

    /**
     * Exchange protocol logs: {@code RECV*.LOG} / {@code SEND*.LOG} (any case) inside an
     * {@code SmtpReceive} or {@code SmtpSend} folder (FrontEnd, Hub, Edge, Mailbox ...), or directly in
     * the watched folder (copies gathered elsewhere).
     */
    public static LogFileFilter exchange() {
        return new LogFileFilter("exchange RECV*.LOG/SEND*.LOG in SmtpReceive/SmtpSend",
            (root, p) -> EXCHANGE_NAME.matcher(name(p)).matches()
                && (root.equals(p.getParent()) || underProtocolLogFolder(p)));
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

    private static boolean underProtocolLogFolder(Path p) {
        for (Path d = p.getParent(); d != null; d = d.getParent()) {
            String n = name(d).toLowerCase(Locale.ROOT);
            if (n.equals("smtpreceive") || n.equals("smtpsend")) {
                return true;
            }
        }
        return false;
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
