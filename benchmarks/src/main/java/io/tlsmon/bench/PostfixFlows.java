package io.tlsmon.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Message flows of one Postfix 3.7 / OpenSSL 3 mail server, as RFC 3164 syslog lines
 * (shared/reference/log-formats.md §2.1; composed, not copied from any log): inbound smtpd sessions
 * ({@code connect from}, {@code TLS connection established from}, {@code SSL_accept error},
 * {@code warning: TLS library problem}, {@code lost connection after STARTTLS}, {@code disconnect
 * from}) with their cleanup, qmgr and lmtp lines; outbound deliveries from pickup through qmgr to
 * smtp ({@code TLS connection established to}, {@code SSL_connect error}, {@code Cannot start TLS},
 * {@code status=sent|deferred}); and anvil statistics. Most lines say nothing about TLS.
 */
final class PostfixFlows implements SessionSource {
    private static final String HOST = "mx1";
    private static final String DOMAIN = "contoso.example";
    private static final String MAILSTORE = "mailstore.contoso.example[10.0.2.5]:24";

    /** Inbound mix, weights in {@link Peer.Behaviour} order. */
    private static final int[] INBOUND_MIX = {
        // MODERN TLS12 LEGACY PLAINTEXT ANCIENT DROPS NO_SHARED_CIPHER SLOW BAD_CERTIFICATE EXCHANGE_ONLINE
        40, 16, 5, 20, 1, 8, 2, 2, 0, 6,
    };
    /** Outbound mix. */
    private static final int[] OUTBOUND_MIX = {
        40, 15, 4, 6, 1, 2, 2, 1, 2, 27,
    };
    /** Share of flows that are inbound (the rest are outbound), in percent. */
    private static final int INBOUND_SHARE = 50;
    /** One anvil statistics flow per this many flows. */
    private static final int ANVIL_EVERY = 500;

    private final SplittableRandom random;
    private final Peers inbound;
    private final Peers outbound;
    private final PidPool smtpd;
    private final PidPool smtp;
    private final PidPool lmtp;
    private final int qmgr;
    private final int pickup;
    private final int anvil;
    private final int[] cleanup;
    private long flows;

    PostfixFlows(SplittableRandom random) {
        this.random = random;
        this.inbound = new Peers(random, 400, "example");
        this.outbound = new Peers(random, 300, "example.net");
        int base = 20_000 + random.nextInt(100_000);
        this.qmgr = base - 7_000;
        this.pickup = base - 6_998;
        this.anvil = base - 41;
        this.cleanup = new int[] {base - 400, base - 388, base - 377};
        this.smtpd = new PidPool(random, base);
        this.smtp = new PidPool(random, base + 50_000);
        this.lmtp = new PidPool(random, base + 100_000);
    }

    @Override
    public int logs() {
        return 1;
    }

    @Override
    public List<String> header(int log, long now) {
        return List.of();
    }

    @Override
    public String stamp(Timestamps timestamps, long now, String body) {
        return timestamps.syslog(now) + " " + HOST + " " + body;
    }

    @Override
    public Script next(long now) {
        if (++flows % ANVIL_EVERY == 0) {
            return anvil(now);
        }
        return random.nextInt(100) < INBOUND_SHARE ? inbound() : outbound();
    }

    // ------------------------------------------------------------------ inbound: smtpd

    private Script inbound() {
        Peer.Behaviour behaviour = Peers.draw(random, INBOUND_MIX);
        Peer peer = inbound.pick(random, behaviour);
        String intent = switch (behaviour) {
            case PLAINTEXT -> "none (plaintext)";
            case LEGACY -> "DEPRECATED_PROTOCOL";
            case ANCIENT -> "PROTOCOL_VERSION_REJECTED";
            case DROPS -> "CONNECTION_DROPPED";
            case NO_SHARED_CIPHER -> "NO_SHARED_CIPHER";
            case SLOW -> "HANDSHAKE_TIMEOUT";
            default -> "OK";
        };
        Script s = new Script(0, intent);
        int pid = smtpd.take();
        int lmtpPid = lmtp.take();
        s.onEnd = () -> {
            smtpd.release(pid);
            lmtp.release(lmtpPid);
        };
        String d = "postfix/smtpd[" + pid + "]: ";
        String client = peer.postfix();
        if ("unknown".equals(peer.host()) && random.nextBoolean()) {
            s.add(d + "warning: hostname " + reverseName(peer.ip()) + " does not resolve to address " + peer.ip()
                    + ": Name or service not known");
        }
        s.add(d + "connect from " + client);
        switch (behaviour) {
            case DROPS -> {
                String reason = switch (random.nextInt(3)) {
                    case 0 -> "lost connection";
                    case 1 -> "-1";
                    default -> "0";
                };
                s.addTls(d + "SSL_accept error from " + client + ": " + reason);
                s.addTls(d + "lost connection after STARTTLS from " + client);
                s.add(d + "disconnect from " + client + " ehlo=1 starttls=0/1 commands=1/2");
                return s;
            }
            case NO_SHARED_CIPHER, ANCIENT -> {
                s.addTls(d + "warning: TLS library problem: error:" + (behaviour == Peer.Behaviour.ANCIENT
                        ? "0A000102:SSL routines::unsupported protocol:../ssl/statem/statem_srvr.c:1657:"
                        : "0A0000C1:SSL routines::no shared cipher:../ssl/statem/statem_srvr.c:2220:"));
                s.addTls(d + "SSL_accept error from " + client + ": -1");
                s.addTls(d + "lost connection after STARTTLS from " + client);
                s.add(d + "disconnect from " + client + " ehlo=1 starttls=0/1 commands=1/2");
                return s;
            }
            case SLOW -> {
                s.addTls(d + "SSL_accept error from " + client + ": Connection timed out");
                s.add(d + "disconnect from " + client + " ehlo=1 starttls=0/1 commands=1/2");
                return s;
            }
            case PLAINTEXT -> {
            }
            case LEGACY -> s.addTls(d + "Anonymous TLS connection established from " + client
                    + ": TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)");
            case TLS12, EXCHANGE_ONLINE -> s.addTls(d + "Anonymous TLS connection established from " + client
                    + ": TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)");
            default -> s.addTls(d + "Anonymous TLS connection established from " + client
                    + ": TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519"
                    + " server-signature RSA-PSS (2048 bits) server-digest SHA256");
        }
        boolean tls = behaviour != Peer.Behaviour.PLAINTEXT;
        int messages = random.nextInt(100) < 90 ? 1 : 2;
        int rejected = random.nextInt(100) < 15 ? 1 : 0;
        List<String> deliveries = new ArrayList<>();
        int rcpts = 0;
        for (int m = 0; m < messages; m++) {
            String queueId = queueId();
            String sender = mailbox("example");
            int size = messageSize();
            int recipients = recipients();
            rcpts += recipients;
            s.add(d + queueId + ": client=" + client);
            s.add("postfix/cleanup[" + cleanup[random.nextInt(cleanup.length)] + "]: " + queueId + ": message-id=<"
                    + messageId() + ">");
            s.add("postfix/qmgr[" + qmgr + "]: " + queueId + ": from=<" + sender + ">, size=" + size + ", nrcpt="
                    + recipients + " (queue active)");
            for (int r = 0; r < recipients; r++) {
                deliveries.add("postfix/lmtp[" + lmtpPid + "]: " + queueId + ": to=<" + mailbox(DOMAIN) + ">, relay="
                        + MAILSTORE + ", delay=" + delay() + ", delays=" + delays() + ", dsn=2.0.0, status=sent (250 2.0.0 <"
                        + queueId.toLowerCase() + "@" + DOMAIN + "> Saved)");
            }
            deliveries.add("postfix/qmgr[" + qmgr + "]: " + queueId + ": removed");
        }
        if (rejected > 0) {
            s.add(d + "NOQUEUE: reject: RCPT from " + client + ": 550 5.1.1 <" + mailbox(DOMAIN)
                    + ">: Recipient address rejected: User unknown in virtual mailbox table; from=<" + mailbox("example")
                    + "> to=<" + mailbox(DOMAIN) + "> proto=ESMTP helo=<" + peer.host() + ">");
        }
        s.add(d + "disconnect from " + client + " ehlo=" + (tls ? 2 : 1) + (tls ? " starttls=1" : "") + " mail=" + messages
                + " rcpt=" + (rcpts + rejected) + (rejected > 0 ? "/" + (rcpts + rejected) : "") + " data=" + messages
                + " quit=1 commands=" + ((tls ? 4 : 2) + 2 * messages + rcpts + rejected));
        for (String line : deliveries) {
            s.add(line);
        }
        return s;
    }

    // ------------------------------------------------------------------ outbound: pickup, qmgr, smtp

    private Script outbound() {
        Peer.Behaviour behaviour = Peers.draw(random, OUTBOUND_MIX);
        Peer peer = outbound.pick(random, behaviour);
        boolean tlsRequired = behaviour == Peer.Behaviour.PLAINTEXT && random.nextInt(3) == 0;
        String intent = switch (behaviour) {
            case PLAINTEXT -> tlsRequired ? "STARTTLS_NOT_OFFERED (required)" : "none (plaintext)";
            case LEGACY -> "DEPRECATED_PROTOCOL";
            case ANCIENT -> "PROTOCOL_VERSION_REJECTED";
            case DROPS -> "CONNECTION_DROPPED";
            case NO_SHARED_CIPHER -> "NO_SHARED_CIPHER";
            case SLOW -> "HANDSHAKE_TIMEOUT";
            case BAD_CERTIFICATE -> "CERTIFICATE_NAME_MISMATCH";
            default -> "OK";
        };
        Script s = new Script(0, intent);
        int pid = smtp.take();
        s.onEnd = () -> smtp.release(pid);
        String c = "postfix/smtp[" + pid + "]: ";
        String queueId = queueId();
        int recipients = recipients();
        String user = FIRST[random.nextInt(FIRST.length)];
        s.add("postfix/pickup[" + pickup + "]: " + queueId + ": uid=" + (1000 + random.nextInt(40)) + " from=<" + user + ">");
        s.add("postfix/cleanup[" + cleanup[random.nextInt(cleanup.length)] + "]: " + queueId + ": message-id=<"
                + messageId() + ">");
        s.add("postfix/qmgr[" + qmgr + "]: " + queueId + ": from=<" + user + "@" + DOMAIN + ">, size=" + messageSize()
                + ", nrcpt=" + recipients + " (queue active)");
        String relay = peer.postfix() + ":25";
        String deferred = null;
        switch (behaviour) {
            case PLAINTEXT -> {
                if (tlsRequired) {
                    deferred = "dsn=4.7.4, status=deferred (TLS is required, but was not offered by host " + relay + ")";
                }
            }
            case DROPS -> {
                s.addTls(c + "SSL_connect error to " + relay + ": lost connection");
                deferred = "dsn=4.7.5, status=deferred (lost connection with " + peer.postfix()
                        + " while performing the TLS handshake)";
            }
            case SLOW -> {
                s.addTls(c + "SSL_connect error to " + relay + ": Connection timed out");
                deferred = "dsn=4.4.2, status=deferred (conversation with " + peer.postfix()
                        + " timed out while performing the TLS handshake)";
            }
            case NO_SHARED_CIPHER, ANCIENT -> {
                s.addTls(c + "warning: TLS library problem: error:" + (behaviour == Peer.Behaviour.ANCIENT
                        ? "0A00042E:SSL routines::tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1605:SSL alert number 70:"
                        : "0A000410:SSL routines::sslv3 alert handshake failure:../ssl/record/rec_layer_s3.c:1605:SSL alert number 40:"));
                s.addTls(c + queueId + ": Cannot start TLS: handshake failure");
                deferred = "dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)";
            }
            case BAD_CERTIFICATE -> {
                s.addTls(c + "server certificate verification failed for " + relay + ": num=62:hostname mismatch");
                s.addTls(c + "Untrusted TLS connection established to " + relay
                        + ": TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)");
                deferred = "dsn=4.7.5, status=deferred (Server certificate not verified)";
            }
            case LEGACY -> s.addTls(c + "Untrusted TLS connection established to " + relay
                    + ": TLSv1 with cipher ECDHE-RSA-AES256-SHA (256/256 bits)");
            case TLS12 -> s.addTls(c + "Untrusted TLS connection established to " + relay
                    + ": TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)");
            case EXCHANGE_ONLINE -> s.addTls(c + "Trusted TLS connection established to " + relay
                    + ": TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)");
            default -> s.addTls(c + "Trusted TLS connection established to " + relay
                    + ": TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519"
                    + " server-signature ECDSA (P-256) server-digest SHA256");
        }
        for (int r = 0; r < recipients; r++) {
            String to = c + queueId + ": to=<" + mailbox("example.net") + ">, relay=" + relay + ", delay=" + delay()
                    + ", delays=" + delays() + ", ";
            if (deferred != null) {
                // The deferral names the TLS failure: it is evidence, not noise.
                s.addTls(to + deferred);
            } else {
                s.add(to + "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as " + queueId() + ")");
            }
        }
        if (deferred == null) {
            s.add("postfix/qmgr[" + qmgr + "]: " + queueId + ": removed");
        }
        return s;
    }

    private Script anvil(long now) {
        Script s = new Script(0, "none (statistics)");
        String a = "postfix/anvil[" + anvil + "]: statistics: ";
        String at = new Timestamps().syslog(now - 60_000L * random.nextInt(10));
        Peer busiest = inbound.pick(random, Peer.Behaviour.MODERN);
        s.add(a + "max connection rate " + (2 + random.nextInt(20)) + "/60s for (smtp:" + busiest.ip() + ") at " + at);
        s.add(a + "max connection count " + (1 + random.nextInt(8)) + " for (smtp:" + busiest.ip() + ") at " + at);
        s.add(a + "max cache size " + (3 + random.nextInt(30)) + " at " + at);
        return s;
    }

    // ------------------------------------------------------------------ values

    private int recipients() {
        int n = 1;
        while (n < 6 && random.nextInt(5) == 0) {
            n++;
        }
        return n;
    }

    private int messageSize() {
        return 1_500 + random.nextInt(random.nextInt(10) == 0 ? 4_000_000 : 60_000);
    }

    /** Postfix short queue ids: 10 or 11 upper-case hex digits. */
    private String queueId() {
        return Long.toHexString(0x1000000000L + (random.nextLong() & 0xEFFFFFFFFFL)).toUpperCase();
    }

    private String delay() {
        return random.nextInt(3) + "." + random.nextInt(10) + random.nextInt(10);
    }

    private String delays() {
        return "0." + random.nextInt(10) + "/0." + random.nextInt(10) + random.nextInt(10) + "/0." + random.nextInt(100)
                + "/0." + random.nextInt(100);
    }

    private String mailbox(String domain) {
        return FIRST[random.nextInt(FIRST.length)] + '.' + LAST[random.nextInt(LAST.length)] + '@'
                + (domain.startsWith("example") ? WORDS[random.nextInt(WORDS.length)] + '.' + domain : domain);
    }

    private String messageId() {
        return "20261128" + Long.toHexString(random.nextLong() & 0xFFFFFFFFFFL) + "." + random.nextInt(100_000) + "@"
                + WORDS[random.nextInt(WORDS.length)] + ".example";
    }

    private static String reverseName(String ip) {
        return ip.replace('.', '-') + ".dyn.broadband.example";
    }

    private static final String[] FIRST = {"anna", "ben", "chloe", "david", "emma", "farid", "grace", "hugo", "ines", "jonas",
        "kim", "liam", "maria", "noah", "olga", "pablo", "rosa", "sven", "tara", "yusuf"};
    private static final String[] LAST = {"smith", "jones", "muller", "garcia", "rossi", "novak", "dubois", "jansen", "silva",
        "kowalski", "nguyen", "tanaka", "ohara", "berg", "costa"};
    private static final String[] WORDS = {"fabrikam", "northwind", "tailspin", "wingtip", "adatum", "litware", "proseware",
        "woodgrove", "lucerne", "relecloud", "southridge", "wideworld"};

    /**
     * Process ids of one Postfix daemon: a process serves one session at a time and is reused for
     * later ones (Postfix's max_use), so a pid is never in two open sessions at once.
     */
    private static final class PidPool {
        private final SplittableRandom random;
        private final List<Integer> idle = new ArrayList<>();
        private int next;

        PidPool(SplittableRandom random, int first) {
            this.random = random;
            this.next = first;
        }

        int take() {
            if (!idle.isEmpty() && random.nextInt(10) < 8) {
                int i = random.nextInt(idle.size());
                int last = idle.size() - 1;
                int pid = idle.get(i);
                idle.set(i, idle.get(last));
                idle.remove(last);
                return pid;
            }
            next += 1 + random.nextInt(40);
            if (next > 4_000_000) {
                next = 1_000;
            }
            return next;
        }

        void release(int pid) {
            // Processes exit after a while (max_idle): keep the pool small.
            if (idle.size() < 100) {
                idle.add(pid);
            }
        }
    }
}
