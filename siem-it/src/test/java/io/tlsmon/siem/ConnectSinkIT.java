package io.tlsmon.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.format.OutputFormat;
import io.tlsmon.ingest.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tlsmon's own sink connector ({@code connect/}) run by a real Kafka Connect worker (standalone,
 * in this JVM) against the in-process KRaft broker and a real OpenSearch 2.19 node under the strict
 * ECS template: the demo logs' ECS records get from the format topic into the index once each, also
 * when Connect hands all of them over again; a document the template refuses goes to the dead
 * letter queue, or fails the task when there is none; a bad setting is refused naming it.
 */
class ConnectSinkIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "tlsmon.output-ecs";
    private static final String DLQ = "tlsmon.output-ecs-dlq";
    private static final String INDEX = "tlsmon-ecs-connect";
    private static final String CONNECTOR = "tlsmon-ecs-opensearch";

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker kafka;
    private static OpenSearchNode node;
    private static ConnectWorker worker;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafkaBroker.start();
        kafka.createTopics(2, TOPIC);
        kafka.createTopics(1, DLQ, "tlsmon.output-ecs-nodlq", "tlsmon.output-ecs-retry");
        node = OpenSearchNode.start(dir.resolve("opensearch"));
        OpenSearchEcsIT.putTemplate(node);
        long t1 = System.nanoTime();
        worker = ConnectWorker.start(kafka.bootstrapServers(), dir);
        System.out.printf("ConnectSinkIT: broker and OpenSearch up in %.1f s, Connect worker in %.1f s%n",
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (node != null) {
            node.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Map<String, String> connector(String topic) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.tlsmon.connect.TlsmonOpenSearchSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", topic);
        c.put("opensearch.url", node.url());
        c.put("index", INDEX);
        // several requests per put(): the demo logs give more records than this
        c.put("batch.size", "25");
        return c;
    }

    private static Map<String, String> withDeadLetterQueue() {
        Map<String, String> c = connector(TOPIC);
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", DLQ);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    @Test
    void theDemoRecordsReachTheIndexOnceEachAlsoWhenConnectDeliversThemAgain() throws Exception {
        DemoRecords demo = DemoRecords.load();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        // the connector ignores keys; tlsmon keys the topic by sender
        for (NegotiationAttempt a : demo.attempts()) {
            records.add(new ProducerRecord<>(TOPIC, a.getRemoteIp(), OutputFormat.ECS.attempt(a)));
        }
        for (Alert a : demo.alerts()) {
            records.add(new ProducerRecord<>(TOPIC, a.getSender(), OutputFormat.ECS.alert(a)));
        }
        ObjectNode refused = (ObjectNode) JSON.readTree(OutputFormat.ECS.alert(demo.alerts().get(0)));
        refused.put("not_an_ecs_field", "x");
        ((ObjectNode) refused.path("event")).put("id", "refused-by-the-strict-template");
        String refusedDoc = JSON.writeValueAsString(refused);
        produce(records);
        produce(List.of(new ProducerRecord<>(TOPIC, "x", refusedDoc)));
        int documents = records.size();

        long t0 = System.nanoTime();
        HttpResponse<String> created = worker.putConnector(CONNECTOR, withDeadLetterQueue());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await("all " + documents + " documents in " + INDEX, () -> count() == documents, 90);
        System.out.printf("ConnectSinkIT: %d ECS records Kafka -> Connect -> OpenSearch in %.1f s (connector created to _count)%n",
                documents, (System.nanoTime() - t0) / 1e9);
        assertThat(worker.taskState(CONNECTOR)).isEqualTo("RUNNING");
        await("the refused document in the dead letter queue", () -> !read(DLQ).isEmpty(), 30);
        List<ConsumerRecord<String, String>> dead = read(DLQ);
        assertThat(dead).extracting(ConsumerRecord::value).containsExactly(refusedDoc);
        String why = new String(dead.get(0).headers().lastHeader("__connect.errors.exception.message").value(), StandardCharsets.UTF_8);
        assertThat(why).contains("strict_dynamic_mapping_exception").contains("refused-by-the-strict-template");
        assertThat(node.request("GET", "/" + INDEX + "/_doc/refused-by-the-strict-template", null).statusCode()).isEqualTo(404);
        awaitCaughtUp();

        // Connect hands every record over again: a new worker, the connector's consumer group back at the start
        worker.close();
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> start = Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(0),
                    new TopicPartition(TOPIC, 1), new OffsetAndMetadata(0));
            admin.alterConsumerGroupOffsets("connect-" + CONNECTOR, start).all().get();
        }
        // and a few records produced twice, as a producer retrying after a lost acknowledgement would
        produce(records.subList(0, 5));
        long t1 = System.nanoTime();
        worker = ConnectWorker.start(kafka.bootstrapServers(), dir);
        assertThat(worker.putConnector(CONNECTOR, withDeadLetterQueue()).statusCode()).isEqualTo(201);
        awaitCaughtUp();
        System.out.printf("ConnectSinkIT: worker restarted and %d records delivered again in %.1f s%n",
                documents + 6, (System.nanoTime() - t1) / 1e9);
        assertThat(count()).as("documents after every record was delivered again").isEqualTo(documents);
        String id = JSON.readTree(records.get(0).value()).path("event").path("id").asText();
        JsonNode doc = JSON.readTree(node.request("GET", "/" + INDEX + "/_doc/" + id, null).body());
        // written three times (first delivery, redelivery, the duplicate record), kept once
        assertThat(doc.path("_version").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(doc.path("_source")).isEqualTo(JSON.readTree(records.get(0).value()));
    }

    @Test
    void aRefusedDocumentFailsTheTaskWhenThereIsNoDeadLetterQueue() throws Exception {
        String name = "tlsmon-ecs-nodlq";
        ObjectNode refused = (ObjectNode) JSON.readTree(OutputFormat.ECS.alert(DemoRecords.load().alerts().get(0)));
        refused.put("not_an_ecs_field", "x");
        produce(List.of(new ProducerRecord<>("tlsmon.output-ecs-nodlq", "x", JSON.writeValueAsString(refused))));
        assertThat(worker.putConnector(name, connector("tlsmon.output-ecs-nodlq")).statusCode()).isEqualTo(201);
        await("the task failed", () -> "FAILED".equals(state(name)), 60);
        String trace = worker.status(name).path("tasks").get(0).path("trace").asText();
        assertThat(trace).contains("strict_dynamic_mapping_exception").contains("tlsmon.output-ecs-nodlq-0@0");
        assertThat(worker.request("DELETE", "/connectors/" + name, null).statusCode()).isEqualTo(204);
    }

    @Test
    void whileTheClusterCannotBeReachedTheTaskRetriesAndLosesNothing() throws Exception {
        String name = "tlsmon-ecs-retry";
        String topic = "tlsmon.output-ecs-retry";
        String index = "tlsmon-ecs-retry";
        DemoRecords demo = DemoRecords.load();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        demo.attempts().subList(0, 10).forEach(a -> records.add(new ProducerRecord<>(topic, a.getRemoteIp(), OutputFormat.ECS.attempt(a))));
        produce(records);
        Map<String, String> c = connector(topic);
        c.put("index", index);
        c.put("retry.backoff.ms", "200");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        c.put("opensearch.url", "http://127.0.0.1:" + closed);
        assertThat(worker.putConnector(name, c).statusCode()).isEqualTo(201);
        await("the task running", () -> "RUNNING".equals(state(name)), 30);
        // several tries later: still running, nothing committed
        Thread.sleep(3000);
        assertThat(state(name)).isEqualTo("RUNNING");
        try (Admin admin = kafka.admin()) {
            assertThat(admin.listConsumerGroupOffsets("connect-" + name).partitionsToOffsetAndMetadata().get().values())
                    .allSatisfy(o -> assertThat(o == null ? 0 : o.offset()).isZero());
        }
        // the operator fixes the URL; Connect restarts the task with it
        c.put("opensearch.url", node.url());
        assertThat(worker.putConnector(name, c).statusCode()).isEqualTo(200);
        await("the records once the cluster is reachable", () -> count(index) == records.size(), 60);
        assertThat(worker.request("DELETE", "/connectors/" + name, null).statusCode()).isEqualTo(204);
    }

    @Test
    void theWorkerRunsTheConnectorFromItsPluginFolder() throws Exception {
        // not on the test classpath: only the plugin folder can have given the worker the connector
        assertThat(getClass().getClassLoader().getResource("io/tlsmon/connect/TlsmonOpenSearchSinkConnector.class")).isNull();
        JsonNode plugins = JSON.readTree(worker.request("GET", "/connector-plugins", null).body());
        assertThat(plugins.findValuesAsText("class")).contains("io.tlsmon.connect.TlsmonOpenSearchSinkConnector");
        JsonNode ours = null;
        for (JsonNode p : plugins) {
            if (p.path("class").asText().equals("io.tlsmon.connect.TlsmonOpenSearchSinkConnector")) {
                ours = p;
            }
        }
        assertThat(ours.path("type").asText()).isEqualTo("sink");
        assertThat(ours.path("version").asText()).isNotEqualTo("dev");
    }

    @Test
    void aBadSettingIsRefusedNamingIt() throws Exception {
        Map<String, String> c = connector(TOPIC);
        c.put("batch.size", "0");
        c.put("opensearch.url", "localhost:9200");
        HttpResponse<String> r = worker.putConnector("tlsmon-ecs-bad", c);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("batch.size").contains("opensearch.url");
    }

    private static String state(String name) {
        try {
            return worker.taskState(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count() {
        return count(INDEX);
    }

    private static long count(String index) {
        try {
            node.request("POST", "/" + index + "/_refresh", null);
            HttpResponse<String> r = node.request("GET", "/" + index + "/_count", null);
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("count").asLong() : -1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until the connector's consumer group has committed the end of every partition: Connect is done with the topic. */
    private static void awaitCaughtUp() throws Exception {
        try (Admin admin = kafka.admin()) {
            await("the connector's offsets at the end of " + TOPIC, () -> {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + CONNECTOR)
                            .partitionsToOffsetAndMetadata().get();
                    Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(TOPIC, 0), OffsetSpec.latest(),
                            new TopicPartition(TOPIC, 1), OffsetSpec.latest());
                    return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(e -> {
                        OffsetAndMetadata c = committed.get(e.getKey());
                        return c != null && c.offset() == e.getValue().offset();
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 60);
        }
    }

    private static void await(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what + "; connector status: " + safeStatus());
            }
            Thread.sleep(200);
        }
    }

    private static String safeStatus() {
        try {
            return String.valueOf(worker.status(CONNECTOR));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void produce(List<ProducerRecord<String, String>> records) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (ProducerRecord<String, String> r : records) {
                producer.send(r).get();
            }
        }
    }

    private static List<ConsumerRecord<String, String>> read(String topic) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
