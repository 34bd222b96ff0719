package io.tlsmon.it;

import io.tlsmon.avro.Alert;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.RawLine;
import io.tlsmon.engine.EngineSettings;
import io.tlsmon.engine.LineInput;
import io.tlsmon.engine.OfflineEngine;
import io.tlsmon.logs.StreamKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A composed Exchange receive-log workload for integration tests (written from the documented format
 * in shared/reference/log-formats.md §1; not a real Exchange log): many senders, each with a
 * success, deprecated protocols or failures, interleaved in time, ending with a line an hour later
 * so that every session closes and every quiet alert can resolve.
 */
final class Workload {
    static final String HEADER = "#Log-type: SMTP Receive Protocol Log\n"
            + "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";
    static final String STREAM = "C:/Exchange/TransportRoles/Logs/FrontEnd/ProtocolLog/SmtpReceive/RECV2025030110-1.LOG";

    private Workload() {
    }

    /** The kind of traffic sender {@code i} sends. */
    static String profile(int i) {
        return switch (i % 5) {
            case 0 -> "SP_PROT_TLS1_2_SERVER";
            case 1 -> "SP_PROT_TLS1_0_SERVER";
            case 2 -> "AlgorithmMismatch";
            case 3 -> "UntrustedRoot";
            default -> "SP_PROT_TLS1_3_SERVER";
        };
    }

    /** {@code senders} senders, each sending {@code sessions} sessions one minute apart, from {@code start}. */
    static List<RawLine> lines(String host, int senders, int sessions, Instant start) {
        List<RawLine> out = new ArrayList<>();
        long session = 0x08DD000000000000L;
        for (int s = 0; s < sessions; s++) {
            for (int i = 0; i < senders; i++) {
                Instant t = start.plus(Duration.ofMinutes(s)).plusMillis(i * 37L % 60_000);
                String ip = "10." + (i / 250) + "." + (i % 250) + ".7";
                String what = profile(i);
                // the last session of every failing sender succeeds, so its alerts resolve later
                if (s == sessions - 1 && !what.startsWith("SP_PROT")) {
                    what = "SP_PROT_TLS1_2_SERVER";
                }
                session(out, host, String.format("%016X", ++session), t, ip, what);
            }
        }
        // two late sessions: the first moves the sender stage's stream time past every quiet period,
        // the second closes the first
        session(out, host, String.format("%016X", ++session), start.plus(Duration.ofMinutes(sessions + 60L)), "192.0.2.1", "SP_PROT_TLS1_2_SERVER");
        session(out, host, String.format("%016X", ++session), start.plus(Duration.ofMinutes(sessions + 120L)), "192.0.2.1", "SP_PROT_TLS1_2_SERVER");
        out.sort(Comparator.comparing(RawLine::getTime));
        long n = 0;
        for (RawLine r : out) {
            r.setLineNumber(++n);
        }
        return out;
    }

    /** What the offline engine makes of {@code lines}: the attempts and alerts any run of the topology must commit. */
    static Expected offline(List<RawLine> lines, EngineSettings settings) {
        List<NegotiationAttempt> attempts = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        OfflineEngine engine = new OfflineEngine(settings, o -> {
            switch (o.kind()) {
                case ATTEMPT -> attempts.add(o.attempt());
                case ALERT -> alerts.add(o.alert());
                case DEAD_LETTER -> throw new AssertionError("the workload has no bad line: " + o.deadLetter());
            }
        });
        for (RawLine r : lines) {
            long t = r.getTime().toEpochMilli();
            engine.accept(new LineInput(r.getSourceHost() + StreamKey.SEPARATOR + r.getLogKind(), r.getSourceHost(), r.getStream(),
                    StreamKey.parseKind(r.getLogKind()), r.getHeader(), r.getLine(), r.getLineNumber(), t, t, null));
        }
        return new Expected(attempts, alerts, engine.counters().parsed());
    }

    /** @param parsedLines the lines parsed into a log (the rest are headers and lines no log kind reads) */
    record Expected(List<NegotiationAttempt> attempts, List<Alert> alerts, long parsedLines) {
    }

    private static void session(List<RawLine> out, String host, String id, Instant t, String ip, String what) {
        String conn = "EX1\\Default Frontend EX1";
        String remote = ip + ":" + (40000 + (id.hashCode() & 0x3fff));
        int seq = 0;
        add(out, host, t, conn, id, seq++, remote, "+", "", "");
        add(out, host, t.plusMillis(5), conn, id, seq++, remote, "<", "EHLO mail-" + ip.replace('.', '-') + ".example", "");
        add(out, host, t.plusMillis(6), conn, id, seq++, remote, "<", "STARTTLS", "");
        add(out, host, t.plusMillis(7), conn, id, seq++, remote, ">", "220 2.0.0 SMTP server ready", "");
        if (what.startsWith("SP_PROT")) {
            add(out, host, t.plusMillis(20), conn, id, seq++, remote, "*", "",
                    "\"TLS protocol " + what + " negotiation succeeded using bulk encryption algorithm CALG_AES_256 with strength 256 bits, "
                            + "MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm CALG_ECDHE with strength 384 bits\"");
            add(out, host, t.plusMillis(30), conn, id, seq++, remote, "<", "MAIL FROM:<a@example.com>", "");
            add(out, host, t.plusMillis(31), conn, id, seq++, remote, "<", "RCPT TO:<b@example.net>", "");
        } else {
            add(out, host, t.plusMillis(20), conn, id, seq++, remote, "*", "", "TLS negotiation failed with error " + what);
        }
        add(out, host, t.plusMillis(40), conn, id, seq, remote, "-", "", "Local");
    }

    private static void add(List<RawLine> out, String host, Instant t, String conn, String id, int seq, String remote,
                            String event, String data, String context) {
        String line = t + "," + conn + "," + id + "," + seq + ",10.0.0.5:25," + remote + "," + event + "," + data + "," + context;
        out.add(RawLine.newBuilder().setSourceHost(host).setLogKind("exchange").setStream(STREAM).setLine(line)
                .setTime(t).setHeader(HEADER).build());
    }
}
