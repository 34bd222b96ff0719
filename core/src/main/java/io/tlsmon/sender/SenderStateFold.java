package io.tlsmon.sender;

import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import io.tlsmon.avro.WindowCounts;
import io.tlsmon.classify.Outcomes;
import io.tlsmon.classify.TlsVersions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Folds classified attempts into the state of their sender: lifetime facts, and outcome counts in
 * one epoch-aligned tumbling window per configured size. Pure: the Streams aggregation and the
 * offline summary both use it.
 */
public final class SenderStateFold {
    /** Distinct destinations remembered per sender, most recent first. */
    public static final int MAX_DESTINATIONS = 10;

    private final long[] windowSizes;

    /** @param windowSizesMs tumbling window sizes, e.g. 5 min, 1 h, 1 day */
    public SenderStateFold(long... windowSizesMs) {
        if (windowSizesMs.length == 0) {
            throw new IllegalArgumentException("at least one window size is needed");
        }
        for (long w : windowSizesMs) {
            if (w <= 0) {
                throw new IllegalArgumentException("window sizes must be positive: " + w);
            }
        }
        this.windowSizes = windowSizesMs.clone();
    }

    public long[] windowSizes() {
        return windowSizes.clone();
    }

    /** A state for a sender seen for the first time. */
    public SenderState empty(Sender sender, long time) {
        List<WindowCounts> windows = new ArrayList<>(windowSizes.length);
        for (long size : windowSizes) {
            windows.add(new WindowCounts(size, Instant.ofEpochMilli(windowStart(time, size)), new HashMap<>()));
        }
        return SenderState.newBuilder()
                .setSender(sender.id())
                .setSenderName(sender.name())
                .setDirection(sender.direction())
                .setFirstSeen(Instant.ofEpochMilli(time))
                .setLastSeen(Instant.ofEpochMilli(time))
                .setVersionsSeen(new ArrayList<>())
                .setDestinations(new ArrayList<>())
                .setTotals(new HashMap<>())
                .setVersionTotals(new HashMap<>())
                .setWindows(windows)
                .build();
    }

    /** Adds one attempt to {@code state} (which it changes and returns). */
    public SenderState add(SenderState state, NegotiationAttempt a) {
        long t = a.getStartTime().toEpochMilli();
        Outcome outcome = a.getOutcome();
        if (state.getSenderName() == null) {
            state.setSenderName(Sender.of(a).name());
        }
        if (t < state.getFirstSeen().toEpochMilli()) {
            state.setFirstSeen(a.getStartTime());
        }
        boolean latest = t >= state.getLastSeen().toEpochMilli();
        if (latest) {
            state.setLastSeen(a.getStartTime());
        }
        state.getTotals().merge(outcome.name(), 1L, Long::sum);
        String version = a.getTlsVersion();
        if (version != null) {
            state.getVersionTotals().merge(version, 1L, Long::sum);
        }
        if (version != null && !state.getVersionsSeen().contains(version)) {
            // fresh lists: a state read back from its store holds Avro arrays, which cannot remove or sort in place
            List<String> versions = new ArrayList<>(state.getVersionsSeen());
            versions.add(version);
            versions.sort(TlsVersions.OLDEST_FIRST);
            state.setVersionsSeen(versions);
        }
        if (TlsVersions.isDeprecated(version) && (state.getLastDeprecated() == null || t > state.getLastDeprecated().toEpochMilli())) {
            state.setLastDeprecated(a.getStartTime());
        }
        if (Outcomes.isFailure(outcome)) {
            if (latest) {
                state.setConsecutiveFailures(state.getConsecutiveFailures() + 1);
            }
            if (state.getLastFailure() == null || t >= state.getLastFailure().toEpochMilli()) {
                state.setLastFailure(a.getStartTime());
                state.setLastError(a.getError() != null ? a.getError() : outcome.name());
            }
        } else {
            if (latest) {
                state.setConsecutiveFailures(0);
            }
            if (state.getLastSuccess() == null || t >= state.getLastSuccess().toEpochMilli()) {
                state.setLastSuccess(a.getStartTime());
                state.setLastSuccessVersion(version);
            }
        }
        if (latest) {
            state.setLastOutcome(outcome);
        }
        String destination = Sender.destinationOf(a);
        if (destination != null && !(state.getDestinations().size() > 0 && destination.equals(state.getDestinations().get(0)))) {
            List<String> d = new ArrayList<>(MAX_DESTINATIONS + 1);
            d.add(destination);
            for (String known : state.getDestinations()) {
                if (d.size() < MAX_DESTINATIONS && !known.equals(destination)) {
                    d.add(known);
                }
            }
            state.setDestinations(d);
        }
        countInWindows(state, outcome, t);
        return state;
    }

    private void countInWindows(SenderState state, Outcome outcome, long t) {
        for (WindowCounts w : state.getWindows()) {
            long start = windowStart(t, w.getSizeMs());
            long current = w.getStart().toEpochMilli();
            if (start > current) {
                w.setStart(Instant.ofEpochMilli(start));
                w.setCounts(new HashMap<>());
            } else if (start < current) {
                continue; // a late attempt of a window already left behind: it is in the totals only
            }
            w.getCounts().merge(outcome.name(), 1, Integer::sum);
        }
    }

    /** The count of {@code outcome} in the current window of {@code sizeMs}, as of event time {@code now}. */
    public static int countInWindow(SenderState state, long sizeMs, Outcome outcome, long now) {
        for (WindowCounts w : state.getWindows()) {
            if (w.getSizeMs() == sizeMs) {
                if (w.getStart().toEpochMilli() != windowStart(now, sizeMs)) {
                    return 0;
                }
                Integer n = w.getCounts().get(outcome.name());
                return n == null ? 0 : n;
            }
        }
        return 0;
    }

    public static long windowStart(long time, long size) {
        return Math.floorDiv(time, size) * size;
    }
}
