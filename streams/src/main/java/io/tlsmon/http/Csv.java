package io.tlsmon.http;

/** RFC 4180 cells, safe to open in a spreadsheet. */
final class Csv {
    private Csv() {
    }

    /**
     * One cell: quoted when it holds a comma, quote or line end; a text starting with {@code = + - @}
     * (a sender name comes from a log, so from anyone) gets a leading apostrophe, so that a
     * spreadsheet shows it rather than running it as a formula.
     */
    static String cell(String s) {
        String v = s;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
