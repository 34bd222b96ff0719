package io.tlsmon.ingest.envelope;

import java.nio.charset.StandardCharsets;

/**
 * The record key of a shipped line, when the shipper sets one: {@code host} or {@code host|kind}
 * (the same shape as our own stream keys, so a record can be re-sent unchanged).
 *
 * @param host        the host, or null
 * @param kind        the log kind, or null for none / {@code auto}
 * @param kindProblem why the kind part is refused, or null
 */
record RecordKey(String host, String kind, String kindProblem) {
    private static final RecordKey NONE = new RecordKey(null, null, null);

    static RecordKey parse(byte[] key) {
        if (key == null || key.length == 0 || key.length > 1024) {
            return NONE; // a key that long is no host name: some other use of the key
        }
        String text = new String(key, StandardCharsets.UTF_8).trim();
        int bar = text.indexOf('|');
        String host = bar < 0 ? text : text.substring(0, bar).trim();
        host = host.isEmpty() || hasControl(host) ? null : host;
        if (bar < 0) {
            return new RecordKey(host, null, null);
        }
        String kindText = text.substring(bar + 1);
        LogKinds.Explicit explicit = LogKinds.explicit(kindText);
        if (!explicit.known()) {
            return new RecordKey(host, null, "record key '" + Texts.shorten(text, 80) + "' names log kind '"
                    + Texts.shorten(kindText.trim(), 40) + "'; expected exchange, postfix, sendmail, exim or auto");
        }
        return new RecordKey(host, explicit.kind(), null);
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
