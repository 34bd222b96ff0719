package io.tlsmon.format;

import java.util.Optional;

/**
 * An address and port as the logs write an endpoint ({@code 10.0.0.5:25}, {@code [2001:db8::5]:25}),
 * split for the formats that keep them apart.
 *
 * @param ip   the IP literal, or null when the text holds none
 * @param port the port, or null
 */
record Endpoint(IpLiteral.Ip ip, Integer port) {

    static Optional<Endpoint> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String host = text;
        Integer port = null;
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[");
        if (colon > 0 && (bracketed ? text.charAt(colon - 1) == ']' : text.indexOf(':') == colon)) {
            port = port(text.substring(colon + 1));
            if (port != null) {
                host = text.substring(0, colon);
            }
        }
        Optional<IpLiteral.Ip> ip = IpLiteral.parse(host);
        if (ip.isEmpty() && port == null) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(ip.orElse(null), port));
    }

    private static Integer port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : null;
    }
}
