package io.tlsmon.format;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a logged address is an IP literal, without ever asking DNS: ECS {@code ip} fields, OCSF
 * {@code ip_t} and CEF {@code src}/{@code dst} reject anything else, so a host name or garbage from a
 * log goes to the name fields instead.
 */
final class IpLiteral {
    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    enum Family { V4, V6 }

    record Ip(String text, Family family) {
    }

    private IpLiteral() {
    }

    /** The address in its logged text, with IPv6 brackets removed; empty when it is not an IP literal. */
    static Optional<Ip> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (V4.matcher(t).matches()) {
            return Optional.of(new Ip(t, Family.V4));
        }
        if (t.indexOf(':') >= 0 && V6_CHARS.matcher(t).matches()) {
            try {
                // A string with ':' is only ever parsed as an IPv6 literal, never looked up.
                InetAddress a = InetAddress.getByName(t);
                return Optional.of(new Ip(t, a.getAddress().length == 4 ? Family.V4 : Family.V6));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
