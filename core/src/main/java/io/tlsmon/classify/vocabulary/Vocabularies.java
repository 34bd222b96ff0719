package io.tlsmon.classify.vocabulary;

import io.tlsmon.logs.SourceKind;

import java.util.List;

/**
 * Which tables a source's failure text is read with, in order: the MTA's own words, then the TLS
 * libraries it is built with, then the socket's. Exchange's SChannel names are identifiers,
 * matched exactly before any of these ({@link SchannelStatus}).
 */
public final class Vocabularies {
    static final List<Vocabulary> POSTFIX_TABLES = List.of(PostfixMessages.TABLE, OpenSslReasons.TABLE, ConnectionTexts.TABLE);
    // Debian's Exim is built with GnuTLS; other builds use OpenSSL, and the two never share a text
    static final List<Vocabulary> EXIM_TABLES = List.of(EximMessages.TABLE, GnuTlsErrors.TABLE, OpenSslReasons.TABLE, ConnectionTexts.TABLE);
    static final List<Vocabulary> SENDMAIL_TABLES = List.of(SendmailMessages.TABLE, OpenSslReasons.TABLE, ConnectionTexts.TABLE);
    private static final List<Vocabulary> EXCHANGE = List.of(ConnectionTexts.TABLE);
    private static final List<Vocabulary> ANY = List.of(PostfixMessages.TABLE, EximMessages.TABLE, SendmailMessages.TABLE,
            OpenSslReasons.TABLE, GnuTlsErrors.TABLE, ConnectionTexts.TABLE);

    private Vocabularies() {
    }

    /** The tables for text a {@code source} logged; every table when the source is not known. */
    public static List<Vocabulary> of(SourceKind source) {
        if (source == null) {
            return ANY;
        }
        return switch (source) {
            case POSTFIX_SMTPD, POSTFIX_SMTP -> POSTFIX_TABLES;
            case EXIM -> EXIM_TABLES;
            case SENDMAIL -> SENDMAIL_TABLES;
            case EXCHANGE_RECEIVE, EXCHANGE_SEND -> EXCHANGE;
        };
    }

    /** Every table, for documentation and for the tests that check each rule is reached. */
    public static List<Vocabulary> all() {
        return ANY;
    }
}
