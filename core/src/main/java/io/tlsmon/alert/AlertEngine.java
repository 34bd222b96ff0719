package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertState;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.EvidenceRef;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import io.tlsmon.avro.Severity;
import io.tlsmon.classify.NameUuids;
import io.tlsmon.classify.Outcomes;
import io.tlsmon.schemas.AvroClassTrust;
import io.tlsmon.sender.Sender;
import io.tlsmon.sender.SenderStateFold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The alert rules and their deduplication. Every decision uses event time (the attempts' own
 * times), never the wall clock, so the same log gives the same alerts live or replayed at full speed.
 *
 * <p>Rules: see {@link AlertRule}. Per (sender, rule, outcome): one RAISED, then UPDATED at most
 * once per update interval, then RESOLVED after a quiet period with a success. The rule travels as
 * its label in the Avro records; it is an {@link AlertRule} everywhere else.
 */
public final class AlertEngine {
    private static final long HOUR = 3_600_000L;
    private static final Set<Outcome> CRITICAL = EnumSet.of(Outcome.PROTOCOL_VERSION_REJECTED, Outcome.STARTTLS_REQUIRED,
            Outcome.LOCAL_CERTIFICATE_UNUSABLE, Outcome.CERTIFICATE_EXPIRED, Outcome.POLICY_FAILURE);

    static {
        // Alert.newBuilder(alert) deep-copies, and since Avro 1.12.2 a copy looks up even our own
        // generated enums (AlertType, Severity...) only once they are trusted. The Streams serdes trust
        // them; without this an engine run anywhere else threw SecurityException on its first RESOLVED.
        AvroClassTrust.trust(Alert.class);
    }

    private final AlertConfig config;
    private long suppressed;

    public AlertEngine(AlertConfig config) {
        this.config = config;
    }

    /**
     * RAISED alerts dropped by the per-rule hourly cap, since this engine was made: each (sender,
     * rule, outcome) once per hour it was held back in, however many of its attempts matched.
     */
    public long suppressed() {
        return suppressed;
    }

    /**
     * Applies the rules to one attempt whose sender state already includes it.
     *
     * @return the alerts to emit, in order
     */
    public List<Alert> onAttempt(NegotiationAttempt a, SenderState state, AlertStore store) {
        List<Alert> out = new ArrayList<>(2);
        long now = a.getStartTime().toEpochMilli();
        Outcome outcome = a.getOutcome();
        if (outcome == Outcome.DEPRECATED_PROTOCOL) {
            match(out, store, a, state, AlertRule.DEPRECATED_PROTOCOL, Severity.WARNING, 1, config.deprecatedIntervalMs());
        } else if (Outcomes.isFailure(outcome) && !config.noiseOutcomes().contains(outcome)) {
            int inWindow = SenderStateFold.countInWindow(state, config.failureWindowMs(), outcome, now);
            if (inWindow >= config.failureThreshold()) {
                match(out, store, a, state, AlertRule.FAILURE_THRESHOLD, severityOf(a), inWindow, config.updateIntervalMs());
            }
            if (state.getLastSuccess() != null && state.getConsecutiveFailures() >= config.consecutiveFailures()) {
                match(out, store, a, state, AlertRule.SUCCESS_TO_FAILURE, severityOf(a), state.getConsecutiveFailures(), config.updateIntervalMs());
            }
            if (outcome == Outcome.CONNECTION_DROPPED && a.getProbableCause() == Outcome.PROTOCOL_VERSION_REJECTED) {
                match(out, store, a, state, AlertRule.EXO_PROBABLE_VERSION_REJECTED, Severity.CRITICAL, 1, config.updateIntervalMs());
            }
        }
        if (!Outcomes.isFailure(outcome)) {
            noteSuccess(store, Sender.of(a).id(), a, now);
        }
        out.addAll(resolveQuiet(store.forSender(Sender.of(a).id()), store, now));
        return out;
    }

    /** Resolves the open alerts that have been quiet long enough at event time {@code now}. */
    public List<Alert> resolveQuiet(Iterable<AlertState> states, AlertStore store, long now) {
        List<Alert> out = new ArrayList<>();
        for (AlertState st : states) {
            if (st.getOpen() && st.getSuccessSince() && now - st.getLastMatch() >= config.quietPeriodMs()) {
                st.setOpen(false);
                Alert resolved = Alert.newBuilder(st.getLast())
                        .setType(AlertType.RESOLVED)
                        .setCount(st.getCount())
                        .setWindowEnd(Instant.ofEpochMilli(now))
                        .setTime(Instant.ofEpochMilli(now))
                        .setSummary("resolved: " + st.getLast().getSummary())
                        .build();
                st.setLast(resolved);
                store.put(AlertStore.keyOf(st), st);
                out.add(resolved);
            }
        }
        return out;
    }

    private void noteSuccess(AlertStore store, String sender, NegotiationAttempt a, long now) {
        for (AlertState st : store.forSender(sender)) {
            // a deprecated-protocol warning is only cleared by a modern handshake
            boolean deprecatedWarning = AlertRule.fromLabel(st.getRule()).orElse(null) == AlertRule.DEPRECATED_PROTOCOL;
            boolean clears = !deprecatedWarning || a.getOutcome() == Outcome.OK;
            if (st.getOpen() && clears && now >= st.getLastMatch()) {
                st.setSuccessSince(true);
                st.setLastSuccess(now);
                store.put(AlertStore.keyOf(st), st);
            }
        }
    }

    private void match(List<Alert> out, AlertStore store, NegotiationAttempt a, SenderState state, AlertRule rule,
                       Severity severity, long count, long emitInterval) {
        Sender sender = Sender.of(a);
        long now = a.getStartTime().toEpochMilli();
        String key = AlertStore.key(sender.id(), rule, a.getOutcome());
        AlertState st = store.get(key);
        EvidenceRef ref = new EvidenceRef(a.getServer(), a.getSessionId(), a.getStartTime());
        if (st == null || !st.getOpen()) {
            if (st != null && rule == AlertRule.DEPRECATED_PROTOCOL && now - st.getRaisedAt() < config.deprecatedIntervalMs()) {
                // the interval bounds the warnings, not the open ones: a client fixed and then seen
                // once more on TLS 1.0 the same day would otherwise warn again at once
                return;
            }
            long hour = Math.floorDiv(now, HOUR) * HOUR;
            if (store.raisedInHour(rule, hour) >= config.maxRaisedPerHour()) {
                // a suppressed alert keeps no state, so without this each of its attempts would count
                if (store.noteSuppressed(key, hour)) {
                    suppressed++;
                }
                return;
            }
            store.countRaised(rule, hour);
            st = AlertState.newBuilder()
                    .setSender(sender.id()).setRule(rule.label()).setOutcome(a.getOutcome()).setOpen(true)
                    .setAlertId(alertId(rule, sender.id(), a.getOutcome(), now))
                    .setRaisedAt(now).setLastEmitted(now).setCount(count).setCountAtLastEmit(count)
                    .setLastMatch(now).setSuccessSince(false).setFirstEvidence(ref).setLastEvidence(ref)
                    .build();
            Alert raised = build(AlertType.RAISED, st, a, state, severity, rule, count);
            st.setLast(raised);
            store.put(key, st);
            out.add(raised);
            return;
        }
        st.setCount(Math.max(st.getCount() + 1, count));
        st.setLastMatch(Math.max(st.getLastMatch(), now));
        st.setSuccessSince(false);
        st.setLastEvidence(ref);
        if (now - st.getLastEmitted() >= emitInterval && st.getCount() > st.getCountAtLastEmit()) {
            Alert updated = build(AlertType.UPDATED, st, a, state, severity, rule, st.getCount());
            st.setLastEmitted(now);
            st.setCountAtLastEmit(st.getCount());
            st.setLast(updated);
            out.add(updated);
        }
        store.put(key, st);
    }

    private Alert build(AlertType type, AlertState st, NegotiationAttempt a, SenderState state, Severity severity,
                        AlertRule rule, long count) {
        long now = a.getStartTime().toEpochMilli();
        long windowMs = rule == AlertRule.FAILURE_THRESHOLD ? config.failureWindowMs() : Math.max(1, now - st.getRaisedAt());
        long windowStart = rule == AlertRule.FAILURE_THRESHOLD ? SenderStateFold.windowStart(now, windowMs) : st.getRaisedAt();
        Sender sender = Sender.of(a);
        String destination = Sender.destinationOf(a);
        return Alert.newBuilder()
                .setId(st.getAlertId())
                .setType(type)
                .setRule(rule.label())
                .setSeverity(severity)
                .setSender(sender.id())
                .setSenderName(state.getSenderName())
                .setDirection(a.getDirection())
                .setOutcome(a.getOutcome())
                .setProbableCause(a.getProbableCause())
                .setCount(count)
                .setWindowMs(windowMs)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(rule == AlertRule.FAILURE_THRESHOLD ? windowStart + windowMs : now))
                .setTlsVersion(a.getTlsVersion())
                .setError(a.getError())
                .setDestination(destination)
                .setFirstEvidence(st.getFirstEvidence())
                .setLastEvidence(st.getLastEvidence())
                .setSummary(summary(rule, sender, state, a, count))
                .setRemediation(Remediation.forOutcome(a.getOutcome(), a.getProbableCause(), a.getSourceKind(), a.getDirection()))
                .setTime(a.getStartTime())
                .build();
    }

    private String summary(AlertRule rule, Sender sender, SenderState state, NegotiationAttempt a, long count) {
        String who = (sender.direction() == io.tlsmon.avro.Direction.inbound ? "sender " : "our server ") + sender.id()
                + (state.getSenderName() != null && !sender.id().startsWith(state.getSenderName()) ? " (" + state.getSenderName() + ")" : "");
        String where = Sender.destinationOf(a) == null ? "" : " towards " + Sender.destinationOf(a);
        return switch (rule) {
            case DEPRECATED_PROTOCOL -> who + " negotiated " + a.getTlsVersion() + where + ": deprecated, will fail against Exchange Online";
            case EXO_PROBABLE_VERSION_REJECTED -> who + " dropped during the TLS handshake" + where
                    + ", and this " + (sender.direction() == io.tlsmon.avro.Direction.outbound ? "host" : "address")
                    + " was seen negotiating TLS 1.0/1.1: probably PROTOCOL_VERSION_REJECTED";
            case SUCCESS_TO_FAILURE -> who + " used to negotiate TLS and now failed " + count + " times in a row with " + a.getOutcome() + where;
            case FAILURE_THRESHOLD -> who + ": " + count + " × " + a.getOutcome() + " in " + (config.failureWindowMs() / 60_000) + " min" + where
                    + (a.getError() == null ? "" : " (" + a.getError() + ")");
        };
    }

    private static Severity severityOf(NegotiationAttempt a) {
        if (CRITICAL.contains(a.getOutcome()) || a.getProbableCause() == Outcome.PROTOCOL_VERSION_REJECTED
                || Boolean.TRUE.equals(a.getTlsRequired())) {
            return Severity.CRITICAL;
        }
        return Severity.WARNING;
    }

    private static String alertId(AlertRule rule, String sender, Outcome outcome, long raisedAt) {
        // from the label, not the enum's name: the ids of alerts already out must not change
        return NameUuids.of(rule.label() + '|' + sender + '|' + outcome + '|' + raisedAt);
    }
}
