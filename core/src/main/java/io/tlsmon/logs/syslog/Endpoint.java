package io.tlsmon.logs.syslog;

/**
 * A peer as MTAs write it: Postfix {@code host[ip]} or {@code host[ip]:port}, Sendmail and Exim
 * {@code host [ip]} or {@code [ip]:port}. A host of {@code unknown} (no reverse DNS) is kept as null.
 */
public final class Endpoint {
    public final String host;
    public final String ip;
    public final int port;
    /** Index just past what was read. */
    public final int end;

    private Endpoint(String host, String ip, int port, int end) {
        this.host = host;
        this.ip = ip;
        this.port = port;
        this.end = end;
    }

    /** Sets the remote host, address and port of {@code b} from {@code peer}, when there is one. */
    public static io.tlsmon.logs.ParsedLine.Builder applyTo(io.tlsmon.logs.ParsedLine.Builder b, Endpoint peer) {
        if (peer != null) {
            b.remoteHost(peer.host).remoteIp(peer.ip).remotePort(peer.port);
        }
        return b;
    }

    /**
     * Reads {@code host[ip]}, {@code host [ip]} or {@code [ip]}, each optionally followed by
     * {@code :port}, starting at {@code from}; the host ends at the first space or '['.
     *
     * @return null when there is no {@code [ip]} before the next {@code ", "} or the end
     */
    public static Endpoint read(String s, int from, int end) {
        int open = -1;
        int i = from;
        while (i < end) {
            char c = s.charAt(i);
            if (c == '[') {
                open = i;
                break;
            }
            if (c == ',' || c == ':') {
                return null;
            }
            i++;
        }
        if (open < 0) {
            return null;
        }
        int close = s.indexOf(']', open + 1);
        if (close < 0 || close >= end) {
            return null;
        }
        int hostEnd = open;
        while (hostEnd > from && s.charAt(hostEnd - 1) == ' ') {
            hostEnd--;
        }
        // "host (helo) [ip]" (Exim): the host is the first word.
        int firstSpace = s.indexOf(' ', from);
        if (firstSpace >= 0 && firstSpace < hostEnd) {
            hostEnd = firstSpace;
        }
        String host = hostEnd > from ? hostName(s.substring(from, hostEnd)) : null;
        String ip = close > open + 1 ? s.substring(open + 1, close) : null;
        int port = -1;
        int after = close + 1;
        if (after + 1 < end && s.charAt(after) == ':' && SyslogParser.isDigit(s.charAt(after + 1))) {
            int p = 0;
            int j = after + 1;
            while (j < end && SyslogParser.isDigit(s.charAt(j)) && j - after <= 5) {
                p = p * 10 + (s.charAt(j) - '0');
                j++;
            }
            port = p <= 65535 ? p : -1;
            after = j;
        }
        return new Endpoint(host, ip, port, after);
    }

    private static String hostName(String h) {
        if (h.isEmpty() || h.equals("unknown") || h.startsWith("(")) {
            return null;
        }
        return h.endsWith(".") && h.length() > 1 ? h.substring(0, h.length() - 1) : h;
    }

    @Override
    public String toString() {
        return host + '[' + ip + "]:" + port;
    }
}
