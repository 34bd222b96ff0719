package io.tlsmon.engine;

import io.tlsmon.alert.AlertEngine;
import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.SenderState;
import io.tlsmon.classify.ProbableCause;
import io.tlsmon.classify.TlsVersions;
import io.tlsmon.sender.Sender;
import io.tlsmon.sender.SenderStateFold;

import java.util.List;

/**
 * The second half of the engine, per sender: completes each attempt with its probable cause (from
 * the TLS history of its host or address), folds it into the sender's state, and applies the alert
 * rules. Its clock is the latest attempt start it has taken; each attempt first resolves the alerts
 * whose quiet period that clock has passed, so resolution, like everything else, happens at the
 * same attempts offline and live.
 */
public final class SenderEngine {
    static final String CLOCK_KEY = "clock";
    private static final long HOUR = 3_600_000L;

    private final SenderStateFold fold;
    private final AlertEngine alertEngine;
    private final KeyValueState<SenderState> senders;
    private final KeyValueState<Long> history;
    private final KeyValueState<Long> clockState;
    private final AlertStates alerts;
    private final EngineCounters counters;
    private long clock;

    /**
     * @param senders     per-sender state, by sender id
     * @param history     when each host ({@code host:}) or address ({@code ip:}) last negotiated a deprecated protocol
     * @param alertStates alert deduplication state, by {@code sender|rule|outcome}
     * @param alertRates  RAISED per rule and hour
     * @param clock       the stage's clock, under one key
     */
    public SenderEngine(EngineSettings settings, KeyValueState<SenderState> senders, KeyValueState<Long> history,
                        KeyValueState<AlertState> alertStates, KeyValueState<Long> alertRates, KeyValueState<Long> clock,
                        EngineCounters counters) {
        this.fold = new SenderStateFold(settings.windowSizesArray());
        this.alertEngine = new AlertEngine(settings.alerts());
        this.senders = senders;
        this.history = history;
        this.clockState = clock;
        this.alerts = new AlertStates(alertStates, alertRates, settings.alerts());
        this.counters = counters;
        Long saved = clock.get(CLOCK_KEY);
        this.clock = saved == null ? Long.MIN_VALUE : saved;
    }

    /** Takes one classified attempt: emits it, completed and keyed by sender, and the alerts it causes. */
    public void accept(NegotiationAttempt a, EngineOutput.Sink out) {
        advanceTo(a.getStartTime().toEpochMilli(), out);
        String historyKey = ProbableCause.historyKey(a);
        Long lastDeprecated = history.get(historyKey);
        if (TlsVersions.isDeprecated(a.getTlsVersion())) {
            long t = a.getEndTime().toEpochMilli();
            // only forward: an attempt that arrives late must not make the history look older
            if (lastDeprecated == null || t > lastDeprecated) {
                history.put(historyKey, t);
                lastDeprecated = t;
            }
        }
        a.setProbableCause(ProbableCause.infer(a, lastDeprecated));

        Sender sender = Sender.of(a);
        SenderState state = senders.get(sender.id());
        if (state == null) {
            state = fold.empty(sender, a.getStartTime().toEpochMilli());
        }
        fold.add(state, a);
        senders.put(sender.id(), state);
        out.accept(new EngineOutput.AttemptOut(sender.id(), a));

        long suppressedBefore = alertEngine.suppressed();
        for (Alert alert : alertEngine.onAttempt(a, state, alerts)) {
            emit(alert, out);
        }
        counters.alertsSuppressed += alertEngine.suppressed() - suppressedBefore;
    }

    /** Moves the clock forward to {@code time} (never back); resolves what is due by then. */
    public void advanceTo(long time, EngineOutput.Sink out) {
        if (time <= clock) {
            return;
        }
        long previousHour = clock == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(clock, HOUR);
        clock = time;
        clockState.put(CLOCK_KEY, time);
        List<AlertState> due = alerts.dueAt(time);
        if (!due.isEmpty()) {
            for (Alert alert : alertEngine.resolveQuiet(due, alerts, time)) {
                emit(alert, out);
            }
        }
        long hour = Math.floorDiv(time, HOUR);
        if (hour != previousHour) {
            // the cap counts the current hour; the one before is kept for a late attempt
            alerts.forgetRatesBefore((hour - 1) * HOUR);
        }
    }

    public long clock() {
        return clock;
    }

    private void emit(Alert alert, EngineOutput.Sink out) {
        counters.alerts++;
        out.accept(new EngineOutput.AlertOut(alert));
    }
}
