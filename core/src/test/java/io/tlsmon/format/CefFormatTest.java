package io.tlsmon.format;

import com.fluenda.parcefone.event.CommonEvent;
import com.fluenda.parcefone.parser.CEFParser;
import com.github.jcustenborder.cef.CEFParserFactory;
import com.github.jcustenborder.cef.Message;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every CEF line read back by a strict parser (Fluenda's parcefone, which checks keys and value
 * types against the CEF dictionary) and a lenient one (Graylog's), with the fields equal to what
 * was written: the line's own fields, told apart by a reader of this test that unescapes the
 * extension as the CEF standard says. parcefone 3.1.0 returns values still escaped, so it is held
 * to the escaped text of each field; Graylog's unescapes, so it is held to the unescaped value.
 */
class CefFormatTest {
    private static final CEFParser STRICT = new CEFParser();
    private static final com.github.jcustenborder.cef.CEFParser LENIENT = CEFParserFactory.create();

    /** The extension of a line as the standard reads it: keys are the words before an unescaped '='. */
    static Map<String, String> extension(String line) {
        return extension(line, true);
    }

    /** The extension with its values as written (still escaped), or unescaped. */
    static Map<String, String> extension(String line, boolean unescaped) {
        int bars = 0;
        int i = 0;
        for (; i < line.length() && bars < 7; i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '|') {
                bars++;
            }
        }
        String ext = line.substring(i);
        Map<String, String> out = new LinkedHashMap<>();
        List<int[]> keys = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:^| )([A-Za-z0-9_]+)=").matcher(ext);
        while (m.find()) {
            if (!escaped(ext, m.end() - 1)) {
                keys.add(new int[]{m.start(1), m.end()});
            }
        }
        for (int k = 0; k < keys.size(); k++) {
            int end = k + 1 < keys.size() ? keys.get(k + 1)[0] - 1 : ext.length();
            String raw = ext.substring(keys.get(k)[1], end);
            out.put(ext.substring(keys.get(k)[0], keys.get(k)[1] - 1), unescaped ? unescape(raw) : raw);
        }
        return out;
    }

    private static boolean escaped(String s, int at) {
        int n = 0;
        for (int j = at - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static String unescape(String raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char n = raw.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static void assertReadBack(String line) throws Exception {
        assertThat(line).doesNotContain("\n", "\r", "\u0000", "\u2028", "\u2029", "\u0085");
        assertThat(line).startsWith("CEF:0|tlsmon|tlsmon|" + Product.VERSION + "|");
        Map<String, String> written = extension(line);
        Map<String, String> writtenRaw = extension(line, false);

        CommonEvent strict = STRICT.parse(line.getBytes(StandardCharsets.UTF_8), true, Locale.ENGLISH);
        assertThat(strict).as("parcefone refused (validation on): " + line).isNotNull();
        Map<String, Object> strictExt = strict.getExtension(true);
        Map<String, String> strictText = new HashMap<>();
        strictExt.forEach((k, v) -> {
            if (v != null) {
                strictText.put(k, text(v));
            }
        });
        assertThat(strictText.keySet()).as("parcefone read no other field: " + line).isEqualTo(written.keySet());
        for (Map.Entry<String, String> e : written.entrySet()) {
            Object parsed = strictExt.get(e.getKey());
            if (parsed instanceof java.net.InetAddress address) {
                assertThat(address).as(e.getKey()).isEqualTo(java.net.InetAddress.getByName(e.getValue()));
            } else if (!List.of("rt", "start", "end").contains(e.getKey())) {
                // parcefone 3.1.0 hands values back as they stand in the line, escapes and all.
                assertThat(strictText.get(e.getKey())).as(e.getKey()).isEqualTo(writtenRaw.get(e.getKey()));
            } else {
                assertThat(((java.util.Date) strictExt.get(e.getKey())).getTime()).isEqualTo(Long.parseLong(e.getValue()));
            }
        }

        Message lenient = LENIENT.parse(line);
        assertThat(lenient.deviceVendor()).isEqualTo("tlsmon");
        assertThat(lenient.extensions()).as("Graylog's parser: " + line).isEqualTo(written);
    }

    private static String text(Object v) {
        return v.toString();
    }

    @Test
    void everyAttemptAndAlertReadsBackInBothParsers() throws Exception {
        for (NegotiationAttempt a : FormatSamples.allAttempts()) {
            assertReadBack(OutputFormat.CEF.attempt(a));
        }
        for (Alert a : FormatSamples.allAlerts()) {
            assertReadBack(OutputFormat.CEF.alert(a));
        }
    }

    @Test
    void fieldsCarryTheRecord() {
        Map<String, String> ext = extension(OutputFormat.CEF.attempt(FormatSamples.outboundWithCertificates()));
        assertThat(ext).containsEntry("c6a2", "2001:db8::5").containsEntry("c6a3", "2001:db8::25")
                .containsEntry("dhost", "mx1.contoso.example").containsEntry("dpt", "25").containsEntry("deviceDirection", "1")
                .containsEntry("outcome", "failure").containsEntry("cat", "CERTIFICATE_EXPIRED").containsEntry("msg", "CERT_E_EXPIRED")
                .containsEntry("cs4", "contoso.example").containsEntry("cs4Label", "policyDomain")
                .containsEntry("cs5", "CN=mx1.contoso.example").containsEntry("reason", "certificate-expired")
                .containsEntry("flexString2", "sts").containsEntry("cn2", "1");
        String line = OutputFormat.CEF.attempt(FormatSamples.outboundWithCertificates());
        assertThat(line.split("(?<!\\\\)\\|")[4]).isEqualTo("attempt:CERTIFICATE_EXPIRED");
        assertThat(line.split("(?<!\\\\)\\|")[6]).isEqualTo("6");
        assertThat(OutputFormat.CEF.attempt(FormatSamples.base().build()).split("\\|")[6]).isEqualTo("1");
        Map<String, String> alert = extension(OutputFormat.CEF.alert(FormatSamples.alert().build()));
        assertThat(alert).containsEntry("act", "RAISED").containsEntry("cnt", "12").containsEntry("src", "192.0.2.44")
                .containsEntry("externalId", "0d7e4b1a-58a3-3f0e-8c55-6a2f0b1c2d3e");
        assertThat(OutputFormat.CEF.alert(FormatSamples.alert().build()).split("\\|")[6]).isEqualTo("9");
    }

    @Test
    void headerAndExtensionEscaping() {
        CefLine line = new CefLine("a|b\\c", "n\r\nx", 5).text(CefKey.MSG, "k=v\\ \r\n|");
        assertThat(line.toString()).isEqualTo("CEF:0|tlsmon|tlsmon|" + Product.VERSION + "|a\\|b\\\\c|n\uFFFD\uFFFDx|5|msg=k\\=v\\\\ \\r\\n|");
        assertThat(new CefLine("c", "n", 0).text(CefKey.EXTERNAL_ID, "y".repeat(50)).toString()).endsWith("externalId=" + "y".repeat(40));
        // cut on UTF-8 bytes, never inside a character: 40 bytes hold 13 three-byte characters
        assertThat(new CefLine("c", "n", 0).text(CefKey.EXTERNAL_ID, "\u20ac".repeat(20)).toString()).endsWith("externalId=" + "\u20ac".repeat(13));
        assertThat(new CefLine("c", "n", 0).text(CefKey.EXTERNAL_ID, "a".repeat(39) + "\uD83D\uDE00").toString()).endsWith("externalId=" + "a".repeat(39));
    }
}
