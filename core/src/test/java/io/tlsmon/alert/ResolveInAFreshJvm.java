package io.tlsmon.alert;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.AlertType;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;
import io.tlsmon.avro.SenderState;
import io.tlsmon.sender.Sender;
import io.tlsmon.sender.SenderStateFold;

import java.util.ArrayList;
import java.util.List;

import static io.tlsmon.alert.Attempts.MINUTE;
import static io.tlsmon.alert.Attempts.T0;
import static io.tlsmon.alert.Attempts.inbound;

/**
 * Raises and resolves one alert in a JVM where nothing else has touched Avro's class trust, as an
 * offline tool would: exits 0 when the RESOLVED came out. Run by {@link AlertEngineOutsideStreamsTest}.
 */
final class ResolveInAFreshJvm {
    private ResolveInAFreshJvm() {
    }

    public static void main(String[] args) {
        AlertConfig config = Configs.thresholdOnly(1).build();
        AlertEngine engine = new AlertEngine(config);
        InMemoryAlertStore store = new InMemoryAlertStore();
        SenderStateFold fold = new SenderStateFold(config.failureWindowMs());
        List<Alert> out = new ArrayList<>();
        SenderState state = null;
        for (NegotiationAttempt a : List.of(inbound(T0, Outcome.NO_SHARED_CIPHER).build(), inbound(T0 + MINUTE, Outcome.OK).build(),
                inbound(T0 + 31 * MINUTE, Outcome.OK).build())) {
            if (state == null) {
                state = fold.empty(Sender.of(a), T0);
            }
            fold.add(state, a);
            out.addAll(engine.onAttempt(a, state, store));
        }
        boolean resolved = out.stream().anyMatch(a -> a.getType() == AlertType.RESOLVED);
        System.out.println(out.stream().map(a -> a.getType().name()).toList());
        System.exit(resolved ? 0 : 1);
    }
}
