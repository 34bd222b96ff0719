package io.tlsmon.classify;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;
import io.tlsmon.avro.Outcome;

import java.util.Locale;

/**
 * The probable cause of a {@code CONNECTION_DROPPED}: a server of ours seen negotiating TLS 1.0/1.1
 * that then drops during the handshake towards Exchange Online is almost certainly being refused for
 * its protocol version: the failure of Microsoft's TLS 1.0/1.1 deprecation notice. Only outbound
 * attempts qualify: it is Exchange Online as the server that refuses old versions, so an inbound drop
 * whose client is an Exchange Online host says nothing of the kind.
 */
public final class ProbableCause {
    private ProbableCause() {
    }

    /**
     * @param lastDeprecatedMillis when the attempt's sender (its logging server, see {@link #historyKey})
     *                             last negotiated a deprecated protocol; null when never seen
     * @return the probable cause, or null when the evidence supports none
     */
    public static Outcome infer(NegotiationAttempt attempt, Long lastDeprecatedMillis) {
        if (attempt.getOutcome() != Outcome.CONNECTION_DROPPED || lastDeprecatedMillis == null
                || attempt.getDirection() != Direction.outbound) {
            return null;
        }
        return isExchangeOnline(attempt.getRemoteHost()) ? Outcome.PROTOCOL_VERSION_REJECTED : null;
    }

    /** Exchange Online's inbound mail-flow endpoints: {@code *.mail.protection.outlook.com} and kin. */
    public static boolean isExchangeOnline(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.endsWith(".protection.outlook.com") || h.endsWith(".mail.protection.outlook.de")
                || h.endsWith(".protection.partner.outlook.cn") || h.endsWith(".protection.office365.us");
    }

    /**
     * The {@link #historyKey} of the attempts of the sender {@code senderId} (an
     * {@link io.tlsmon.sender.Sender#id()}): the key they are partitioned by, so the key that finds
     * the instance holding that sender's state. An outbound id is {@code server|connector}, an
     * inbound one the remote address, or {@code unknown@server} when the log named none.
     */
    public static String historyKeyOfSender(String senderId) {
        int bar = senderId.indexOf('|');
        if (bar >= 0) {
            return "host:" + senderId.substring(0, bar);
        }
        return "ip:" + (senderId.startsWith("unknown@") ? null : senderId);
    }

    /** Whose history the probable cause looks at: the machine whose TLS stack is in question. */
    public static String historyKey(NegotiationAttempt attempt) {
        return attempt.getDirection() == Direction.outbound
                ? "host:" + attempt.getServer()
                : "ip:" + attempt.getRemoteIp();
    }
}
