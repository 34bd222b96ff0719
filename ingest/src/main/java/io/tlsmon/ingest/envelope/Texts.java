package io.tlsmon.ingest.envelope;

/** Small text helpers for failure messages. */
final class Texts {
    private Texts() {
    }

    /** The text cut to {@code max} characters with an ellipsis, control characters made visible. */
    static String shorten(String text, int max) {
        if (text == null) {
            return "null";
        }
        String t = text.length() > max ? text.substring(0, max) + "…" : text;
        StringBuilder out = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
