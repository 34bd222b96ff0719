package io.tlsmon.session;

/** Why a session was handed to the classifier. */
public enum CloseReason {
    /** Its last line arrived (disconnect, delivery status, a one-line attempt). */
    ENDED,
    /** A line opened a new session under the same key (Postfix pid reuse, a new outbound connection). */
    REOPENED,
    /** No line for longer than the idle gap, in log time. */
    IDLE,
    /** The input ended (offline only). */
    END_OF_INPUT
}
