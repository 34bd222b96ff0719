package io.tlsmon.bench;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Complete SMTP receive and send sessions of one Exchange 2019 server with Verbose protocol logging,
 * in the CSV layout of shared/reference/log-formats.md §1 (composed from the documented format, not
 * copied from any real log): connect, banner, EHLO and its 250 reply, STARTTLS, certificate lines,
 * the TLS result (success with SP_PROT_TLS1_2 / SP_PROT_TLS1_0, or {@code TLS negotiation failed
 * with error X}), then MAIL FROM / RCPT TO / BDAT and QUIT. Most lines say nothing about TLS.
 */
final class ExchangeSessions implements SessionSource {
    static final int RECEIVE = 0;
    static final int SEND = 1;

    private static final String SERVER = "EX01";
    private static final String FQDN = "ex01.contoso.example";
    private static final String LOCAL_IP = "10.0.1.21";
    private static final String RECEIVE_CONNECTOR = SERVER + "\\Default Frontend " + SERVER;
    private static final String INTERNET_CONNECTOR = "Outbound to Internet";
    private static final String OFFICE_365_CONNECTOR = "Outbound to Office 365";
    private static final String FIELDS =
            "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";

    private static final String TLS12_SERVER = "TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption"
            + " algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits"
            + " and key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits";
    private static final String TLS12_SERVER_AES128 = "TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk"
            + " encryption algorithm CALG_AES_128 with strength 128 bits, MAC hash algorithm CALG_SHA_256 with strength 0 bits"
            + " and key exchange algorithm CALG_ECDH_EPHEM with strength 256 bits";
    private static final String TLS10_SERVER = "TLS protocol SP_PROT_TLS1_0_SERVER negotiation succeeded using bulk encryption"
            + " algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA1 with strength 160 bits"
            + " and key exchange algorithm CALG_ECDHE with strength 256 bits";
    private static final String TLS12_CLIENT = TLS12_SERVER.replace("_SERVER", "_CLIENT");
    private static final String TLS10_CLIENT = TLS10_SERVER.replace("_SERVER", "_CLIENT");

    private static final String SENDING_CERTIFICATE_DATA = " CN=" + FQDN + " CN=" + FQDN
            + " 5A3C1E9F2B7D48A6 6F2A9C4E1B8D7F3A5C0E2B4D6F8A1C3E5B7D9F02 2025-06-01T00:00:00.000Z 2030-06-01T00:00:00.000Z "
            + SERVER + ';' + FQDN;
    private static final String SENDING_CERTIFICATE_CONTEXT =
            "Sending certificate Subject Issuer name Serial number Thumbprint Not before Not after Subject alternate names";
    private static final String RECEIVE_PERMISSIONS = "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders";
    private static final String EHLO_REPLY_EXTENSIONS = " SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS X-ANONYMOUSTLS"
            + " AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST";
    private static final String EHLO_REPLY_EXTENSIONS_TLS = " SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES AUTH NTLM LOGIN"
            + " X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST";

    /** Receive-side mix, weights in {@link Peer.Behaviour} order. */
    private static final int[] RECEIVE_MIX = {
        // MODERN TLS12 LEGACY PLAINTEXT ANCIENT DROPS NO_SHARED_CIPHER SLOW BAD_CERTIFICATE EXCHANGE_ONLINE
        45, 12, 6, 24, 0, 6, 3, 2, 0, 2,
    };
    /** Send-side mix. */
    private static final int[] SEND_MIX = {
        40, 10, 4, 8, 0, 2, 2, 0, 1, 25,
    };
    /** Share of receive sessions (the rest are send sessions), in percent. */
    private static final int RECEIVE_SHARE = 60;

    private final SplittableRandom random;
    private final Peers inbound;
    private final Peers outbound;
    private long sessionCounter;
    private long internalId = 4_823_449L;

    ExchangeSessions(SplittableRandom random) {
        this.random = random;
        this.inbound = new Peers(random, 400, "example");
        this.outbound = new Peers(random, 300, "example.net");
        this.sessionCounter = 0x08DE2F3A00000000L + random.nextInt(1 << 20);
    }

    @Override
    public int logs() {
        return 2;
    }

    @Override
    public List<String> header(int log, long now) {
        return List.of(
                "#Software: Microsoft Exchange Server",
                "#Version: 15.2.1544.4",
                log == RECEIVE ? "#Log-type: SMTP Receive Protocol Log" : "#Log-type: SMTP Send Protocol Log",
                "#Date: " + Timestamps.iso(now),
                FIELDS);
    }

    @Override
    public String stamp(Timestamps timestamps, long now, String body) {
        return timestamps.exchange(now) + ',' + body;
    }

    @Override
    public Script next(long now) {
        return random.nextInt(100) < RECEIVE_SHARE ? receive(now) : send(now);
    }

    // ------------------------------------------------------------------ receive

    private Script receive(long now) {
        Peer.Behaviour behaviour = Peers.draw(random, RECEIVE_MIX);
        Peer peer = inbound.pick(random, behaviour);
        boolean probe = behaviour == Peer.Behaviour.PLAINTEXT && random.nextInt(3) == 0;
        String intent = switch (behaviour) {
            case PLAINTEXT -> "none (plaintext)";
            case LEGACY -> "DEPRECATED_PROTOCOL";
            case DROPS -> "CONNECTION_DROPPED";
            case NO_SHARED_CIPHER -> "NO_SHARED_CIPHER";
            case SLOW -> "HANDSHAKE_TIMEOUT";
            default -> "OK";
        };
        Session s = new Session(RECEIVE, intent, RECEIVE_CONNECTOR, LOCAL_IP + ":25", peer.ip() + ':' + ephemeralPort(), now);
        String helo = "unknown".equals(peer.host()) ? "[" + peer.ip() + "]" : peer.host();
        s.line('+', "", "");
        s.line('*', RECEIVE_PERMISSIONS, "Set Session Permissions");
        s.line('>', "220 " + FQDN + " Microsoft ESMTP MAIL Service ready at " + Timestamps.banner(now), "");
        s.line('<', "EHLO " + helo, "");
        s.line('>', "250  " + FQDN + " Hello [" + peer.ip() + "]" + EHLO_REPLY_EXTENSIONS, "");
        if (behaviour == Peer.Behaviour.PLAINTEXT) {
            if (!probe) {
                receiveMessages(s);
            }
            quit(s, '<', '>', "221 2.0.0 Closing connection.");
            return s.script;
        }
        s.tls('<', "STARTTLS", "");
        s.tls('>', "220 2.0.0 SMTP server ready", "");
        s.tls('*', SENDING_CERTIFICATE_DATA, SENDING_CERTIFICATE_CONTEXT);
        switch (behaviour) {
            case DROPS -> {
                s.tls('*', "", "TLS negotiation failed with error SocketError");
                s.line('-', "", "Remote(SocketError)");
                return s.script;
            }
            case NO_SHARED_CIPHER -> {
                s.tls('*', "", "TLS negotiation failed with error AlgorithmMismatch");
                s.line('-', "", "Local");
                return s.script;
            }
            case SLOW -> {
                s.line('-', "", "Remote(TimedOut)");
                return s.script;
            }
            case LEGACY -> s.tls('*', "", TLS10_SERVER);
            default -> s.tls('*', "", random.nextBoolean() ? TLS12_SERVER : TLS12_SERVER_AES128);
        }
        s.line('<', "EHLO " + helo, "");
        s.tls('*', "", "Client certificate chain validation status: 'EmptyCertificate'");
        s.tls('*', "", "TlsDomainCapabilities='None'; Status='NoRemoteCertificate'");
        s.line('>', "250  " + FQDN + " Hello [" + peer.ip() + "]" + EHLO_REPLY_EXTENSIONS_TLS, "");
        s.line('*', RECEIVE_PERMISSIONS, "Set Session Permissions");
        receiveMessages(s);
        quit(s, '<', '>', "221 2.0.0 Closing connection.");
        return s.script;
    }

    private void receiveMessages(Session s) {
        int messages = messages();
        for (int m = 1; m <= messages; m++) {
            int size = messageSize();
            String messageId = messageId();
            s.line('<', "MAIL FROM:<" + mailbox("example") + "> SIZE=" + size, "");
            s.line('*', s.sessionId + ';' + Timestamps.iso(s.start) + ';' + m, "receiving message");
            s.line('>', "250 2.1.0 Sender OK", "");
            int recipients = recipients();
            for (int r = 0; r < recipients; r++) {
                s.line('<', "RCPT TO:<" + mailbox("contoso.example") + ">", "");
                s.line('>', "250 2.1.5 Recipient OK", "");
            }
            if (random.nextInt(4) == 0) {
                s.line('<', "DATA", "");
                s.line('>', "354 Start mail input; end with <CRLF>.<CRLF>", "");
            } else {
                s.line('<', "BDAT " + size + " LAST", "");
            }
            s.line('>', "250 2.6.0 <" + messageId + "> [InternalId=" + (internalId++) + ", Hostname=" + FQDN + "] "
                    + size + " bytes in 0." + (100 + random.nextInt(800)) + ", " + (50 + random.nextInt(900)) + "."
                    + random.nextInt(1000) + " KB/sec Queued mail for delivery", "");
        }
    }

    // ------------------------------------------------------------------ send

    private Script send(long now) {
        Peer.Behaviour behaviour = Peers.draw(random, SEND_MIX);
        Peer peer = outbound.pick(random, behaviour);
        // Exchange Online drops TLS 1.0 handshakes: some of our sessions to it still go out that way.
        boolean refusedByOffice365 = behaviour == Peer.Behaviour.EXCHANGE_ONLINE && random.nextInt(10) == 0;
        String intent = switch (behaviour) {
            case PLAINTEXT -> "STARTTLS_NOT_OFFERED";
            case LEGACY -> "DEPRECATED_PROTOCOL";
            case DROPS -> "CONNECTION_DROPPED";
            case NO_SHARED_CIPHER -> "NO_SHARED_CIPHER";
            case BAD_CERTIFICATE -> "LOCAL_CERTIFICATE_UNUSABLE";
            default -> refusedByOffice365 ? "CONNECTION_DROPPED" : "OK";
        };
        String connector = behaviour == Peer.Behaviour.EXCHANGE_ONLINE ? OFFICE_365_CONNECTOR : INTERNET_CONNECTOR;
        Session s = new Session(SEND, intent, connector, "", peer.ip() + ":25", now);
        String bannerHost = behaviour == Peer.Behaviour.EXCHANGE_ONLINE
                ? "BL02EPF000" + Long.toHexString(0x10000L + random.nextInt(0xEFFFF)).toUpperCase() + ".mail.protection.outlook.com"
                : peer.host();
        s.line('*', "None", "Set Session Permissions");
        s.line('*', "", "attempting to connect");
        s.localEndpoint = LOCAL_IP + ':' + ephemeralPort();
        s.line('+', "", "");
        s.line('<', behaviour == Peer.Behaviour.EXCHANGE_ONLINE
                ? "220 " + bannerHost + " Microsoft ESMTP MAIL Service ready at " + Timestamps.banner(now)
                : "220 " + bannerHost + " ESMTP Postfix", "");
        s.line('>', "EHLO " + FQDN, "");
        boolean offered = behaviour != Peer.Behaviour.PLAINTEXT;
        s.line('<', "250  " + bannerHost + " Hello [" + LOCAL_IP + "] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES"
                + (offered ? " STARTTLS" : "") + " 8BITMIME BINARYMIME CHUNKING SMTPUTF8", "");
        if (!offered) {
            sendMessages(s);
            quit(s, '>', '<', "221 2.0.0 Service closing transmission channel");
            return s.script;
        }
        s.tls('>', "STARTTLS", "");
        s.tls('<', "220 2.0.0 SMTP server ready", "");
        if (refusedByOffice365 || behaviour == Peer.Behaviour.DROPS || behaviour == Peer.Behaviour.NO_SHARED_CIPHER
                || behaviour == Peer.Behaviour.BAD_CERTIFICATE) {
            String error = behaviour == Peer.Behaviour.NO_SHARED_CIPHER ? "AlgorithmMismatch"
                    : behaviour == Peer.Behaviour.BAD_CERTIFICATE ? "UnknownCredentials" : "SocketError";
            s.tls('*', "", "Sending certificate");
            s.tls('*', "CN=" + FQDN + ", O=Contoso Ltd, L=Seattle, S=WA, C=US", "Certificate subject");
            s.tls('*', "CN=Contoso Issuing CA 2, O=Contoso Ltd, C=US", "Certificate issuer name");
            s.tls('*', "33000001A2B3C4D5E6F708090A0B0C0D0E0F10", "Certificate serial number");
            s.tls('*', "6F2A9C4E1B8D7F3A5C0E2B4D6F8A1C3E5B7D9F02", "Certificate thumbprint");
            s.tls('*', FQDN + ";mail.contoso.example", "Certificate alternate names");
            s.tls('*', "", "TLS negotiation failed with error " + error);
            s.line('-', "", "Local");
            if (refusedByOffice365) {
                s.script.followUp = retryWithoutStartTls(peer, bannerHost, now);
            }
            return s.script;
        }
        s.tls('*', "", behaviour == Peer.Behaviour.LEGACY ? TLS10_CLIENT : TLS12_CLIENT);
        s.tls('*', "", "Received certificate");
        s.tls('*', thumbprint(), "Certificate thumbprint");
        s.line('>', "EHLO " + FQDN, "");
        s.line('<', "250  " + bannerHost + " Hello [" + LOCAL_IP + "] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES"
                + " AUTH LOGIN XOORG 8BITMIME BINARYMIME CHUNKING SMTPUTF8", "");
        sendMessages(s);
        quit(s, '>', '<', "221 2.0.0 Service closing transmission channel");
        return s.script;
    }

    /** Exchange retries a failed STARTTLS in clear, in a new session; Exchange Online then demands TLS. */
    private Script retryWithoutStartTls(Peer peer, String bannerHost, long now) {
        Session s = new Session(SEND, "STARTTLS_REQUIRED", OFFICE_365_CONNECTOR, "", peer.ip() + ":25", now);
        s.line('*', "None", "Set Session Permissions");
        s.line('*', "", "attempting to connect");
        s.localEndpoint = LOCAL_IP + ':' + ephemeralPort();
        s.line('+', "", "");
        s.line('<', "220 " + bannerHost + " Microsoft ESMTP MAIL Service ready at " + Timestamps.banner(now), "");
        s.line('>', "EHLO " + FQDN, "");
        s.line('<', "250  " + bannerHost + " Hello [" + LOCAL_IP + "] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES"
                + " STARTTLS 8BITMIME BINARYMIME CHUNKING SMTPUTF8", "");
        s.line('*', s.sessionId + ';' + Timestamps.iso(now) + ";1", "sending message with RecordId " + (internalId++)
                + " and InternetMessageId <" + messageId() + ">");
        s.line('>', "MAIL FROM:<" + mailbox("contoso.example") + "> SIZE=" + messageSize(), "");
        s.tls('<', "451 5.7.3 Must issue a STARTTLS command first", "");
        quit(s, '>', '<', "221 2.0.0 Service closing transmission channel");
        return s.script;
    }

    private void sendMessages(Session s) {
        int messages = messages();
        for (int m = 1; m <= messages; m++) {
            int size = messageSize();
            String messageId = messageId();
            s.line('*', s.sessionId + ';' + Timestamps.iso(s.start) + ';' + m, "sending message with RecordId "
                    + (internalId++) + " and InternetMessageId <" + messageId + ">");
            s.line('>', "MAIL FROM:<" + mailbox("contoso.example") + "> SIZE=" + size, "");
            int recipients = recipients();
            for (int r = 0; r < recipients; r++) {
                s.line('>', "RCPT TO:<" + mailbox("example.net") + ">", "");
            }
            s.line('<', "250 2.1.0 Sender OK", "");
            for (int r = 0; r < recipients; r++) {
                s.line('<', "250 2.1.5 Recipient OK", "");
            }
            s.line('>', "BDAT " + size + " LAST", "");
            s.line('<', "250 2.6.0 <" + messageId + "> [InternalId=" + (internalId++) + ", Hostname=" + FQDN
                    + "] Queued mail for delivery", "");
        }
    }

    private static void quit(Session s, char client, char server, String reply) {
        s.line(client, "QUIT", "");
        s.line(server, reply, "");
        s.line('-', "", "Local");
    }

    // ------------------------------------------------------------------ values

    private int messages() {
        int r = random.nextInt(100);
        return r < 80 ? 1 : r < 95 ? 2 : 3;
    }

    /** Mostly one recipient, a tail up to eight. */
    private int recipients() {
        int n = 1;
        while (n < 8 && random.nextInt(3) == 0) {
            n++;
        }
        return n;
    }

    private int messageSize() {
        return 2_000 + random.nextInt(random.nextInt(10) == 0 ? 5_000_000 : 80_000);
    }

    private String mailbox(String domain) {
        return FIRST[random.nextInt(FIRST.length)] + '.' + LAST[random.nextInt(LAST.length)] + '@'
                + (domain.startsWith("example") ? WORDS[random.nextInt(WORDS.length)] + '.' + domain : domain);
    }

    private String messageId() {
        return Long.toHexString(random.nextLong() & 0xFFFFFFFFFFFFL).toUpperCase() + '@'
                + WORDS[random.nextInt(WORDS.length)] + ".example";
    }

    private String thumbprint() {
        StringBuilder b = new StringBuilder(40);
        for (int i = 0; i < 5; i++) {
            String h = Integer.toHexString(random.nextInt()).toUpperCase();
            b.append("00000000", 0, 8 - h.length()).append(h);
        }
        return b.toString();
    }

    private int ephemeralPort() {
        return 49152 + random.nextInt(16384);
    }

    private static final String[] FIRST = {"anna", "ben", "chloe", "david", "emma", "farid", "grace", "hugo", "ines", "jonas",
        "kim", "liam", "maria", "noah", "olga", "pablo", "rosa", "sven", "tara", "yusuf"};
    private static final String[] LAST = {"smith", "jones", "muller", "garcia", "rossi", "novak", "dubois", "jansen", "silva",
        "kowalski", "nguyen", "tanaka", "ohara", "berg", "costa"};
    private static final String[] WORDS = {"fabrikam", "northwind", "tailspin", "wingtip", "adatum", "litware", "proseware",
        "woodgrove", "lucerne", "relecloud", "southridge", "wideworld"};

    /** One session being composed: its fixed CSV columns and its sequence numbers. */
    private final class Session {
        final Script script;
        final String connector;
        final String sessionId;
        final String remoteEndpoint;
        final long start;
        String localEndpoint;
        int sequence;

        Session(int log, String intent, String connector, String localEndpoint, String remoteEndpoint, long start) {
            this.script = new Script(log, intent);
            this.connector = connector;
            this.sessionId = String.format("%016X", sessionCounter++);
            this.localEndpoint = localEndpoint;
            this.remoteEndpoint = remoteEndpoint;
            this.start = start;
        }

        void line(char event, String data, String context) {
            script.add(body(event, data, context));
        }

        void tls(char event, String data, String context) {
            script.addTls(body(event, data, context));
        }

        private String body(char event, String data, String context) {
            return connector + ',' + sessionId + ',' + (sequence++) + ',' + localEndpoint + ',' + remoteEndpoint + ','
                    + event + ',' + csv(data) + ',' + csv(context);
        }
    }

    /** RFC 4180 quoting, as Exchange writes it: a value with a comma or a quote is quoted. */
    static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
