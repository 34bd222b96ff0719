package io.tlsmon.logs;

import java.util.Locale;

/**
 * The recipient domain of an outbound delivery, read from the address an MTA logs for it: the
 * RFC 8460 policy-domain, the domain whose MTA-STS or DANE policy applies to the session. Every parser
 * reads addresses through this, so {@code <User@Example.COM.>} and {@code user@example.com} are
 * the same domain wherever they were logged.
 */
public final class RecipientDomain {
    /** RFC 1035: a domain name is at most 253 characters written out; anything longer is not one. */
    private static final int MAX_DOMAIN = 253;

    private RecipientDomain() {
    }

    /**
     * The domain of the address in {@code s} from {@code from} to the first {@code >}, space, comma or
     * {@code end}, after an optional {@code <}: lower case, without a trailing dot; null when there is
     * no {@code @}, nothing after it, or what follows is no domain name (a quoted local part's
     * {@code @}, an address literal, control characters).
     */
    public static String of(String s, int from, int end) {
        int start = from < end && s.charAt(from) == '<' ? from + 1 : from;
        int stop = start;
        while (stop < end && s.charAt(stop) != '>' && s.charAt(stop) != ' ' && s.charAt(stop) != ',') {
            stop++;
        }
        int at = s.lastIndexOf('@', stop - 1);
        if (at < start || at + 1 >= stop) {
            return null;
        }
        int domainEnd = s.charAt(stop - 1) == '.' ? stop - 1 : stop;
        if (domainEnd - (at + 1) > MAX_DOMAIN || domainEnd <= at + 1) {
            return null;
        }
        for (int i = at + 1; i < domainEnd; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || (c > 127 && Character.isLetterOrDigit(c));
            if (!ok) {
                return null;
            }
        }
        return s.substring(at + 1, domainEnd).toLowerCase(Locale.ROOT);
    }

    /** {@link #of(String, int, int)} over the whole of {@code address}. */
    public static String of(String address) {
        return address == null ? null : of(address, 0, address.length());
    }
}
