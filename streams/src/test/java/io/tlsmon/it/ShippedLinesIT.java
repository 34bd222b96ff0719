package io.tlsmon.it;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.topology.TlsmonConfig;
import io.tlsmon.topology.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines shipped by the tools people already run, in each one's output shape (see docs/shippers.md),
 * through a real broker: each shipper's host ends up with its classified attempt.
 */
class ShippedLinesIT {

    /** One Postfix session of host {@code host} that negotiates TLS 1.0 (composed, not a real log). */
    private static List<String> session(String host, String minute) {
        String t = "2025-03-01T10:" + minute + ":00.";
        return List.of(
                t + "000000+00:00 " + host + " postfix/smtpd[4242]: connect from mail.example.org[192.0.2.44]",
                t + "200000+00:00 " + host + " postfix/smtpd[4242]: Anonymous TLS connection established from mail.example.org[192.0.2.44]: TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)",
                t + "900000+00:00 " + host + " postfix/smtpd[4242]: disconnect from mail.example.org[192.0.2.44] ehlo=2 starttls=1 quit=1 commands=4");
    }

    private static String json(String s) {
        return TextNode.valueOf(s).toString();
    }

    /** Each shipper's record for one line: (host, line) to record value; plain text is keyed. */
    private static final Map<String, BiFunction<String, String, String>> SHIPPERS = Map.of(
            "filebeat", (h, l) -> "{\"@timestamp\":\"2025-03-01T10:00:00Z\",\"message\":" + json(l)
                    + ",\"host\":{\"name\":\"" + h + "\"},\"log\":{\"file\":{\"path\":\"/var/log/mail.log\"},\"offset\":0}}",
            "fluentbit", (h, l) -> "{\"@timestamp\":1740823200.0,\"path\":\"/var/log/mail.log\",\"log\":" + json(l)
                    + ",\"hostname\":\"" + h + "\",\"log_kind\":\"postfix\"}",
            "vector", (h, l) -> "{\"file\":\"/var/log/mail.log\",\"host\":\"" + h + "\",\"message\":" + json(l)
                    + ",\"source_type\":\"file\",\"timestamp\":\"2025-03-01T10:00:00Z\"}",
            "nxlog", (h, l) -> "{\"EventReceivedTime\":1740823200000,\"SourceModuleName\":\"mail\",\"SourceModuleType\":\"im_file\",\"Message\":"
                    + json(l) + ",\"FileName\":\"/var/log/mail.log\",\"Hostname\":\"" + h + "\",\"LogKind\":\"postfix\"}",
            "rsyslog", (h, l) -> l,
            "plain", (h, l) -> l);

    @Test
    void everyShipperShapeBecomesAttemptsOfItsHost(@TempDir Path state) throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start()) {
            Map<String, Object> s = StreamsHarness.settings(cluster, "ship.", "tlsmon-shipped", "mock://shipped", state.toString());
            TlsmonConfig config = new TlsmonConfig(s);
            StreamsHarness.createTopics(cluster, config);
            Topics topics = Topics.of(config);
            Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (String minute : List.of("00", "30")) {
                    SHIPPERS.forEach((name, shape) -> {
                        String host = "mx-" + name;
                        // plain text carries its host in the key; the others in the envelope (rsyslog: the syslog header)
                        byte[] key = name.equals("plain") ? (host + "|postfix").getBytes(StandardCharsets.UTF_8) : null;
                        for (String line : session(host, minute)) {
                            producer.send(new ProducerRecord<>(topics.shippedLines().name(), key, shape.apply(host, line).getBytes(StandardCharsets.UTF_8)));
                        }
                    });
                }
                producer.flush();
            }
            try (StreamsHarness.Running app = StreamsHarness.start(s)) {
                StreamsHarness.awaitConsumed(cluster, "tlsmon-shipped", topics.shippedLines().name(), Duration.ofSeconds(90));
            }
            List<NegotiationAttempt> attempts = StreamsHarness.read(cluster, topics.attempts().name(), "read_committed", Duration.ofSeconds(2))
                    .stream().map(r -> topics.attempts().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            // the :00 session of every host has closed (the :30 one is still open: nothing came after it)
            assertThat(attempts.stream().collect(Collectors.groupingBy(NegotiationAttempt::getServer, Collectors.counting())))
                    .containsOnlyKeys(SHIPPERS.keySet().stream().map(n -> "mx-" + n).toArray(String[]::new))
                    .allSatisfy((host, n) -> assertThat(n).isGreaterThanOrEqualTo(1L));
            assertThat(attempts).allSatisfy(a -> {
                assertThat(a.getOutcome()).isEqualTo(Outcome.DEPRECATED_PROTOCOL);
                assertThat(a.getTlsVersion()).isEqualTo("TLSv1");
            });
            assertThat(StreamsHarness.read(cluster, topics.deadLetters().name(), "read_committed", Duration.ofSeconds(1))).isEmpty();
        }
    }
}
