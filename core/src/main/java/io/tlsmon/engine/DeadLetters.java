package io.tlsmon.engine;

import io.tlsmon.avro.DeadLetter;
import io.tlsmon.avro.DeadLetterStage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The one place a {@link DeadLetter} is made, whichever stage found the record unusable. */
public final class DeadLetters {
    private DeadLetters() {
    }

    /** A line the engine could not use: its text, its file and line, its place in Kafka when live. */
    public static DeadLetter ofLine(DeadLetterStage stage, String reason, LineInput in) {
        LineInput.RecordPosition at = in.position();
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(reason)
                .setSourceHost(in.sourceHost())
                .setSource(in.stream())
                .setLineNumber(in.lineNumber())
                .setTopic(at == null ? null : at.topic())
                .setPartition(at == null ? null : at.partition())
                .setOffset(at == null ? null : at.offset())
                .setValue(ByteBuffer.wrap(in.line().getBytes(StandardCharsets.UTF_8)))
                .setTime(Instant.ofEpochMilli(Math.max(0, in.arrivalMillis())))
                .build();
    }

    /** A Kafka record that could not be used: its bytes as received and where it was. */
    public static DeadLetter ofRecord(DeadLetterStage stage, String reason, String topic, Integer partition, Long offset,
                                      byte[] key, byte[] value, long timestamp) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(reason)
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setTime(Instant.ofEpochMilli(Math.max(0, timestamp)))
                .build();
    }
}
