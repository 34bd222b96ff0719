package io.tlsmon.logs.exchange;

import io.tlsmon.avro.CertificateRole;
import io.tlsmon.logs.CertificateFact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exchange 2010's one-line certificate form: the labels {@code Subject Issuer name Serial number
 * Thumbprint Not before Not after Subject alternate names} in {@code context} and the values,
 * separated by single spaces, in {@code data}:
 * {@code CN=ex01 CN=Contoso CA 4A00...17 8E3F...93 2024-06-01T00:00:00.000Z 2026-06-01T00:00:00.000Z ex01;mail}.
 * Subject and issuer may hold spaces themselves, so the line is read from its end (names, two
 * times, thumbprint, serial), and what is left is split where a second distinguished name starts.
 */
final class ExchangeCertificateLine {
    private ExchangeCertificateLine() {
    }

    static CertificateFact read(CertificateRole role, String data) {
        List<String> words = new ArrayList<>(Arrays.asList(data.trim().split(" +")));
        String names = null;
        String notAfter = null;
        String notBefore = null;
        String thumbprint = null;
        String serial = null;
        if (!words.isEmpty() && !isTime(last(words)) && !isHex(last(words)) && !last(words).contains("=")) {
            names = words.remove(words.size() - 1);
        }
        if (!words.isEmpty() && isTime(last(words))) {
            notAfter = words.remove(words.size() - 1);
        }
        if (!words.isEmpty() && isTime(last(words))) {
            notBefore = words.remove(words.size() - 1);
        }
        if (!words.isEmpty() && isHex(last(words)) && last(words).length() == 40) {
            thumbprint = words.remove(words.size() - 1);
        }
        if (!words.isEmpty() && isHex(last(words))) {
            serial = words.remove(words.size() - 1);
        }
        String dns = String.join(" ", words);
        int second = secondNameStart(dns);
        String subject = second < 0 ? dns : dns.substring(0, second);
        String issuer = second < 0 ? null : dns.substring(second + 1);
        return new CertificateFact(role, true, subject.isEmpty() ? null : subject, issuer, serial, thumbprint, notBefore,
                notAfter, names);
    }

    /** Where the issuer's name starts: a space before an attribute that no comma introduces ({@code ...Host CN=CA}). */
    private static int secondNameStart(String dns) {
        for (int i = 1; i < dns.length() - 3; i++) {
            if (dns.charAt(i) == ' ' && dns.charAt(i - 1) != ',' && startsAttribute(dns, i + 1)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsAttribute(String s, int at) {
        int eq = s.indexOf('=', at);
        if (eq <= at || eq - at > 12) {
            return false;
        }
        for (int i = at; i < eq; i++) {
            char c = s.charAt(i);
            if (!(Character.isLetter(c) || c == '.' || Character.isDigit(c))) {
                return false;
            }
        }
        return true;
    }

    private static String last(List<String> words) {
        return words.get(words.size() - 1);
    }

    private static boolean isTime(String w) {
        return w.length() >= 19 && Character.isDigit(w.charAt(0)) && w.charAt(4) == '-' && w.charAt(10) == 'T';
    }

    private static boolean isHex(String w) {
        if (w.isEmpty()) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            if (Character.digit(w.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
