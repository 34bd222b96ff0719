package io.tlsmon.alert;

import io.tlsmon.avro.Direction;
import io.tlsmon.avro.Outcome;

/**
 * What the admin should change, per outcome and per kind of sender. Outbound attempts are ours to
 * fix on the logging server (an Exchange/Windows host or a Postfix host); inbound ones are the
 * remote sender's, and the text says what to ask of its admin and what to check on our side.
 */
public final class Remediation {

    /** Microsoft's fix from the TLS 1.0/1.1 deprecation notice (shared/seed), for any Windows MTA. */
    public static final String WINDOWS_TLS12 =
            "Enable TLS 1.2 in SCHANNEL: under HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client "
            + "and \\Server set DisabledByDefault=0 and Enabled=1 (DWORD). Make .NET use it: under "
            + "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319 "
            + "(and v2.0.50727 for .NET 3.5) set SystemDefaultTlsVersions=1 and SchUseStrongCrypto=1 (DWORD). "
            + "Install the latest Windows and Exchange updates (Windows 2008 R2/2012 need the TLS 1.2 updates first), then restart the server.";

    public static final String POSTFIX_TLS12 =
            "Allow TLS 1.2 and later only: smtp_tls_protocols = >=TLSv1.2 and smtp_tls_mandatory_protocols = >=TLSv1.2 "
            + "(Postfix 3.6+; older: !SSLv2, !SSLv3, !TLSv1, !TLSv1.1), the same for smtpd_tls_* on receiving hosts; "
            + "check that OpenSSL is 1.0.1 or later, then postfix reload.";

    private Remediation() {
    }

    /**
     * @param sourceKind the log the attempt came from ({@code exchange-send}, {@code postfix-smtpd}, ...)
     */
    public static String forOutcome(Outcome outcome, Outcome probableCause, String sourceKind, Direction direction) {
        boolean ours = direction == Direction.outbound;
        boolean windows = sourceKind != null && sourceKind.startsWith("exchange");
        String platformTls12 = ours ? (windows ? WINDOWS_TLS12 : POSTFIX_TLS12)
                : "Ask the sender's admin to enable TLS 1.2 or later. On a Windows/Exchange sender: " + WINDOWS_TLS12
                        + " On a Postfix sender: " + POSTFIX_TLS12;
        Outcome o = outcome == Outcome.CONNECTION_DROPPED && probableCause != null ? probableCause : outcome;
        return switch (o) {
            case OK -> "Nothing to do.";
            case DEPRECATED_PROTOCOL -> "This sender still negotiates TLS 1.0/1.1/SSL 3.0: it works today but fails against Exchange Online "
                    + "and any MTA-STS domain. " + platformTls12;
            case PROTOCOL_VERSION_REJECTED -> "The handshake failed on the protocol version (Exchange Online and TLS-1.2-only peers refuse TLS 1.0/1.1). "
                    + platformTls12;
            case NO_SHARED_CIPHER -> "No common cipher suite. "
                    + (windows ? "Check the cipher suite order (Get-TlsCipherSuite, GPO 'SSL Cipher Suite Order') and enable the ECDHE AES-GCM suites. "
                            : "Do not over-restrict smtp(d)_tls_ciphers (use 'medium'), remove RC4/3DES-only peers. ")
                    + (ours ? "" : "The sender may only offer obsolete suites: ask its admin to update it.");
            case CERTIFICATE_UNTRUSTED -> "The certificate chain is not trusted: install the full chain with its intermediates, use a public CA "
                    + "for Internet mail, and keep the CA bundle of the verifying side up to date.";
            case CERTIFICATE_EXPIRED -> "The certificate has expired: renew it and bind the new one "
                    + (windows ? "(Enable-ExchangeCertificate -Thumbprint ... -Services SMTP)." : "(smtpd_tls_chain_files / smtp_tls_chain_files, then postfix reload).");
            case CERTIFICATE_NAME_MISMATCH -> "The certificate does not name the host that was asked for: its SAN must contain the MX/FQDN used; "
                    + (windows ? "update TlsCertificateName on the send connector or TlsSenderCertificateName on the Exchange Online connector (re-run the Hybrid Configuration Wizard)."
                            : "check smtp_tls_verify_cert_match and the names in the peer's certificate.");
            case LOCAL_CERTIFICATE_UNUSABLE -> windows
                    ? "Our own certificate is missing, not bound to SMTP or has no usable private key: Enable-ExchangeCertificate -Thumbprint ... -Services SMTP, "
                            + "fix the private-key permissions, and set TlsCertificateName (<I>issuer<S>subject) on the connector to an installed certificate."
                    : "Our own certificate or key cannot be loaded: check smtpd_tls_chain_files (or smtpd_tls_cert_file/key_file), their permissions and that key and certificate match.";
            case STARTTLS_REQUIRED -> "One side requires TLS and the other went on in plaintext, usually after a failed handshake: fix that failure "
                    + "(most often TLS 1.0/1.1 towards Exchange Online) rather than dropping the TLS requirement. " + platformTls12;
            case STARTTLS_NOT_OFFERED -> "The receiving server did not offer STARTTLS: enable it and bind a certificate there, and look for firewalls "
                    + "that strip STARTTLS from the EHLO reply (SMTP inspection shows 250-XXXXXXXA).";
            case CONNECTION_DROPPED -> "The connection was dropped during the handshake without a stated reason: look at the peer's protocol and cipher "
                    + "settings and at middleboxes (SMTP inspection, MTU). If the peer is Exchange Online, treat it as a TLS version problem: " + platformTls12;
            case HANDSHAKE_TIMEOUT -> "The handshake timed out: check firewalls/IPS doing TLS inspection and slow CRL/OCSP fetches before raising timeouts.";
            case WRONG_PORT_OR_PROTOCOL -> "Something that is not TLS arrived where a handshake was expected: a client using the wrong port "
                    + "(465 is implicit TLS, 25/587 use STARTTLS) or a scanner. Usually noise.";
            case POLICY_FAILURE -> "An MTA-STS or DANE policy failed: fix the policy file, the TLSA records or DNSSEC, and keep 'mode: testing' until TLS-RPT is clean.";
            case OTHER_TLS_ERROR -> "An unusual TLS error: look up the raw error kept with the attempt; on Windows the SChannel events 36874/36887/36888 of the same second tell more.";
        };
    }
}
