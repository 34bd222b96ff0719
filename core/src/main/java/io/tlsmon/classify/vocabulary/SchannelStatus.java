package io.tlsmon.classify.vocabulary;

import io.tlsmon.avro.Outcome;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static io.tlsmon.classify.vocabulary.Specificity.DROP;
import static io.tlsmon.classify.vocabulary.Specificity.NAMED;
import static io.tlsmon.classify.vocabulary.Specificity.TIMEOUT;
import static io.tlsmon.classify.vocabulary.Specificity.UNKNOWN;

/**
 * The SChannel results Exchange names in {@code TLS negotiation failed with error X} and
 * {@code Remote(X)}/{@code Local(X)}: the {@code SecurityStatus} identifiers (one per
 * {@code SEC_E_*} code), matched exactly, since they are identifiers and not prose. Names that say
 * nothing about which side or what failed ({@code IllegalMessage}, {@code InternalError}, ...) are
 * listed too, at {@link Specificity#UNKNOWN}, so that the table says they were looked at.
 */
public final class SchannelStatus {
    /** Where the names and their meanings were read. */
    public static final String ORIGIN = "SChannel SEC_E_* codes (winerror.h) by their .NET SecurityStatusPalErrorCode "
            + "names, which Exchange 2010 to Exchange SE and Exchange Online write in protocol logs; "
            + "meanings from Microsoft's SChannel error-code documentation";

    private static final Map<String, TextRule> BY_NAME = new LinkedHashMap<>();

    static {
        put("SocketError", Outcome.CONNECTION_DROPPED, DROP);
        put("IncompleteMessage", Outcome.CONNECTION_DROPPED, DROP);
        put("ContextExpired", Outcome.CONNECTION_DROPPED, DROP);
        put("TimedOut", Outcome.HANDSHAKE_TIMEOUT, TIMEOUT);
        put("Timeout", Outcome.HANDSHAKE_TIMEOUT, TIMEOUT);
        // SEC_E_UNSUPPORTED_FUNCTION: the classic answer of a server whose TLS 1.0/1.1 are switched off
        put("Unsupported", Outcome.PROTOCOL_VERSION_REJECTED, NAMED);
        put("UnsupportedFunction", Outcome.PROTOCOL_VERSION_REJECTED, NAMED);
        put("UnsupportedProtocol", Outcome.PROTOCOL_VERSION_REJECTED, NAMED);
        put("ProtocolVersion", Outcome.PROTOCOL_VERSION_REJECTED, NAMED);
        put("DowngradeDetected", Outcome.PROTOCOL_VERSION_REJECTED, NAMED);
        put("AlgorithmMismatch", Outcome.NO_SHARED_CIPHER, NAMED);
        put("UntrustedRoot", Outcome.CERTIFICATE_UNTRUSTED, NAMED);
        put("CertUnknown", Outcome.CERTIFICATE_UNTRUSTED, NAMED);
        put("IncompleteCredentials", Outcome.CERTIFICATE_UNTRUSTED, NAMED);
        put("CertRevoked", Outcome.CERTIFICATE_UNTRUSTED, NAMED);
        put("CertExpired", Outcome.CERTIFICATE_EXPIRED, NAMED);
        put("WrongPrincipal", Outcome.CERTIFICATE_NAME_MISMATCH, NAMED);
        // SEC_E_TARGET_UNKNOWN: the name asked for is not one the certificate or the credential holds
        put("TargetUnknown", Outcome.CERTIFICATE_NAME_MISMATCH, NAMED);
        put("UnknownCredentials", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED);
        put("NoCredentials", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED);
        put("CredentialsNeeded", Outcome.LOCAL_CERTIFICATE_UNUSABLE, NAMED);
        // SEC_E_INVALID_TOKEN: what arrived is not a TLS record (a scanner, or plaintext on a TLS port)
        put("InvalidToken", Outcome.WRONG_PORT_OR_PROTOCOL, NAMED);
        // no side or cause is named: kept verbatim as OTHER_TLS_ERROR (the taxonomy's own example)
        for (String vague : new String[] {"IllegalMessage", "InternalError", "MessageAltered", "DecryptFailure",
                "OutOfSequence", "InvalidHandle", "BufferNotEnough", "SecurityQosFailed", "QopNotSupported",
                "ApplicationProtocolMismatch", "NoRenegotiation", "Renegotiate", "PackageNotFound", "TimeSkew",
                "LogonDenied", "NoAuthenticatingAuthority", "BadBinding", "OutOfMemory", "CannotPack",
                "NotOwner", "CannotInstall", "NoImpersonation", "SmartcardLogonRequired", "UnsupportedPreauth"}) {
            put(vague, Outcome.OTHER_TLS_ERROR, UNKNOWN);
        }
    }

    private SchannelStatus() {
    }

    private static void put(String name, Outcome outcome, Specificity specificity) {
        BY_NAME.put(name, new TextRule(name.toLowerCase(Locale.ROOT), outcome, specificity));
    }

    /** The rule for an identifier ({@code SocketError}), or null when Exchange has no such name. */
    public static TextRule of(String name) {
        return BY_NAME.get(name);
    }

    /** Every name, in the order above. */
    public static Map<String, TextRule> names() {
        return Collections.unmodifiableMap(BY_NAME);
    }
}
