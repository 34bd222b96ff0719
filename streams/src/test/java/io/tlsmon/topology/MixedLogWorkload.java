package io.tlsmon.topology;

import io.tlsmon.logs.syslog.SyslogLine;
import io.tlsmon.logs.syslog.SyslogParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A generated, deterministic mail-flow workload for the differential test of the engine: seven
 * servers writing Exchange receive and send logs, Postfix logs in RFC 3164, RFC 5424 and ISO
 * syslog, a Sendmail log and an Exim mainlog, at once, with rotated files, sessions interleaved in
 * each log, lines a little out of order, other programs' lines, garbage, a server whose clock runs
 * seven minutes behind the others, a line dated 2099 and a log whose clock jumps back an hour.
 *
 * <p>Composed by the tlsmon project: the sessions are the project's own fixtures
 * ({@code core/src/test/resources/fixtures}, themselves composed from the documented formats or
 * captured from a real Postfix), re-timed, re-numbered, given other senders' addresses and written
 * in each server's envelope. Lines come out merged across servers in time order, as
 * {@code tlsmon replay} sends them.
 */
public final class MixedLogWorkload {
    static final Instant START = Instant.parse("2025-03-03T08:00:00Z");
    static final String EXCHANGE_FIELDS =
            "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context";

    /** One line of one log as a shipper would send it. */
    public record Line(String sourceHost, String logKind, String file, long lineNumber, String text, long arrival) {
        public String streamKey() {
            return sourceHost + '|' + logKind;
        }
    }

    /** The lines of one session of a fixture, with their offsets from its first line. */
    private record Template(Kind kind, List<String> lines, List<Long> offsets) {
    }

    private enum Kind { EXCHANGE_RECEIVE, EXCHANGE_SEND, POSTFIX, SENDMAIL, EXIM }

    private enum Envelope { RFC3164, ISO, RFC5424, EXIM_MAINLOG, EXCHANGE }

    /** One server's log: what it writes and how. */
    private static final class Server {
        final String host;
        final String logKind;
        final Envelope envelope;
        final List<Template> templates;
        final long meanGapMs;
        final long clockSkewMs;
        final String[] files;
        int file;
        long linesInFile;
        long lineNumber;
        long pid = 20_000;
        long next;
        final List<Line> pending = new ArrayList<>();

        Server(String host, String logKind, Envelope envelope, List<Template> templates, long meanGapMs, long clockSkewMs,
               String... files) {
            this.host = host;
            this.logKind = logKind;
            this.envelope = envelope;
            this.templates = templates;
            this.meanGapMs = meanGapMs;
            this.clockSkewMs = clockSkewMs;
            this.files = files;
        }
    }

    private static final Pattern BRACKET_IP = Pattern.compile("\\[(\\d{1,3}(?:\\.\\d{1,3}){3})\\]");
    private static final Pattern EXIM_LINE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) (?:\\[(\\d+)\\] )?(.*)$");
    private static final DateTimeFormatter EXIM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter BSD = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXCHANGE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final SplittableRandom random;
    private final List<Server> servers = new ArrayList<>();
    private final int senders;
    private final Instant start;

    /**
     * @param fixtures core's fixture folder
     * @param senders  distinct inbound sender addresses (a few of them send most of the mail)
     */
    public MixedLogWorkload(Path fixtures, long seed, int senders) {
        this(fixtures, seed, senders, START);
    }

    /**
     * As above, with the logs starting at {@code start}: a live test near the wall clock needs lines
     * whose yearless syslog times a shipper dates to the right year.
     */
    public MixedLogWorkload(Path fixtures, long seed, int senders, Instant start) {
        this.random = new SplittableRandom(seed);
        this.senders = senders;
        this.start = start;
        Map<Kind, List<Template>> t = templates(fixtures);
        String exDir = "D:\\Exchange\\TransportRoles\\Logs\\FrontEnd\\ProtocolLog\\";
        // each Exchange server writes a receive and a send log: two writers, one stream key (host|exchange)
        servers.add(new Server("ex1", "exchange", Envelope.EXCHANGE, t.get(Kind.EXCHANGE_RECEIVE), 400, 0,
                exDir + "SmtpReceive\\RECV2025030308-1.LOG", exDir + "SmtpReceive\\RECV2025030308-2.LOG"));
        servers.add(new Server("ex1", "exchange", Envelope.EXCHANGE, t.get(Kind.EXCHANGE_SEND), 900, 0,
                exDir + "SmtpSend\\SEND2025030308-1.LOG", exDir + "SmtpSend\\SEND2025030309-1.LOG"));
        servers.add(new Server("ex2", "exchange", Envelope.EXCHANGE, t.get(Kind.EXCHANGE_RECEIVE), 700, 0,
                exDir + "SmtpReceive\\RECV2025030308-1.LOG", exDir + "SmtpReceive\\RECV2025030309-1.LOG"));
        servers.add(new Server("ex2", "exchange", Envelope.EXCHANGE, t.get(Kind.EXCHANGE_SEND), 1100, 0,
                exDir + "SmtpSend\\SEND2025030308-1.LOG", exDir + "SmtpSend\\SEND2025030309-1.LOG"));
        servers.add(new Server("mx1", "postfix", Envelope.RFC3164, t.get(Kind.POSTFIX), 300, 0,
                "/var/log/mail.log.1", "/var/log/mail.log"));
        servers.add(new Server("mx2", "postfix", Envelope.RFC5424, t.get(Kind.POSTFIX), 450, 0,
                "/var/log/remote/mx2.log.1", "/var/log/remote/mx2.log"));
        servers.add(new Server("mx3", "postfix", Envelope.ISO, t.get(Kind.POSTFIX), 500, -7 * 60_000L,
                "/var/log/mail.log.1", "/var/log/mail.log"));
        servers.add(new Server("relay1", "sendmail", Envelope.RFC3164, t.get(Kind.SENDMAIL), 900, 0,
                "/var/log/maillog.1", "/var/log/maillog"));
        servers.add(new Server("mx4", "exim", Envelope.EXIM_MAINLOG, t.get(Kind.EXIM), 800, 0,
                "/var/log/exim4/mainlog.1", "/var/log/exim4/mainlog"));
    }

    /** About {@code lines} lines of all servers, merged in time order. */
    public List<Line> generate(long lines) {
        long perServer = lines / servers.size();
        for (Server s : servers) {
            s.next = start.toEpochMilli() + random.nextLong(s.meanGapMs);
            write(s, perServer);
        }
        // merged in arrival order across servers (ties: server order), each log kept in its own order
        PriorityQueue<int[]> heads = new PriorityQueue<>(Comparator.<int[]>comparingLong(h -> servers.get(h[0]).pending.get(h[1]).arrival())
                .thenComparingInt(h -> h[0]));
        for (int i = 0; i < servers.size(); i++) {
            if (!servers.get(i).pending.isEmpty()) {
                heads.add(new int[] {i, 0});
            }
        }
        List<Line> out = new ArrayList<>();
        while (!heads.isEmpty()) {
            int[] h = heads.poll();
            List<Line> p = servers.get(h[0]).pending;
            out.add(p.get(h[1]));
            if (h[1] + 1 < p.size()) {
                heads.add(new int[] {h[0], h[1] + 1});
            }
        }
        return out;
    }

    /** Every stream key, in a fixed order. */
    public List<String> streamKeys() {
        return servers.stream().map(s -> s.host + '|' + s.logKind).distinct().toList();
    }

    private void write(Server s, long lines) {
        // Sessions start on a random schedule; their lines are laid out by their template's offsets,
        // so several are open at once and their lines interleave.
        List<long[]> timed = new ArrayList<>(); // [time, order] parallel to texts
        List<String> texts = new ArrayList<>();
        long order = 0;
        long produced = 0;
        while (produced < lines) {
            Template tpl = s.templates.get(random.nextInt(s.templates.size()));
            long start = s.next;
            s.next += 1 + random.nextLong(2 * s.meanGapMs);
            String sessionId = sessionId(s);
            String ip = senderIp();
            for (int i = 0; i < tpl.lines().size(); i++) {
                long t = start + tpl.offsets().get(i);
                texts.add(render(s, tpl, tpl.lines().get(i), t + s.clockSkewMs, sessionId, ip));
                timed.add(new long[] {t, order++});
                produced++;
            }
            if (s.host.equals("mx1") && random.nextInt(40) == 0) {
                texts.add(syslog(s, start + 3, "CRON", "(root) CMD (run-parts /etc/cron.hourly)", 991));
                timed.add(new long[] {start + 3, order++});
                texts.add(syslog(s, start + 4, "dovecot", "imap-login: Login: user=<ann>, method=PLAIN, rip=192.0.2.200", 992));
                timed.add(new long[] {start + 4, order++});
                produced += 2;
            }
        }
        Integer[] idx = new Integer[texts.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, Comparator.<Integer>comparingLong(i -> timed.get(i)[0]).thenComparingLong(i -> timed.get(i)[1]));
        List<String> ordered = new ArrayList<>(idx.length);
        List<Long> times = new ArrayList<>(idx.length);
        for (Integer i : idx) {
            ordered.add(texts.get(i));
            times.add(timed.get(i)[0]);
        }
        // a little out of order, as a shipper reading two buffers sees it: within a second, so within the close grace
        for (int i = 1; i < ordered.size(); i++) {
            if (random.nextInt(50) == 0 && times.get(i) - times.get(i - 1) < 1_000) {
                java.util.Collections.swap(ordered, i - 1, i);
                java.util.Collections.swap(times, i - 1, i);
            }
        }
        long jumpAt = s.host.equals("relay1") ? ordered.size() * 6L / 10 : -1;
        long futureAt = s.host.equals("mx1") ? ordered.size() / 2 : -1;
        long garbageEvery = s.envelope == Envelope.RFC3164 ? 5_000 : -1;
        s.file = 0;
        startFile(s, times.isEmpty() ? start.toEpochMilli() : times.get(0));
        for (int i = 0; i < ordered.size(); i++) {
            long arrival = times.get(i) + 500; // read half a second after it was written
            String text = ordered.get(i);
            if (i == futureAt) {
                // a server that logged one line with its clock set 74 years ahead (ISO, so the year is in the line)
                emit(s, "2099-01-01T00:00:00.000000+00:00 " + s.host + " postfix/smtpd[993]: connect from future.example[192.0.2.199]", arrival);
            }
            if (jumpAt >= 0 && i >= jumpAt) {
                // the server's clock was set back an hour: it writes earlier times from here on
                text = retimeSyslog(text, -3_600_000L);
            }
            if (garbageEvery > 0 && i > 0 && i % garbageEvery == 0) {
                emit(s, "** truncated line from a broken relay", arrival);
            }
            emit(s, text, arrival);
            if (s.file + 1 < s.files.length && s.linesInFile >= ordered.size() / s.files.length) {
                s.file++;
                startFile(s, times.get(i));
            }
        }
    }

    private void startFile(Server s, long time) {
        s.linesInFile = 0;
        s.lineNumber = 0;
        if (s.envelope == Envelope.EXCHANGE) {
            boolean send = s.files[s.file].contains("SEND");
            emit(s, "#Software: Microsoft Exchange Server", time);
            emit(s, "#Version: 15.2.1544.4", time);
            emit(s, "#Log-type: SMTP " + (send ? "Send" : "Receive") + " Protocol Log", time);
            emit(s, "#Date: " + EXCHANGE_TIME.format(Instant.ofEpochMilli(time)), time);
            emit(s, EXCHANGE_FIELDS, time);
        }
    }

    private static void emit(Server s, String text, long arrival) {
        s.linesInFile++;
        s.pending.add(new Line(s.host, s.logKind, s.files[s.file], ++s.lineNumber, text, arrival));
    }

    private String sessionId(Server s) {
        s.pid++;
        return s.envelope == Envelope.EXCHANGE ? String.format(Locale.ROOT, "08DD%012X", s.pid * 7919 + s.host.hashCode() & 0xffffffffL)
                : Long.toString(s.pid);
    }

    /** A heavy head: a few senders send most sessions. */
    private String senderIp() {
        int n = (int) Math.min(senders - 1, Math.floor(Math.pow(random.nextDouble(), 3) * senders));
        return "198.18." + (n / 250) + '.' + (1 + n % 250);
    }

    private String render(Server s, Template tpl, String line, long t, String sessionId, String ip) {
        switch (s.envelope) {
            case EXCHANGE -> {
                String[] f = line.split(",", 7);
                // date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,rest
                String remote = f[5];
                if (tpl.kind() == Kind.EXCHANGE_RECEIVE && remote.indexOf(':') > 0) {
                    remote = ip + remote.substring(remote.lastIndexOf(':'));
                }
                return EXCHANGE_TIME.format(Instant.ofEpochMilli(t)) + ',' + f[1] + ',' + sessionId + ',' + f[3] + ',' + f[4]
                        + ',' + remote + ',' + (f.length > 6 ? f[6] : "");
            }
            case EXIM_MAINLOG -> {
                Matcher m = EXIM_LINE.matcher(line);
                if (!m.matches()) {
                    return line;
                }
                return EXIM_TIME.format(LocalDateTime.ofEpochSecond(Math.floorDiv(t, 1000), 0, ZoneOffset.UTC))
                        + " [" + sessionId + "] " + withIp(m.group(3), ip);
            }
            default -> {
                String[] progAndMsg = line.split("\u0000", 2);
                return syslog(s, t, progAndMsg[0], withIp(progAndMsg[1], ip), Long.parseLong(sessionId));
            }
        }
    }

    private static String withIp(String message, String ip) {
        Matcher m = BRACKET_IP.matcher(message);
        while (m.find()) {
            if (!m.group(1).startsWith("10.")) {
                return message.substring(0, m.start(1)) + ip + message.substring(m.end(1));
            }
        }
        return message;
    }

    private static String syslog(Server s, long t, String program, String message, long pid) {
        Instant at = Instant.ofEpochMilli(t);
        return switch (s.envelope) {
            case RFC5424 -> "<22>1 " + ISO_MICROS.format(at) + ' ' + s.host + ' ' + program + ' ' + pid + " - - " + message;
            case ISO -> ISO_MICROS.format(at) + ' ' + s.host + ' ' + program + '[' + pid + "]: " + message;
            default -> BSD.format(at) + ' ' + s.host + ' ' + program + '[' + pid + "]: " + message;
        };
    }

    /** An RFC 3164 line {@code by} later (negative: earlier). */
    private static String retimeSyslog(String line, long by) {
        LocalDateTime t = LocalDateTime.parse("2025 " + line.substring(0, 15), DateTimeFormatter.ofPattern("yyyy MMM ppd HH:mm:ss", Locale.ROOT));
        return BSD.format(t.toInstant(ZoneOffset.UTC).plusMillis(by)) + line.substring(15);
    }

    // ---------------------------------------------------------------- templates from the fixtures

    private static Map<Kind, List<Template>> templates(Path fixtures) {
        Map<Kind, List<Template>> out = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            out.put(k, new ArrayList<>());
        }
        for (Path f : files(fixtures.resolve("exchange"))) {
            String name = f.getFileName().toString();
            if (name.endsWith(".LOG") && !name.startsWith("RECV2014")) {
                exchangeTemplates(f, name.startsWith("SEND") ? Kind.EXCHANGE_SEND : Kind.EXCHANGE_RECEIVE, out);
            }
        }
        for (String dir : List.of("postfix", "postfix-captured")) {
            for (Path f : files(fixtures.resolve(dir))) {
                if (f.toString().endsWith(".log")) {
                    syslogTemplates(f, Kind.POSTFIX, out);
                }
            }
        }
        syslogTemplates(fixtures.resolve("sendmail/sendmail.log"), Kind.SENDMAIL, out);
        eximTemplates(fixtures.resolve("exim/mainlog"), out);
        return out;
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void exchangeTemplates(Path f, Kind kind, Map<Kind, List<Template>> out) {
        Map<String, List<String>> bySession = new LinkedHashMap<>();
        for (String l : read(f)) {
            if (l.startsWith("#") || l.isBlank()) {
                continue;
            }
            String[] c = l.split(",", 4);
            bySession.computeIfAbsent(c[2], k -> new ArrayList<>()).add(l);
        }
        for (List<String> lines : bySession.values()) {
            long first = Instant.parse(lines.get(0).substring(0, lines.get(0).indexOf(','))).toEpochMilli();
            List<Long> offsets = lines.stream().map(l -> Instant.parse(l.substring(0, l.indexOf(','))).toEpochMilli() - first).toList();
            out.get(kind).add(new Template(kind, lines, offsets));
        }
    }

    private static void syslogTemplates(Path f, Kind kind, Map<Kind, List<Template>> out) {
        SyslogParser parser = new SyslogParser(ZoneOffset.UTC, Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, List<Long>> times = new LinkedHashMap<>();
        for (String l : read(f)) {
            if (l.startsWith("#") || l.isBlank() || !parser.parse(l)) {
                continue;
            }
            SyslogLine s = parser.line();
            if (!s.hasProgram()) {
                continue;
            }
            String key = s.program() + '[' + s.pid() + ']';
            lines.computeIfAbsent(key, k -> new ArrayList<>()).add(s.program() + '\u0000' + s.message());
            times.computeIfAbsent(key, k -> new ArrayList<>()).add(s.time());
        }
        lines.forEach((key, l) -> {
            List<Long> t = times.get(key);
            long first = t.get(0);
            out.get(kind).add(new Template(kind, l, t.stream().map(x -> Math.max(0, x - first)).toList()));
        });
    }

    private static void eximTemplates(Path f, Map<Kind, List<Template>> out) {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, List<Long>> times = new LinkedHashMap<>();
        int n = 0;
        for (String l : read(f)) {
            Matcher m = EXIM_LINE.matcher(l);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(2) != null ? m.group(2) : "line" + n++;
            lines.computeIfAbsent(key, k -> new ArrayList<>()).add(l);
            times.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(LocalDateTime.parse(m.group(1), EXIM_TIME).toInstant(ZoneOffset.UTC).toEpochMilli());
        }
        lines.forEach((key, l) -> {
            List<Long> t = times.get(key);
            long first = t.get(0);
            out.get(Kind.EXIM).add(new Template(Kind.EXIM, l, t.stream().map(x -> Math.max(0, x - first)).toList()));
        });
    }
}
