package io.tlsmon.topology;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises a failure caused by a full filesystem anywhere in its causes: Kafka Streams wraps what
 * RocksDB or the JDK said (a {@code RocksDBException} with status {@code NoSpace}, an
 * {@code IOException} "No space left on device") in its own exceptions, one or more levels up.
 */
final class NoSpaceLeft {
    /** What Linux (ENOSPC), RocksDB and the JDK say. */
    private static final String MESSAGE = "no space left on device";
    /** Causes and suppressed exceptions looked at, at most: a chain is short, a cycle must not hang the thread. */
    private static final int MAX_LOOKED_AT = 64;

    private NoSpaceLeft() {
    }

    /** The exception in {@code failure}'s causes (or suppressed ones) that says the device is full, if any. */
    static Optional<Throwable> in(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        todo.add(failure);
        while (!todo.isEmpty() && seen.size() < MAX_LOOKED_AT) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (saysNoSpace(t)) {
                return Optional.of(t);
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            Collections.addAll(todo, t.getSuppressed());
        }
        return Optional.empty();
    }

    /** Whether a RocksDB status says the device is full. */
    static boolean says(Status status) {
        return status != null && (status.getSubCode() == Status.SubCode.NoSpace
                || status.getState() != null && status.getState().toLowerCase(Locale.ROOT).contains(MESSAGE));
    }

    private static boolean saysNoSpace(Throwable t) {
        if (t instanceof RocksDBException r && says(r.getStatus())) {
            return true;
        }
        return t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(MESSAGE);
    }
}
