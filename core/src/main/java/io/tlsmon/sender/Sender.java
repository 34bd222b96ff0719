package io.tlsmon.sender;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.NegotiationAttempt;

/**
 * The sending MTA an attempt is about. Inbound: the remote address (named by its EHLO). Outbound:
 * our logging server and the connector (Exchange) or service (Postfix) it sent through.
 *
 * @param id        the state and alert key
 * @param name      for people: EHLO name, or the server name
 * @param direction whether we received (inbound) or sent (outbound)
 */
public record Sender(String id, String name, Direction direction) {

    public static Sender of(NegotiationAttempt a) {
        if (a.getDirection() == Direction.outbound) {
            String connector = a.getConnector() == null ? "" : a.getConnector();
            return new Sender(a.getServer() + '|' + connector, a.getServer(), Direction.outbound);
        }
        String ip = a.getRemoteIp() != null ? a.getRemoteIp() : "unknown@" + a.getServer();
        return new Sender(ip, a.getRemoteHost(), Direction.inbound);
    }

    /** Where the attempt went: the peer of an outbound attempt, our server for an inbound one. */
    public static String destinationOf(NegotiationAttempt a) {
        if (a.getDirection() == Direction.outbound) {
            return a.getRemoteHost() != null ? a.getRemoteHost() : a.getRemoteIp();
        }
        return a.getServer();
    }
}
