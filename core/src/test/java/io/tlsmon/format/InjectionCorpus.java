package io.tlsmon.format;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.CertificateRole;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Texts a log line can hand tlsmon in an EHLO name, a certificate subject, an error text or a
 * connector name, meant (or not) to break a SIEM line or add a field to it.
 */
public final class InjectionCorpus {
    private InjectionCorpus() {
    }

    /** Bytes that are not UTF-8, decoded as every reader of tlsmon decodes them (with U+FFFD). */
    private static final String INVALID_UTF8 = new String(new byte[]{'a', (byte) 0xC3, '(', (byte) 0xFF, (byte) 0xFE, 'z'},
            StandardCharsets.UTF_8);

    public static final List<String> TEXTS = List.of(
            "evil\r\nCEF:0|evil|evil|1|1|injected|10|src=6.6.6.6",
            "line\nbreak",
            "cr\ronly",
            "pipe|in|header|fields",
            "key=value dst=6.6.6.6 cs1=injected",
            "back\\slash\\",
            "\\",
            "=",
            "\"quoted\" 'single' `tick`",
            "} ,\"injected\":true, {",
            "nul\u0000byte",
            "tab\tvt\u000Bff\fdel\u007Fnel\u0085ls\u2028ps\u2029",
            "lone high \uD800 surrogate",
            "lone low \uDC00 surrogate",
            "reversed \uDC00\uD800 pair",
            "trailing high \uD83D",
            "emoji \uD83D\uDE00 pair",
            INVALID_UTF8,
            "  padded  ",
            "x".repeat(10_240),
            "\u00e9".repeat(5_000) + "\uD83D\uDE00".repeat(100));

    /** One attempt per text, the text in the EHLO name, the connector, the error and both certificate subjects. */
    public static NegotiationAttempt attempt(String text, boolean outbound) {
        return FormatSamples.base()
                .setDirection(outbound ? io.tlsmon.avro.Direction.outbound : io.tlsmon.avro.Direction.inbound)
                .setRemoteHost(text).setConnector(text).setError(text).setOutcome(Outcome.CERTIFICATE_UNTRUSTED)
                .setCertificates(List.of(
                        FormatSamples.certificate(CertificateRole.REMOTE, text, text, "01", null, null, null, null),
                        FormatSamples.certificate(CertificateRole.LOCAL, text, "CN=ca", "02", null, null, null, null)))
                .build();
    }

    /** One alert per text, the text in the sender's name, the error, the summary and the remediation. */
    public static Alert alert(String text) {
        return FormatSamples.alert().setSenderName(text).setError(text).setSummary(text).setRemediation(text).setDestination(text).build();
    }

    /** What a JSON reader gets back: the text with every unpaired surrogate as U+FFFD. */
    public static String afterJson(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                sb.append(c).append(text.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
