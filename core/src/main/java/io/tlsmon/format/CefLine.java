package io.tlsmon.format;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One CEF line being written, with the escaping of the CEF standard: in the header {@code \} and
 * {@code |} are escaped; in extension values {@code \} and {@code =} are escaped and CR and LF are
 * written as {@code \r} and {@code \n}. What the standard leaves open is decided so that no text
 * from a log can end the line or start a field: every other control character (NUL, TAB, DEL, the C1
 * controls, U+2028/U+2029) and every lone surrogate becomes U+FFFD, and the header takes no CR or LF
 * at all (U+FFFD there too). The colon of a {@code CEF:} inside a value becomes U+FFFD as well: readers
 * that find a record by that mark would otherwise start a forged record there. Values lose leading and trailing white space, which parsers trim
 * anyway, and are cut to their key's dictionary length in UTF-8 bytes (never inside a character),
 * so collectors that count bytes and those that count characters both take them.
 */
final class CefLine {
    private static final int NAME_MAX = 512;
    private static final int CLASS_ID_MAX = 1023;

    private final StringBuilder out = new StringBuilder(512);

    /** {@code CEF:0|vendor|product|version|classId|name|severity|}. */
    CefLine(String classId, String name, int severity) {
        if (severity < 0 || severity > 10) {
            throw new IllegalArgumentException("CEF severity is 0 to 10, not " + severity);
        }
        out.append("CEF:0|");
        header(Product.VENDOR, 63);
        header(Product.NAME, 63);
        header(Product.VERSION, 31);
        header(classId, CLASS_ID_MAX);
        header(name, NAME_MAX);
        out.append(severity).append('|');
    }

    private void header(String value, int max) {
        String v = truncate(clean(value == null ? "" : value, true), max);
        if (v.endsWith("\\")) {
            // Escaped as the standard says, "\\|" ends a field; parcefone 3.1.0 (NiFi's CEF reader) reads it as an
            // escaped '|' and shifts every field after it. Header texts are tlsmon's own labels, so this costs nothing real.
            v = v.substring(0, v.length() - 1) + '\uFFFD';
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' || c == '|') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('|');
    }

    /** A text value; nothing written when null or blank. */
    CefLine text(CefKey key, String value) {
        if (key.kind() != CefKey.Kind.TEXT) {
            throw new IllegalArgumentException(key.key() + " is not a text key");
        }
        if (value == null) {
            return this;
        }
        String v = truncate(clean(value, false).strip(), key.maxLength());
        if (v.isEmpty()) {
            return this;
        }
        start(key);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return this;
    }

    /** A custom field and its label, written only when there is a value. */
    CefLine labelled(CefKey key, CefKey labelKey, String label, String value) {
        if (value == null || clean(value, false).isBlank()) {
            return this;
        }
        return text(key, value).text(labelKey, label);
    }

    CefLine number(CefKey key, Long value) {
        if (key.kind() != CefKey.Kind.NUMBER) {
            throw new IllegalArgumentException(key.key() + " is not a number key");
        }
        if (value != null) {
            start(key);
            out.append(value.longValue());
        }
        return this;
    }

    CefLine number(CefKey key, Integer value) {
        return number(key, value == null ? null : value.longValue());
    }

    /** A time as milliseconds since the epoch, one of the forms the standard gives. */
    CefLine time(CefKey key, Instant t) {
        if (key.kind() != CefKey.Kind.TIME) {
            throw new IllegalArgumentException(key.key() + " is not a time key");
        }
        if (t != null) {
            start(key);
            out.append(t.toEpochMilli());
        }
        return this;
    }

    /** An IP literal, to the IPv4 or the IPv6 key by its family (the IPv6 one labelled). */
    CefLine ip(IpLiteral.Ip ip, CefKey v4, CefKey v6, CefKey v6Label, String label) {
        if (ip == null) {
            return this;
        }
        start(ip.family() == IpLiteral.Family.V4 ? v4 : v6);
        out.append(ip.text());
        if (ip.family() == IpLiteral.Family.V6) {
            text(v6Label, label);
        }
        return this;
    }

    private void start(CefKey key) {
        if (out.charAt(out.length() - 1) != '|') {
            out.append(' ');
        }
        out.append(key.key()).append('=');
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * The value with every character no CEF reader agrees on replaced by U+FFFD: control characters
     * other than CR and LF (all of them in the header), DEL and C1, the Unicode line and paragraph
     * separators, and lone surrogates.
     */
    static String clean(String s, boolean header) {
        StringBuilder sb = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean replace;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            } else if (Character.isSurrogate(c)) {
                replace = true;
            } else if (c == '\r' || c == '\n') {
                replace = header;
            } else {
                replace = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            }
            if (replace && sb == null) {
                sb = new StringBuilder(n).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(replace ? '\uFFFD' : c);
            }
        }
        String cleaned = sb == null ? s : sb.toString();
        // Readers that look for the start of a CEF record by its "CEF:" (Graylog's, with a syslog
        // header before it) take the last one in the line: a logged "CEF:" would start a forged record.
        return cleaned.contains(CEF_MARK) ? cleaned.replace(CEF_MARK, "CEF\uFFFD") : cleaned;
    }

    private static final String CEF_MARK = "CEF:";

    /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes, ending on a whole character. */
    static String truncate(String s, int maxBytes) {
        if (s.length() * 3 <= maxBytes || s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
