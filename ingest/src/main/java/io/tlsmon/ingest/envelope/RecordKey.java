package io.tlsmon.ingest.envelope;

import io.tlsmon.logs.LogFormat;
import io.tlsmon.logs.StreamKey;

import java.nio.charset.StandardCharsets;

/**
 * The record key of a shipped line, when the shipper sets one: {@code host} or {@code host|kind},
 * read as a {@link StreamKey} (the shape of our own keys, so a record can be re-sent unchanged).
 *
 * @param host        the host, or null
 * @param kind        the log kind, or null for none / {@code auto}
 * @param kindProblem why the kind part is refused, or null
 */
record RecordKey(String host, LogFormat kind, String kindProblem) {
    private static final RecordKey NONE = new RecordKey(null, null, null);

    static RecordKey parse(byte[] key) {
        if (key == null || key.length == 0 || key.length > 1024) {
            return NONE; // a key that long is no host name: some other use of the key
        }
        String text = new String(key, StandardCharsets.UTF_8);
        StreamKey parsed;
        try {
            parsed = StreamKey.parse(text);
        } catch (StreamKey.UnknownLogKindException e) {
            return new RecordKey(null, null, "record key '" + Texts.shorten(text.trim(), 80) + "' names log kind '"
                    + Texts.shorten(e.kind().trim(), 40) + "'; " + StreamKey.UnknownLogKindException.EXPECTED);
        }
        String host = parsed.sourceHost();
        return new RecordKey(host == null || hasControl(host) ? null : host, parsed.logKind(), null);
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
