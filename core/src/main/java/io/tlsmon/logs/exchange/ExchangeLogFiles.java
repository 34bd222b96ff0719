package io.tlsmon.logs.exchange;

import io.tlsmon.logs.SourceKind;

import java.util.regex.Pattern;

/**
 * Where Exchange writes its SMTP protocol logs: {@code RECVyyyymmdd[hh]-n.LOG} and
 * {@code SENDyyyymmdd[hh]-n.LOG} (UTC date, an hour on Exchange 2013+, instance number from 1 each
 * day), inside {@code ...\ProtocolLog\SmtpReceive} and {@code ...\SmtpSend} folders
 * (shared/reference/log-formats.md §1.1). Paths are text, split at both {@code /} and {@code \}: a
 * Windows path read on a Linux box still names its folders.
 */
public final class ExchangeLogFiles {
    /** Any case (Exchange writes {@code .LOG}, copies end up as {@code .log}), gzip'd archives too. */
    private static final Pattern PROTOCOL_LOG_NAME = Pattern.compile("(?i)(RECV|SEND)\\d{6,10}-\\d+\\.LOG(\\.gz)?");

    private ExchangeLogFiles() {
    }

    /** Whether a file name (no folder) is a protocol-log name; {@code sendmail.log} is not. */
    public static boolean isProtocolLogName(String fileName) {
        return fileName != null && PROTOCOL_LOG_NAME.matcher(fileName).matches();
    }

    /** Whether the last part of {@code path} is a protocol-log name. */
    public static boolean hasProtocolLogName(String path) {
        return path != null && isProtocolLogName(fileName(path));
    }

    /** Whether a folder of {@code path} (its file name excluded) is {@code SmtpReceive} or {@code SmtpSend}, any case. */
    public static boolean inProtocolLogFolder(String path) {
        return path != null && sideOfFolders(path) != null;
    }

    /**
     * Send or receive, as the path tells it: by the file name ({@code SEND...}, {@code RECV...}),
     * else by the nearest {@code SmtpSend} / {@code SmtpReceive} folder; null when the path says neither.
     */
    public static SourceKind sideOf(String path) {
        if (path == null) {
            return null;
        }
        String name = fileName(path);
        if (isProtocolLogName(name)) {
            return Character.toUpperCase(name.charAt(0)) == 'S' ? SourceKind.EXCHANGE_SEND : SourceKind.EXCHANGE_RECEIVE;
        }
        return sideOfFolders(path);
    }

    private static SourceKind sideOfFolders(String path) {
        int end = nameStart(path) - 1;
        while (end > 0) {
            int start = Math.max(path.lastIndexOf('/', end - 1), path.lastIndexOf('\\', end - 1)) + 1;
            String folder = path.substring(start, end);
            if (folder.equalsIgnoreCase("SmtpSend")) {
                return SourceKind.EXCHANGE_SEND;
            }
            if (folder.equalsIgnoreCase("SmtpReceive")) {
                return SourceKind.EXCHANGE_RECEIVE;
            }
            end = start - 1;
        }
        return null;
    }

    private static String fileName(String path) {
        return path.substring(nameStart(path));
    }

    private static int nameStart(String path) {
        return Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
    }
}
