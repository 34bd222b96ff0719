package io.tlsmon.format;

import io.tlsmon.alert.Remediation;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import io.tlsmon.classify.Outcomes;
import io.tlsmon.sender.Sender;
import io.tlsmon.sender.SenderStateFold;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per sender: counts per outcome, versions seen, the last failure, and what its admin should do.
 * Built with the same {@link SenderStateFold} the Streams aggregation uses.
 */
public final class SenderSummary {
    private final SenderStateFold fold = new SenderStateFold(86_400_000L);
    private final Map<String, SenderState> states = new LinkedHashMap<>();
    /** The worst outcome and its attempt's facts per sender, to choose the remediation. */
    private final Map<String, NegotiationAttempt> worst = new HashMap<>();

    public void add(NegotiationAttempt a) {
        Sender sender = Sender.of(a);
        SenderState s = states.computeIfAbsent(sender.id(), k -> fold.empty(sender, a.getStartTime().toEpochMilli()));
        fold.add(s, a);
        NegotiationAttempt w = worst.get(sender.id());
        if (w == null || severity(a) > severity(w)) {
            worst.put(sender.id(), a);
        }
    }

    public int senders() {
        return states.size();
    }

    /** Failing senders first, then those on deprecated protocols, then the rest. */
    public void print(PrintStream out) {
        states.values().stream()
                .sorted(Comparator.comparingInt((SenderState s) -> -severity(worst.get(s.getSender())))
                        .thenComparing(SenderState::getSender))
                .forEach(s -> printOne(out, s));
    }

    private void printOne(PrintStream out, SenderState s) {
        NegotiationAttempt w = worst.get(s.getSender());
        out.printf("%s %s%s%n", s.getDirection() == io.tlsmon.avro.Direction.inbound ? "sender" : "our server",
                s.getSender(), s.getSenderName() == null || s.getSender().startsWith(s.getSenderName() + "|") ? "" : " (" + s.getSenderName() + ")");
        out.printf("  seen %s .. %s, to %s%n", s.getFirstSeen(), s.getLastSeen(), String.join(", ", s.getDestinations()));
        out.printf("  outcomes: %s%n", new TreeMap<>(s.getTotals()));
        out.printf("  versions: %s%n", s.getVersionsSeen().isEmpty() ? "-" : String.join(", ", s.getVersionsSeen()));
        if (s.getLastFailure() != null) {
            out.printf("  last failure: %s %s%n", s.getLastFailure(), s.getLastError());
        }
        if (severity(w) > 0) {
            out.printf("  fix: %s%n", Remediation.forOutcome(w.getOutcome(), w.getProbableCause(), w.getSourceKind(), w.getDirection()));
        }
        out.println();
    }

    /** 0 for a clean sender, 1 for deprecated protocols, 2 for noise failures, 3 for real failures. */
    private static int severity(NegotiationAttempt a) {
        if (a == null || a.getOutcome() == Outcome.OK) {
            return 0;
        }
        if (a.getOutcome() == Outcome.DEPRECATED_PROTOCOL) {
            return 1;
        }
        return a.getOutcome() == Outcome.WRONG_PORT_OR_PROTOCOL || !Outcomes.isFailure(a.getOutcome()) ? 2 : 3;
    }
}
