package io.tlsmon.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a Streams application has drained its input: every record of every input partition (the
 * external sources and the app's own repartition topics) is covered by the offsets the group has
 * <em>committed</em>. At-least-once: the producer is flushed before the offsets are committed, so the
 * outputs of those records are written. Exactly-once: the offsets are committed in the transaction of
 * the outputs, so the outputs are committed. So this is "last output committed", for any topology.
 *
 * <p>The check reads the committed offsets first and the end offsets after, so a repartition topic
 * cannot grow unseen between the two reads (its records are written before the upstream offsets
 * that cover them are committed). An exactly-once repartition partition may end with a transaction
 * marker after its last record; Streams commits past such markers only later, so a partition whose
 * committed offset is just short of its end is checked against its last <em>data</em> record.
 */
final class Drain implements AutoCloseable {
    private final Admin admin;
    private final String bootstrap;
    private final String groupId;
    private final Set<String> externalInputs;
    private final Set<String> inputs = new TreeSet<>();
    private final Map<TopicPartition, long[]> lastData = new HashMap<>(); // partition -> {end, last data offset + 1}
    private KafkaConsumer<byte[], byte[]> tail;
    private Map<TopicPartition, Long> lastCommitted = Map.of();
    private Map<TopicPartition, Long> lastEnds = Map.of();

    /** {@code groupId} = the application id; {@code externalInputs}: the source topics that are not the app's own. */
    Drain(Admin admin, String bootstrap, String groupId, Collection<String> externalInputs) {
        this.admin = admin;
        this.bootstrap = bootstrap;
        this.groupId = groupId;
        this.externalInputs = new LinkedHashSet<>(externalInputs);
    }

    /**
     * Null while records are left; once drained, the {@link System#nanoTime} taken just before the
     * committed offsets that showed it were read. The last commit happened between the previous
     * check and this one: the time is accurate to one check interval plus an Admin round trip.
     */
    Long check() throws Exception {
        long at = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> raw = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> committed = new HashMap<>();
        raw.forEach((tp, om) -> {
            if (om != null) {
                committed.put(tp, om.offset());
            }
        });
        lastCommitted = committed;
        if (inputs.isEmpty() || !externalDone(committed)) {
            // the app's repartition topics exist from its first rebalance on; look again until the
            // external inputs are done, after which no new one can appear
            inputs.clear();
            inputs.addAll(externalInputs);
            for (String t : admin.listTopics().names().get()) {
                if (t.startsWith(groupId + "-") && t.endsWith("-repartition")) {
                    inputs.add(t);
                }
            }
        }
        Map<TopicPartition, Long> ends = endOffsets(inputs);
        lastEnds = ends;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            long c = committed.getOrDefault(e.getKey(), 0L);
            long end = e.getValue();
            if (c >= end) {
                continue;
            }
            if (end - c > 2 || externalInputs.contains(e.getKey().topic()) || c < lastDataEnd(e.getKey(), end)) {
                return null;
            }
        }
        return at;
    }

    private boolean externalDone(Map<TopicPartition, Long> committed) {
        if (lastEnds.isEmpty()) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> e : lastEnds.entrySet()) {
            if (externalInputs.contains(e.getKey().topic()) && committed.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Records of the inputs not yet covered by a commit (markers included), and the input partitions. */
    long remaining() {
        long left = 0;
        for (Map.Entry<TopicPartition, Long> e : lastEnds.entrySet()) {
            left += Math.max(0, e.getValue() - lastCommitted.getOrDefault(e.getKey(), 0L));
        }
        return left;
    }

    /** Committed offsets of the external inputs summed: the raw lines done so far. */
    long externalCommitted() {
        long n = 0;
        for (Map.Entry<TopicPartition, Long> e : lastCommitted.entrySet()) {
            if (externalInputs.contains(e.getKey().topic())) {
                n += e.getValue();
            }
        }
        return n;
    }

    Set<String> inputs() {
        return inputs;
    }

    /** Offset after the last data record (not a control record) of {@code tp}, whose end offset is {@code end}. */
    private long lastDataEnd(TopicPartition tp, long end) {
        long[] known = lastData.get(tp);
        if (known != null && known[0] == end) {
            return known[1];
        }
        if (tail == null) {
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            tail = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        tail.assign(List.of(tp));
        tail.seek(tp, Math.max(0, end - 8));
        long dataEnd = Math.max(0, end - 8);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (tail.position(tp) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : tail.poll(Duration.ofMillis(100))) {
                dataEnd = Math.max(dataEnd, r.offset() + 1);
            }
        }
        if (tail.position(tp) < end) {
            return end; // could not read the tail: ask for the whole partition
        }
        lastData.put(tp, new long[] {end, dataEnd});
        return dataEnd;
    }

    private Map<TopicPartition, Long> endOffsets(Collection<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    @Override
    public void close() {
        if (tail != null) {
            tail.close();
        }
    }
}
