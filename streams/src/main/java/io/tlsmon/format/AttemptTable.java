package io.tlsmon.format;

import io.tlsmon.avro.NegotiationAttempt;

import java.io.PrintStream;

/** Attempts as aligned text columns, for people at a terminal. */
public final class AttemptTable {
    private static final String ROW = "%-24s %-16s %-3s %-40s %-26s %-8s %s%n";
    private final PrintStream out;
    private boolean headed;

    public AttemptTable(PrintStream out) {
        this.out = out;
    }

    public void row(NegotiationAttempt a) {
        if (!headed) {
            out.printf(ROW, "START (UTC)", "SERVER", "DIR", "REMOTE", "OUTCOME", "VERSION", "ERROR / PROBABLE CAUSE");
            headed = true;
        }
        String remote = (a.getRemoteIp() == null ? "-" : a.getRemoteIp())
                + (a.getRemoteHost() == null ? "" : " (" + a.getRemoteHost() + ")");
        String why = a.getError() == null ? "" : a.getError();
        if (a.getProbableCause() != null) {
            why = why + " -> probably " + a.getProbableCause();
        }
        out.printf(ROW, a.getStartTime(), clip(a.getServer(), 16), a.getDirection() == io.tlsmon.avro.Direction.inbound ? "in" : "out",
                clip(remote, 40), a.getOutcome(), a.getTlsVersion() == null ? "-" : a.getTlsVersion(), clip(why, 100));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
