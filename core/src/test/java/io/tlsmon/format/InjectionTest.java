package io.tlsmon.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The injection corpus through every format: each record stays one line; JSON lines parse (strictly:
 * duplicate keys refused) back to the same texts, unpaired surrogates as U+FFFD; CEF lines read back
 * by both parsers with no field the record did not give, each value the text as CEF carries it
 * (other control characters as U+FFFD, the colon of a "CEF:" as U+FFFD, trimmed, cut to the dictionary length); OCSF and ECS stay
 * valid against their definitions.
 */
class InjectionTest {
    private static final ObjectMapper STRICT_JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static JsonNode oneJsonLine(String out) throws Exception {
        assertThat(out).doesNotContain("\n", "\r", "\u2028", "\u2029");
        byte[] utf8 = out.getBytes(StandardCharsets.UTF_8);
        // a lone surrogate would have become '?' here: the text must survive the UTF-8 round trip whole
        assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(out);
        return STRICT_JSON.readTree(utf8);
    }

    /** What a CEF value carries of {@code text}, worked out here independently of CefLine. */
    static String afterCef(String text, int maxBytes) {
        return afterCef(text, maxBytes, true);
    }

    static String afterCef(String text, int maxBytes, boolean strip) {
        StringBuilder sb = new StringBuilder();
        String json = InjectionCorpus.afterJson(text);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean control = (c < 0x20 && c != '\r' && c != '\n') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            sb.append(control ? '\uFFFD' : c);
        }
        String v = sb.toString().replace("CEF:", "CEF\uFFFD");
        v = strip ? v.strip() : v;
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int cp : v.codePoints().toArray()) {
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            cut.appendCodePoint(cp);
        }
        return cut.toString();
    }

    @Test
    void attemptsThroughEveryFormat() throws Exception {
        for (String text : InjectionCorpus.TEXTS) {
            for (boolean outbound : new boolean[]{false, true}) {
                NegotiationAttempt a = InjectionCorpus.attempt(text, outbound);
                String expected = InjectionCorpus.afterJson(text);
                String what = "[" + text.substring(0, Math.min(40, text.length())) + "] outbound=" + outbound;

                JsonNode ecs = oneJsonLine(OutputFormat.ECS.attempt(a));
                assertThat(ecs.at(outbound ? "/destination/domain" : "/source/domain").asText()).as(what).isEqualTo(expected);
                assertThat(ecs.at("/error/message").asText()).as(what).isEqualTo(expected);
                assertThat(ecs.at("/tlsmon/connector").asText()).as(what).isEqualTo(expected);
                assertThat(ecs.at("/tls/" + (outbound ? "server" : "client") + "/x509/subject/distinguished_name").asText()).as(what).isEqualTo(expected);
                assertThat(ecs.at("/tls/" + (outbound ? "server" : "client") + "/x509/issuer/distinguished_name").asText()).as(what).isEqualTo(expected);

                JsonNode ocsf = oneJsonLine(OutputFormat.OCSF.attempt(a));
                assertThat(OcsfFormatTest.SCHEMA.validate("network_activity", ocsf)).as(what).isEmpty();
                assertThat(ocsf.at(outbound ? "/dst_endpoint/hostname" : "/src_endpoint/hostname").asText()).as(what).isEqualTo(expected);
                assertThat(ocsf.at("/status_detail").asText()).as(what).isEqualTo(expected);
                assertThat(ocsf.at("/unmapped/tlsmon/connector").asText()).as(what).isEqualTo(expected);

                JsonNode hec = oneJsonLine(OutputFormat.HEC.attempt(a));
                assertThat(hec.at("/event/remoteHost").asText()).as(what).isEqualTo(expected);
                assertThat(hec.at("/event/error").asText()).as(what).isEqualTo(expected);
                assertThat(hec.at("/event/certificates/0/subject").asText()).as(what).isEqualTo(expected);
                assertThat(hec.at("/event/connector").asText()).as(what).isEqualTo(expected);

                String cef = OutputFormat.CEF.attempt(a);
                CefFormatTest.assertReadBack(cef);
                Map<String, String> ext = CefFormatTest.extension(cef);
                assertThat(ext.get(outbound ? "dhost" : "shost")).as(what).isEqualTo(emptyToNull(afterCef(text, 1023)));
                assertThat(ext.get("msg")).as(what).isEqualTo(emptyToNull(afterCef(text, 1023)));
                assertThat(ext.get("cs3")).as(what).isEqualTo(emptyToNull(afterCef(text, 4000)));
                assertThat(ext.get("cs5")).as(what).isEqualTo(emptyToNull(afterCef(text, 4000)));
                assertThat(ext.get("cat")).isEqualTo("CERTIFICATE_UNTRUSTED");
                assertThat(ext.get("dvchost")).isEqualTo("mx.fabrikam.example");
            }
        }
    }

    @Test
    void alertsThroughEveryFormat() throws Exception {
        for (String text : InjectionCorpus.TEXTS) {
            Alert a = InjectionCorpus.alert(text);
            String expected = InjectionCorpus.afterJson(text);
            String what = "[" + text.substring(0, Math.min(40, text.length())) + "]";

            JsonNode ecs = oneJsonLine(OutputFormat.ECS.alert(a));
            assertThat(ecs.at("/message").asText()).as(what).isEqualTo(expected);
            assertThat(ecs.at("/source/domain").asText()).as(what).isEqualTo(expected);
            assertThat(ecs.at("/tlsmon/remediation").asText()).as(what).isEqualTo(expected);

            JsonNode ocsf = oneJsonLine(OutputFormat.OCSF.alert(a));
            assertThat(OcsfFormatTest.SCHEMA.validate("detection_finding", ocsf)).as(what).isEmpty();
            assertThat(ocsf.at("/finding_info/title").asText()).as(what).isEqualTo(expected);

            JsonNode hec = oneJsonLine(OutputFormat.HEC.alert(a));
            assertThat(hec.at("/event/summary").asText()).as(what).isEqualTo(expected);
            assertThat(hec.at("/event/senderName").asText()).as(what).isEqualTo(expected);

            String cef = OutputFormat.CEF.alert(a);
            CefFormatTest.assertReadBack(cef);
            Map<String, String> ext = CefFormatTest.extension(cef);
            assertThat(ext.get("msg")).as(what).isEqualTo(emptyToNull(afterCef(text, 1023)));
            assertThat(ext.get("shost")).as(what).isEqualTo(emptyToNull(afterCef(text, 1023)));
            assertThat(ext.get("cs3")).as(what).isEqualTo(emptyToNull(afterCef(text, 4000)));
            assertThat(ext.get("act")).isEqualTo("RAISED");
        }
    }

    @Test
    void headerFieldsFromRecordsCannotSplitTheHeader() throws Exception {
        for (String text : InjectionCorpus.TEXTS) {
            String cef = OutputFormat.CEF.alert(FormatSamples.alert().setRule(text).build());
            try {
                CefFormatTest.assertReadBack(cef);
            } catch (RuntimeException e) {
                throw new AssertionError("[" + text.substring(0, Math.min(40, text.length())) + "]: " + cef, e);
            }
            assertThat(com.github.jcustenborder.cef.CEFParserFactory.create().parse(cef).deviceEventClassId())
                    .isEqualTo(afterCef("alert:" + text, 1023, false).replace("\r", "\uFFFD").replace("\n", "\uFFFD").replaceAll("\\\\$", "\uFFFD"));
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
