package io.tlsmon.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A synthetic, deterministic mail-flow workload for benchmarks: the lines that two Exchange servers
 * (receive and send protocol logs) and two Postfix MX hosts (smtpd sessions among queue, delivery,
 * IMAP and cron noise) would write, interleaved in time order as the archive replayer would send them.
 * Composed by the tlsmon project from the documented formats (shared/reference/log-formats.md); not a
 * real server's log.
 *
 * <p>Most lines carry no TLS evidence (EHLO, MAIL, RCPT, BDAT, queue and delivery lines). Senders are
 * drawn from a pool of {@value #INBOUND_SENDERS} addresses with a heavy head (a few senders send most
 * mail); a fixed share of them always fail one way, some break half-way through the workload, some
 * negotiate TLS 1.0/1.1 and some never use STARTTLS, so that every alert rule has something to fire on.
 *
 * <p>{@link #distinctSenders} makes the other shape, for memory runs: only Postfix smtpd sessions
 * (connect, the TLS result, client=, disconnect; no queue, delivery or IMAP lines), each from the next
 * sender of a pool of that many distinct addresses (in a scattered order), until every sender of the
 * pool has had one session. Every one of them uses STARTTLS (the plaintext share negotiates TLS
 * instead), so each session is a negotiation attempt and each sender gets a sender state.
 */
final class MailLogWorkload implements Iterator<MailLogWorkload.Line> {
    static final int INBOUND_SENDERS = 20_000;
    static final int DESTINATIONS = 3_000;
    static final Instant START = Instant.parse("2025-03-03T08:00:00Z");

    /** One raw line of one stream, with what a shipper attaches to it. */
    record Line(LogStream stream, long lineNumber, long offset, long time, String text) {
    }

    /** One shipped file: its host, kind, path and (Exchange) header context. */
    record LogStream(String sourceHost, String logKind, String path, String header) {
        String key() {
            return sourceHost + "|" + logKind;
        }
    }

    private static final DateTimeFormatter EXCHANGE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SYSLOG_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final String EXCHANGE_FIELDS =
            "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";
    private static final String TLS_SUCCESS = "\"TLS protocol %s negotiation succeeded using bulk encryption algorithm CALG_AES_256 "
            + "with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and key exchange algorithm "
            + "CALG_ECDHE with strength 384 bits\"";

    private final long total;
    private final SplittableRandom random;
    private final PriorityQueue<Source> due = new PriorityQueue<>();
    private final List<StreamState> streams = new ArrayList<>();
    /** Senders of the inbound sessions ({@link #INBOUND_SENDERS}, or the pool of {@link #distinctSenders}). */
    private final int senderPool;
    /** {@link #distinctSenders}: one session per sender of the pool, Postfix only, no noise. */
    private final boolean dense;
    private final long senderStride;
    private long sessionsStarted;
    private long emitted;
    private long order;
    /** The next line, computed when {@link #hasNext} is asked (so the random draws stay in the same order). */
    private Line pending;
    private boolean exhausted;

    /** The mixed workload: {@code lines} lines of two Exchange servers and two Postfix hosts. */
    MailLogWorkload(long lines, long seed) {
        this.total = lines;
        this.random = new SplittableRandom(seed);
        this.senderPool = INBOUND_SENDERS;
        this.dense = false;
        this.senderStride = 1;
        for (String host : List.of("ex01", "ex02")) {
            StreamState recv = stream(new LogStream(host, "exchange",
                    "D:\\Exchange\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpReceive\\RECV2025030308-1.LOG",
                    "#Log-type: SMTP Receive Protocol Log\n" + EXCHANGE_FIELDS));
            StreamState send = stream(new LogStream(host, "exchange",
                    "D:\\Exchange\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\SmtpSend\\SEND2025030308-1.LOG",
                    "#Log-type: SMTP Send Protocol Log\n" + EXCHANGE_FIELDS));
            schedule(new Arrivals(recv, 400, this::exchangeReceive), START.toEpochMilli() + random.nextInt(400));
            schedule(new Arrivals(send, 800, this::exchangeSend), START.toEpochMilli() + random.nextInt(800));
        }
        for (String host : List.of("mx1", "mx2")) {
            StreamState log = stream(new LogStream(host, "postfix", "/var/log/mail.log", null));
            schedule(new Arrivals(log, 300, this::postfixSmtpd), START.toEpochMilli() + random.nextInt(300));
            schedule(new Noise(log, 150), START.toEpochMilli() + random.nextInt(150));
        }
    }

    private MailLogWorkload(int senders, long seed, double meanGapMs) {
        this.total = Long.MAX_VALUE;
        this.random = new SplittableRandom(seed);
        this.senderPool = senders;
        this.dense = true;
        this.senderStride = strideFor(senders);
        for (String host : List.of("mx1", "mx2")) {
            StreamState log = stream(new LogStream(host, "postfix", "/var/log/mail.log", null));
            schedule(new Arrivals(log, meanGapMs, this::postfixSmtpd), START.toEpochMilli() + random.nextInt((int) Math.max(1, meanGapMs)));
        }
    }

    /**
     * The memory-run shape: Postfix smtpd sessions on two hosts (a new session every {@code meanGapMs}
     * of log time on each, on average), the i-th session from sender {@code i * stride mod senders}, until
     * each of the {@code senders} distinct addresses has had exactly one session. About 4 lines per sender.
     */
    static MailLogWorkload distinctSenders(int senders, long seed, double meanGapMs) {
        if (senders < 1) {
            throw new IllegalArgumentException("senders must be positive");
        }
        return new MailLogWorkload(senders, seed, meanGapMs);
    }

    /** A multiplier coprime with {@code n}, so that {@code i * stride mod n} visits every sender once. */
    private static long strideFor(int n) {
        long stride = 611_953L % Math.max(n, 1);
        while (n > 1 && (stride < 2 || gcd(stride, n) != 1)) {
            stride = (stride + 1) % n;
        }
        return Math.max(stride, 1);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    List<LogStream> streams() {
        return streams.stream().map(s -> s.stream).toList();
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !exhausted) {
            pending = produce();
            exhausted = pending == null;
        }
        return pending != null;
    }

    @Override
    public Line next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Line l = pending;
        pending = null;
        return l;
    }

    /** Lines emitted so far. */
    long emitted() {
        return emitted;
    }

    private Line produce() {
        if (emitted >= total) {
            return null;
        }
        while (true) {
            Source s = due.poll();
            if (s == null) {
                return null; // distinctSenders: every sender had its session
            }
            Line line = s.fire();
            if (s.next >= 0) {
                schedule(s, s.next);
            }
            if (line != null) {
                emitted++;
                return line;
            }
        }
    }

    // ------------------------------------------------------------------ sources of lines

    private abstract static class Source implements Comparable<Source> {
        long time;
        long next = -1;
        long order;

        /** The line due at {@link #time} (or null), and sets {@link #next} (or -1 when done). */
        abstract Line fire();

        @Override
        public int compareTo(Source o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private void schedule(Source s, long time) {
        s.time = time;
        s.order = order++;
        due.add(s);
    }

    /** Where a stream's line numbers and byte offsets stand. */
    private static final class StreamState {
        final LogStream stream;
        long lineNumber;
        long offset;
        long sessionCounter;

        StreamState(LogStream stream) {
            this.stream = stream;
        }

        Line line(long time, String text) {
            Line l = new Line(stream, ++lineNumber, offset, time, text);
            offset += text.length() + 2;
            return l;
        }
    }

    private StreamState stream(LogStream s) {
        StreamState st = new StreamState(s);
        streams.add(st);
        return st;
    }

    /** A session's lines: each a delay after the previous and the text after the timestamp. */
    private static final class Script {
        final List<Long> delays = new ArrayList<>();
        final List<String> rests = new ArrayList<>();

        Script add(long delayMs, String rest) {
            delays.add(delayMs);
            rests.add(rest);
            return this;
        }
    }

    private interface SessionFactory {
        Script create(StreamState stream, long time);
    }

    /** New sessions of one stream, exponentially spaced. */
    private final class Arrivals extends Source {
        final StreamState stream;
        final double meanGapMs;
        final SessionFactory factory;

        Arrivals(StreamState stream, double meanGapMs, SessionFactory factory) {
            this.stream = stream;
            this.meanGapMs = meanGapMs;
            this.factory = factory;
        }

        @Override
        Line fire() {
            if (dense && sessionsStarted >= senderPool) {
                next = -1;
                return null;
            }
            Script script = factory.create(stream, time);
            schedule(new Session(stream, script), time);
            next = time + 1 + (long) (-meanGapMs * Math.log(1 - random.nextDouble()));
            return null;
        }
    }

    /** One session being written, line after line, interleaved with the others. */
    private final class Session extends Source {
        final StreamState stream;
        final Script script;
        int at;

        Session(StreamState stream, Script script) {
            this.stream = stream;
            this.script = script;
        }

        @Override
        Line fire() {
            String rest = script.rests.get(at);
            boolean exchange = "exchange".equals(stream.stream.logKind());
            String ts = exchange ? EXCHANGE_TIME.format(Instant.ofEpochMilli(time)) : SYSLOG_TIME.format(Instant.ofEpochMilli(time));
            Line line = stream.line(time, ts + rest);
            at++;
            next = at < script.rests.size() ? time + script.delays.get(at) : -1;
            return line;
        }
    }

    /** Postfix-host lines of no TLS interest: anvil, IMAP logins, cron, pickup. */
    private final class Noise extends Source {
        final StreamState stream;
        final double meanGapMs;

        Noise(StreamState stream, double meanGapMs) {
            this.stream = stream;
            this.meanGapMs = meanGapMs;
        }

        @Override
        Line fire() {
            String host = stream.stream.sourceHost();
            int u = random.nextInt(1000);
            String rest = switch (random.nextInt(5)) {
                case 0 -> " " + host + " dovecot: imap-login: Login: user=<user" + u + ">, method=PLAIN, rip=10.0.1." + (u % 250)
                        + ", lip=10.0.0.6, mpid=" + (20000 + u) + ", TLS, session=<" + Long.toHexString(random.nextLong()) + ">";
                case 1 -> " " + host + " dovecot: imap(user" + u + ")<" + (20000 + u) + "><" + Long.toHexString(random.nextLong())
                        + ">: Logged out in=" + random.nextInt(900) + " out=" + random.nextInt(90000) + " deleted=0 expunged=0 trashed=0";
                case 2 -> " " + host + " postfix/anvil[900]: statistics: max connection rate 2/60s for (smtp:198.18.0." + (u % 250)
                        + ") at Mar 03 08:10:00";
                case 3 -> " " + host + " CRON[" + (3000 + u) + "]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)";
                default -> " " + host + " postfix/pickup[811]: " + queueId() + ": uid=" + (1000 + u % 7) + " from=<user" + u + ">";
            };
            next = time + 1 + (long) (-meanGapMs * Math.log(1 - random.nextDouble()));
            return stream.line(time, SYSLOG_TIME.format(Instant.ofEpochMilli(time)) + rest);
        }
    }

    // ------------------------------------------------------------------ who sends, and how it goes

    enum Behaviour { OK, DEPRECATED, PLAINTEXT, FAILING, BREAKS_LATER }

    /** A fixed profile per sender index, so that a failing sender fails every time (and alerts). */
    static Behaviour behaviour(int sender) {
        if (sender % 50 == 7) {
            return Behaviour.FAILING;
        }
        if (sender % 100 == 13) {
            return Behaviour.BREAKS_LATER;
        }
        if (sender % 16 == 3) {
            return Behaviour.DEPRECATED;
        }
        if (sender % 7 == 5) {
            return Behaviour.PLAINTEXT;
        }
        return Behaviour.OK;
    }

    /** Sender index with a heavy head: about a fifth of the sessions come from the first 1% of senders. */
    private int pick(int pool) {
        double u = random.nextDouble();
        return (int) (pool * u * u * u);
    }

    /** The sender of the next inbound session: heavy-headed, or (distinctSenders) the next one of the pool. */
    private int nextSender() {
        long i = sessionsStarted++;
        return dense ? (int) ((i * senderStride) % senderPool) : pick(senderPool);
    }

    private boolean failsNow(Behaviour b) {
        boolean secondHalf = dense ? sessionsStarted > senderPool / 2 : emitted > total / 2;
        return b == Behaviour.FAILING || (b == Behaviour.BREAKS_LATER && secondHalf)
                || (b == Behaviour.OK && random.nextInt(400) == 0);
    }

    /** Which way a sender fails (or which version it speaks): a hash, so it does not follow its behaviour's modulus. */
    private static int variant(int sender, int ways) {
        return (int) (((sender * 0x9E3779B97F4A7C15L) >>> 40) % ways);
    }

    /** 198.18.0.0/15 for the mixed workload's 20,000 senders; 100.64.0.0/10 (4 M addresses) beyond that. */
    private static String ip(int sender) {
        if (sender < INBOUND_SENDERS) {
            return "198.18." + (sender / 250) + "." + (sender % 250 + 1);
        }
        return "100." + (64 + sender / 62_500) + "." + ((sender / 250) % 250) + "." + (sender % 250 + 1);
    }

    private static String destinationIp(int d) {
        return "198.19." + (d / 250) + "." + (d % 250 + 1);
    }

    private String queueId() {
        return String.format(Locale.ROOT, "%010X", random.nextLong() & 0xFFFFFFFFFFL);
    }

    // ------------------------------------------------------------------ Exchange receive

    private Script exchangeReceive(StreamState st, long time) {
        String server = st.stream.sourceHost().toUpperCase(Locale.ROOT);
        String fqdn = st.stream.sourceHost() + ".contoso.example";
        int sender = nextSender();
        Behaviour b = behaviour(sender);
        long sid = 0x08DD5A0000000000L + (++st.sessionCounter) * 0x1F3L;
        String prefix = "," + server + "\\Default Frontend " + server + "," + String.format(Locale.ROOT, "%016X", sid) + ",";
        String ends = ",10.0.0." + (st.stream.sourceHost().equals("ex01") ? 5 : 6) + ":25," + ip(sender) + ":" + (1024 + random.nextInt(60000)) + ",";
        String ehlo = "mail.s" + sender + ".example";
        Script s = new Script();
        int[] seq = {0};
        java.util.function.BiConsumer<Long, String> add = (d, ev) -> s.add(d, prefix + (seq[0]++) + ends + ev);
        add.accept(0L, "+,,");
        add.accept(1L, ">,\"220 " + fqdn + " Microsoft ESMTP MAIL Service ready at Mon, 3 Mar 2025 08:00:00 +0000\",");
        add.accept(20L + random.nextInt(60), "<,EHLO " + ehlo + ",");
        add.accept(1L, ">,250  " + fqdn + " Hello [" + ip(sender) + "] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS "
                + "X-ANONYMOUSTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8,");
        if (b != Behaviour.PLAINTEXT) {
            add.accept(20L + random.nextInt(40), "<,STARTTLS,");
            add.accept(1L, ">,220 2.0.0 SMTP server ready,");
            add.accept(1L, "*, CN=" + fqdn + " CN=Contoso Issuing CA 1 6B000000A1B2C3 0123456789ABCDEF0123456789ABCDEF01234567 "
                    + "2024-06-01T00:00:00.000Z 2026-06-01T00:00:00.000Z " + fqdn + ";mail.contoso.example,Sending certificate Subject "
                    + "Issuer name Serial number Thumbprint Not before Not after Subject alternate names");
            if (failsNow(b)) {
                switch (variant(sender, 3)) {
                    case 0 -> {
                        add.accept(30L, "*,,TLS negotiation failed with error AlgorithmMismatch");
                        add.accept(1L, "-,,Local");
                    }
                    case 1 -> add.accept(30L, "-,,Remote(SocketError)");
                    default -> {
                        add.accept(30L, "*,,TLS negotiation failed with error IllegalMessage");
                        add.accept(1L, "-,,Local");
                    }
                }
                return s;
            }
            String protocol = b == Behaviour.DEPRECATED ? (variant(sender, 2) == 0 ? "SP_PROT_TLS1_0_SERVER" : "SP_PROT_TLS1_1_SERVER")
                    : sender % 3 == 0 ? "SP_PROT_TLS1_3_SERVER" : "SP_PROT_TLS1_2_SERVER";
            add.accept(30L + random.nextInt(30), "*,," + String.format(Locale.ROOT, TLS_SUCCESS, protocol));
            add.accept(20L, "<,EHLO " + ehlo + ",");
            add.accept(1L, "*,SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders,Set Session Permissions");
            add.accept(1L, ">,250  " + fqdn + " Hello [" + ip(sender) + "] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES "
                    + "AUTH NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8,");
        }
        add.accept(30L + random.nextInt(50), "<,MAIL FROM:<news@s" + sender + ".example> SIZE=" + (2000 + random.nextInt(90000)) + ",");
        add.accept(1L, "*," + String.format(Locale.ROOT, "%016X", sid) + ";" + EXCHANGE_TIME.format(Instant.ofEpochMilli(time)) + ";1,receiving message");
        add.accept(1L, ">,250 2.1.0 Sender OK,");
        int rcpts = 1 + random.nextInt(3);
        for (int r = 0; r < rcpts; r++) {
            add.accept(10L, "<,RCPT TO:<user" + random.nextInt(5000) + "@contoso.example>,");
            add.accept(1L, ">,250 2.1.5 Recipient OK,");
        }
        int size = 2000 + random.nextInt(90000);
        add.accept(40L + random.nextInt(200), "<,BDAT " + size + " LAST,");
        add.accept(20L + random.nextInt(100), ">,\"250 2.6.0 <" + Long.toHexString(random.nextLong()) + "@s" + sender
                + ".example> [InternalId=" + random.nextInt(1 << 30) + ", Hostname=" + fqdn + "] " + size
                + " bytes in 0.120, 166.6 KB/sec Queued mail for delivery\",");
        add.accept(10L, "<,QUIT,");
        add.accept(1L, ">,221 2.0.0 Service closing transmission channel,");
        add.accept(1L, "-,,Local");
        return s;
    }

    // ------------------------------------------------------------------ Exchange send

    private Script exchangeSend(StreamState st, long time) {
        String fqdn = st.stream.sourceHost() + ".contoso.example";
        int d = pick(DESTINATIONS);
        Behaviour b = behaviour(d);
        boolean exo = variant(d, 10) == 0;
        String mx = exo ? "d" + d + "-example.mail.protection.outlook.com" : "mx.d" + d + ".example";
        long sid = 0x08DD5B0000000000L + (++st.sessionCounter) * 0x1F3L;
        String prefix = ",Outbound " + (exo ? "to Office 365" : "Internet") + "," + String.format(Locale.ROOT, "%016X", sid) + ",";
        String remote = destinationIp(d) + ":25";
        String local = "10.0.0." + (st.stream.sourceHost().equals("ex01") ? 5 : 6) + ":" + (20000 + random.nextInt(40000));
        Script s = new Script();
        int[] seq = {0};
        java.util.function.BiConsumer<Long, String> add = (delay, ev) -> s.add(delay, prefix + (seq[0]++) + "," + local + "," + remote + "," + ev);
        s.add(0, prefix + (seq[0]++) + ",," + remote + ",*,,attempting to connect");
        add.accept(15L, "+,,");
        add.accept(25L, "<,\"220 " + mx + " Microsoft ESMTP MAIL Service ready at Mon, 3 Mar 2025 08:00:00 +0000\",");
        add.accept(1L, ">,EHLO " + fqdn + ",");
        boolean fails = failsNow(b);
        int failure = variant(d, 4);
        boolean offered = !(fails && failure == 2);
        add.accept(20L, "<,250-" + mx + " Hello [198.51.100.5] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES "
                + (offered ? "STARTTLS " : "") + "8BITMIME BINARYMIME CHUNKING,");
        if (fails && failure == 3) {
            add.accept(1L, ">,MAIL FROM:<billing@contoso.example> SIZE=20480,");
            add.accept(20L, "<,451 5.7.3 Must issue a STARTTLS command first,");
            add.accept(1L, "-,,Local");
            return s;
        }
        if (offered) {
            add.accept(1L, ">,STARTTLS,");
            add.accept(20L, "<,220 2.0.0 SMTP server ready,");
            add.accept(1L, "*,,Sending certificate");
            add.accept(1L, "*,CN=" + fqdn + ",Certificate subject");
            add.accept(0L, "*,\"CN=Contoso Issuing CA 1, O=Contoso, C=US\",Certificate issuer name");
            add.accept(0L, "*,6B000000A1B2C3,Certificate serial number");
            add.accept(0L, "*,0123456789ABCDEF0123456789ABCDEF01234567,Certificate thumbprint");
            add.accept(0L, "*," + fqdn + ";mail.contoso.example,Certificate alternate names");
            if (fails) {
                if (failure == 0) {
                    add.accept(30L, "*,,TLS negotiation failed with error UnknownCredentials");
                    add.accept(1L, "-,,Local");
                } else {
                    add.accept(30L, "*,,TLS negotiation failed with error SocketError");
                    add.accept(1L, "-,,Remote(SocketError)");
                }
                return s;
            }
            String protocol = b == Behaviour.DEPRECATED ? "SP_PROT_TLS1_0_CLIENT" : "SP_PROT_TLS1_2_CLIENT";
            add.accept(40L, "*,," + String.format(Locale.ROOT, TLS_SUCCESS, protocol));
            add.accept(1L, "*,,Received certificate");
            add.accept(0L, "*,89ABCDEF0123456789ABCDEF0123456789ABCDEF,Certificate thumbprint");
            add.accept(1L, ">,EHLO " + fqdn + ",");
            add.accept(20L, "<,250-" + mx + " Hello [198.51.100.5] SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES 8BITMIME BINARYMIME CHUNKING,");
        }
        add.accept(1L, ">,MAIL FROM:<billing@contoso.example> SIZE=" + (2000 + random.nextInt(90000)) + ",");
        add.accept(0L, ">,RCPT TO:<ap@d" + d + ".example>,");
        add.accept(20L, "<,250 2.1.0 Sender OK,");
        add.accept(0L, "<,250 2.1.5 Recipient OK,");
        add.accept(1L, ">,BDAT 20480 LAST,");
        add.accept(50L + random.nextInt(200), "<,250 2.6.0 <" + Long.toHexString(random.nextLong()) + "@contoso.example> Queued mail for delivery,");
        add.accept(1L, ">,QUIT,");
        add.accept(10L, "<,221 2.0.0 Service closing transmission channel,");
        add.accept(1L, "-,,Local");
        return s;
    }

    // ------------------------------------------------------------------ Postfix smtpd

    private Script postfixSmtpd(StreamState st, long time) {
        String host = st.stream.sourceHost();
        int pid = 4000 + (int) (++st.sessionCounter % 60000);
        int sender = nextSender();
        Behaviour b = dense && behaviour(sender) == Behaviour.PLAINTEXT ? Behaviour.OK : behaviour(sender);
        boolean scanner = !dense && random.nextInt(20) == 0;
        String peer = scanner ? "unknown[" + ip(INBOUND_SENDERS - 1 - random.nextInt(500)) + "]" : "mail.s" + sender + ".example[" + ip(sender) + "]";
        String smtpd = " " + host + " postfix/smtpd[" + pid + "]: ";
        Script s = new Script();
        s.add(0, smtpd + "connect from " + peer);
        if (scanner) {
            s.add(200 + random.nextInt(2000), smtpd + "lost connection after EHLO from " + peer);
            s.add(1, smtpd + "disconnect from " + peer + " ehlo=1 commands=1");
            return s;
        }
        if (b != Behaviour.PLAINTEXT) {
            if (failsNow(b)) {
                switch (variant(sender, 4)) {
                    case 0 -> {
                        s.add(150, smtpd + "SSL_accept error from " + peer + ": -1");
                        s.add(0, smtpd + "warning: TLS library problem: error:0A0000C1:SSL routines::no shared cipher:../ssl/statem/statem_srvr.c:2220:");
                        s.add(1, smtpd + "lost connection after STARTTLS from " + peer);
                    }
                    case 1 -> {
                        s.add(150, smtpd + "SSL_accept error from " + peer + ": -1");
                        s.add(0, smtpd + "warning: TLS library problem: error:0A00018C:SSL routines::version too low:../ssl/statem/statem_lib.c:1983:");
                        s.add(1, smtpd + "lost connection after STARTTLS from " + peer);
                    }
                    case 2 -> {
                        s.add(150, smtpd + "SSL_accept error from " + peer + ": -1");
                        s.add(0, smtpd + "warning: TLS library problem: error:0A000418:SSL routines::tlsv1 alert unknown ca:"
                                + "../ssl/record/rec_layer_s3.c:1605:SSL alert number 48:");
                        s.add(1, smtpd + "lost connection after STARTTLS from " + peer);
                    }
                    default -> {
                        s.add(300, smtpd + "SSL_accept error from " + peer + ": lost connection");
                        s.add(1, smtpd + "lost connection after STARTTLS from " + peer);
                    }
                }
                s.add(1, smtpd + "disconnect from " + peer + " ehlo=1 starttls=0/1 commands=1/2");
                return s;
            }
            String tls = b == Behaviour.DEPRECATED ? (variant(sender, 2) == 0 ? "TLSv1" : "TLSv1.1") + " with cipher ECDHE-RSA-AES256-SHA (256/256 bits)"
                    : sender % 3 == 0 ? "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256"
                    : "TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)";
            s.add(150 + random.nextInt(100), smtpd + "Anonymous TLS connection established from " + peer + ": " + tls);
        }
        String q = queueId();
        if (dense) {
            s.add(200, smtpd + q + ": client=" + peer);
            s.add(100, smtpd + "disconnect from " + peer + (b == Behaviour.PLAINTEXT ? " ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"
                    : " ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7"));
            return s;
        }
        int size = 2000 + random.nextInt(90000);
        s.add(200, smtpd + q + ": client=" + peer);
        s.add(30, " " + host + " postfix/cleanup[" + (pid + 7) + "]: " + q + ": message-id=<" + Long.toHexString(random.nextLong()) + "@s" + sender + ".example>");
        s.add(10, " " + host + " postfix/qmgr[812]: " + q + ": from=<news@s" + sender + ".example>, size=" + size + ", nrcpt=1 (queue active)");
        s.add(100, smtpd + "disconnect from " + peer + (b == Behaviour.PLAINTEXT ? " ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"
                : " ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7"));
        s.add(20, " " + host + " postfix/local[" + (pid + 11) + "]: " + q + ": to=<user" + random.nextInt(5000) + "@" + host
                + ".contoso.example>, relay=local, delay=0.4, delays=0.2/0.01/0/0.19, dsn=2.0.0, status=sent (delivered to mailbox)");
        s.add(1, " " + host + " postfix/qmgr[812]: " + q + ": removed");
        return s;
    }
}
