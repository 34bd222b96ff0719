package io.tlsmon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Private, real Sendmail daemons on loopback ports, each with its own sendmail.cf built with m4
 * from Debian's cf tree, and the syslog lines they write, received by a private rsyslogd
 * ({@link SyslogNamespace}): Sendmail has no log file of its own.
 *
 * <p>Sendmail's TLS settings (protocols, ciphers, what the access map demands) apply to a whole
 * instance, so each server policy is one daemon ({@link Server}) and each client policy one
 * sendmail.cf that a delivering {@code sendmail -odi} reads ({@link ClientRoute}); a route's
 * smart host is {@code [127.0.0.1]} through a mailer whose {@code A=TCP $h port} names the target.
 * Everything lives in one directory under {@link #RUNS}, not under /tmp: Sendmail refuses
 * certificate and key files below a world-writable directory. Needs root and
 * {@code .ci/install-sendmail.sh}. {@code LogLevel=14}: handshake results need more than 8
 * (sendmail/tls.c {@code tls_get_info}), the OpenSSL error queue more than 9 ({@code tlslogerr}),
 * the peer certificate's {@code verifymsg} more than 11, verification callbacks more than 13.
 */
public final class RealSendmail implements AutoCloseable {

    public static final Path ROOT = Paths.get("/opt/tlsmon-mta/sendmail");
    static final Path RUNS = Paths.get("/opt/tlsmon-mta/sendmail-runs");
    static final Path SENDMAIL = ROOT.resolve("usr/libexec/sendmail/sendmail");
    static final Path MAKEMAP = ROOT.resolve("usr/libexec/sendmail/makemap");
    static final Path CF_TREE = ROOT.resolve("usr/share/sendmail/cf");
    public static final String HOSTNAME = "mx.tlsmon.test";
    public static final String CLIENT_HOSTNAME = "client.tlsmon.test";
    /** The syslog tag, as Debian's init script sets it ({@code -L sm-mta}). */
    public static final String TAG = "sm-mta";
    public static final String LOOPBACK = RealPostfix.LOOPBACK;
    public static final int LOG_LEVEL = 14;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** Short on purpose: the handshake-timeout scenarios wait this long. */
    public static final int STARTTLS_TIMEOUT_SECONDS = 5;
    public static final String SERVER_ONLY_CIPHER = RealPostfix.SERVER_ONLY_CIPHER;
    public static final String CLIENT_ONLY_CIPHER = RealPostfix.CLIENT_ONLY_CIPHER;
    /** OpenSSL 3 refuses TLS 1.0 and 1.1 above security level 0. */
    static final String SECLEVEL_0 = "DEFAULT:@SECLEVEL=0";
    /** A name our certificate does not carry, for the name-mismatch route. */
    public static final String OTHER_NAME = "other.tlsmon.test";

    /** Which certificate and key a server presents. */
    enum Credentials {
        /** Signed by our test CA, valid for 30 days. */
        VALID,
        /** Signed by our test CA, expired in 2020. */
        EXPIRED,
        /** The valid certificate, but its key file readable by the group: Sendmail calls it unsafe. */
        UNSAFE_KEY,
        /** No certificate at all is configured. */
        NONE
    }

    /** The server daemons, one loopback port and one sendmail.cf each. */
    public enum Server {
        /** TLS 1.2 and 1.3 only, opportunistic. */
        MODERN(Credentials.VALID, List.of(
                "confSERVER_SSL_OPTIONS", "+SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1"), List.of()),
        /** Still accepts TLS 1.0 and 1.1. */
        LEGACY(Credentials.VALID, List.of("confCIPHER_LIST", SECLEVEL_0), List.of()),
        /** TLS 1.2 only, with one cipher, so a client offering only others shares none. */
        ONE_CIPHER(Credentials.VALID, List.of(
                "confSERVER_SSL_OPTIONS", "+SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1 +SSL_OP_NO_TLSv1_3",
                "confCIPHER_LIST", SERVER_ONLY_CIPHER), List.of()),
        /** The access map requires 128 bits of encryption from every client before MAIL. */
        REQUIRES_TLS(Credentials.VALID, List.of(), List.of("TLS_Clt:" + LOOPBACK + " ENCR:128")),
        /** Offers no STARTTLS: no certificate configured. */
        NO_TLS(Credentials.NONE, List.of(), List.of()),
        /** Presents an expired certificate. */
        EXPIRED_CERT(Credentials.EXPIRED, List.of(), List.of()),
        /** Its own key file is group-readable. Started by its scenario, which needs the start's lines. */
        UNSAFE_KEY(Credentials.UNSAFE_KEY, List.of(), List.of());

        boolean startedOnDemand() {
            return credentials == Credentials.UNSAFE_KEY;
        }

        private final Credentials credentials;
        private final List<String> defines;
        private final List<String> access;

        Server(Credentials credentials, List<String> defines, List<String> access) {
            this.credentials = credentials;
            this.defines = defines;
            this.access = access;
        }

        String cfName() {
            return "server-" + name().toLowerCase().replace('_', '-');
        }
    }

    /** Whom a client route trusts. */
    enum Trust {
        /** Our test CA, which signed the servers' certificates. */
        OUR_CA,
        /** An unrelated CA: every server certificate is then untrusted. */
        OTHER_CA
    }

    /** A listener of the test's own, for the client side of misbehaving servers. */
    public enum FakeServer {
        /** Agrees to STARTTLS, then closes the connection. */
        CLOSES_AFTER_STARTTLS,
        /** Agrees to STARTTLS, then says nothing until the client gives up. */
        SILENT_AFTER_STARTTLS
    }

    /** Outbound (client) policies: one sendmail.cf each, delivering to one target. */
    public enum ClientRoute {
        OPPORTUNISTIC(Server.MODERN, Trust.OTHER_CA, List.of(), List.of()),
        VERIFIED(Server.MODERN, Trust.OUR_CA, List.of(), List.of("TLS_Srv:" + LOOPBACK + " VERIFY")),
        TLS1_TO_LEGACY(Server.LEGACY, Trust.OTHER_CA, List.of(
                "confCLIENT_SSL_OPTIONS", "+SSL_OP_NO_TLSv1_1 +SSL_OP_NO_TLSv1_2 +SSL_OP_NO_TLSv1_3",
                "confCIPHER_LIST", SECLEVEL_0), List.of()),
        TLS1_TO_MODERN(Server.MODERN, Trust.OTHER_CA, List.of(
                "confCLIENT_SSL_OPTIONS", "+SSL_OP_NO_TLSv1_1 +SSL_OP_NO_TLSv1_2 +SSL_OP_NO_TLSv1_3",
                "confCIPHER_LIST", SECLEVEL_0), List.of()),
        OTHER_CIPHER_ONLY(Server.ONE_CIPHER, Trust.OTHER_CA, List.of(
                "confCLIENT_SSL_OPTIONS", "+SSL_OP_NO_TLSv1_3",
                "confCIPHER_LIST", CLIENT_ONLY_CIPHER), List.of()),
        ENCRYPT_TO_PLAIN(Server.NO_TLS, Trust.OTHER_CA, List.of(), List.of("TLS_Srv:" + LOOPBACK + " ENCR:128")),
        PLAIN_TO_REQUIRED(Server.REQUIRES_TLS, Trust.OTHER_CA, List.of(), List.of("Try_TLS:" + LOOPBACK + " NO")),
        VERIFY_UNTRUSTED(Server.MODERN, Trust.OTHER_CA, List.of(), List.of("TLS_Srv:" + LOOPBACK + " VERIFY")),
        VERIFY_EXPIRED(Server.EXPIRED_CERT, Trust.OUR_CA, List.of(), List.of("TLS_Srv:" + LOOPBACK + " VERIFY")),
        NAME_MISMATCH(Server.MODERN, Trust.OUR_CA, List.of(),
                List.of("TLS_Srv:" + LOOPBACK + " VERIFY+CN:" + OTHER_NAME)),
        DROPPED(FakeServer.CLOSES_AFTER_STARTTLS, Trust.OTHER_CA),
        TIMED_OUT(FakeServer.SILENT_AFTER_STARTTLS, Trust.OTHER_CA);

        private final Server target;
        private final FakeServer fake;
        private final Trust trust;
        private final List<String> defines;
        private final List<String> access;

        ClientRoute(Server target, Trust trust, List<String> defines, List<String> access) {
            this.target = target;
            this.fake = null;
            this.trust = trust;
            this.defines = defines;
            this.access = access;
        }

        ClientRoute(FakeServer fake, Trust trust) {
            this.target = null;
            this.fake = fake;
            this.trust = trust;
            this.defines = List.of();
            this.access = List.of();
        }

        String cfName() {
            return "client-" + name().toLowerCase().replace('_', '-');
        }

        public String recipient() {
            return "probe@" + name().toLowerCase().replace('_', '-') + ".remote.test";
        }
    }

    private final Path dir;
    private final Map<Server, Integer> ports = new EnumMap<>(Server.class);
    private final Map<Server, Long> daemons = new EnumMap<>(Server.class);
    private final Map<FakeServer, StartTlsDropper> fakes = new EnumMap<>(FakeServer.class);
    private SyslogNamespace syslog;

    private RealSendmail(Path dir) {
        this.dir = dir;
    }

    /** Whether this machine can run the harness: the unpacked Sendmail, the tools, and root. */
    public static boolean available() {
        if (!Files.isExecutable(SENDMAIL) || !Files.isDirectory(CF_TREE) || !Files.isExecutable(RealPostfix.openssl())
                || !Files.isExecutable(Paths.get("/usr/bin/m4")) || !SyslogNamespace.available()) {
            return false;
        }
        Commands.Result id = Commands.run(Duration.ofSeconds(10), "id", "-u");
        return id.ok() && id.output().trim().equals("0");
    }

    /** Configures and starts every daemon; the caller must close the instance. */
    public static RealSendmail start() {
        Path dir;
        try {
            Files.createDirectories(RUNS);
            Files.setPosixFilePermissions(RUNS, PosixFilePermissions.fromString("rwxr-xr-x"));
            dir = Files.createTempDirectory(RUNS, "run");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RealSendmail sendmail = new RealSendmail(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(sendmail::close, "stop-real-sendmail"));
        return LocalServers.startedOrClosed(sendmail, sendmail::launch, sendmail::close);
    }

    public int port(Server server) {
        return ports.get(server);
    }

    public Path directory() {
        return dir;
    }

    /**
     * Sendmail's version as the binary reports it, e.g. {@code 8.17.1.9}. Asked inside the namespace:
     * outside it the unqualified host name makes Sendmail sleep a minute before it answers.
     */
    public String sendmailVersion() {
        Path cf = dir.resolve(Server.MODERN.cfName() + ".cf");
        String out = syslog.run(COMMAND_TIMEOUT, "", List.of(SENDMAIL.toString(), "-C", cf.toString(), "-d0.1", "-bt"))
                .output();
        for (String line : out.split("\n")) {
            if (line.startsWith("Version ")) {
                return line.substring(8).trim();
            }
        }
        throw new IllegalStateException("no version in: " + out);
    }

    /** The libssl Sendmail links is the one the openssl tool reports. */
    public static String opensslVersion() {
        return RealPostfix.opensslVersion();
    }

    /** Delivers one message over {@code route} at once ({@code -odi}), as the route's own sendmail. */
    public Commands.Result deliver(ClientRoute route) {
        String message = "From: <probe@" + CLIENT_HOSTNAME + ">\nSubject: tlsmon probe " + route.name()
                + "\n\nprobe\n";
        return syslog.run(COMMAND_TIMEOUT, message, List.of(SENDMAIL.toString(), "-L", TAG,
                "-C", dir.resolve(route.cfName() + ".cf").toString(), "-odi", "-oi",
                "-f", "probe@" + CLIENT_HOSTNAME, route.recipient()));
    }

    /** The log this instance writes. */
    MtaLog log() {
        return new MtaLog("Sendmail", syslog.log(), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        for (Long pid : daemons.values()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        daemons.clear();
        fakes.values().forEach(StartTlsDropper::close);
        fakes.clear();
        if (syslog != null) {
            // the daemons' last words must still reach the log before rsyslogd goes
            RealPostfix.sleep(200);
            syslog.close();
            syslog = null;
        }
        LocalServers.deleteRecursively(dir);
    }

    private void launch() throws IOException {
        makeCertificates();
        Collection<Integer> taken = new ArrayList<>();
        for (Server server : Server.values()) {
            int port = LocalServers.freeLoopbackPort(taken);
            taken.add(port);
            ports.put(server, port);
        }
        for (FakeServer fake : FakeServer.values()) {
            fakes.put(fake, StartTlsDropper.start(fake, Duration.ofSeconds(STARTTLS_TIMEOUT_SECONDS + 2)));
        }
        for (Server server : Server.values()) {
            writeServerCf(server);
        }
        for (ClientRoute route : ClientRoute.values()) {
            writeClientCf(route);
        }
        syslog = SyslogNamespace.start(dir, "host." + HOSTNAME);
        for (Server server : Server.values()) {
            if (!server.startedOnDemand()) {
                startDaemon(server);
            }
        }
    }

    /** Starts {@code server}'s daemon and waits until it listens. */
    public synchronized void startDaemon(Server server) {
        Path cf = dir.resolve(server.cfName() + ".cf");
        Commands.Result started = syslog.run(COMMAND_TIMEOUT, null,
                List.of(SENDMAIL.toString(), "-L", TAG, "-C", cf.toString(), "-bd"));
        if (!started.ok()) {
            throw new IllegalStateException("sendmail -bd " + server + ": " + started.output());
        }
        Instant deadline = Instant.now().plusSeconds(20);
        Path pidFile = dir.resolve(server.cfName() + ".pid");
        try {
            while (!Files.exists(pidFile) || Files.size(pidFile) == 0 || !isListening(port(server))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Sendmail " + server + " did not listen on " + port(server)
                            + "; log:\n" + String.join("\n", log().lines()));
                }
                RealPostfix.sleep(50);
            }
            daemons.put(server, Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void makeCertificates() throws IOException {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        Files.createDirectories(pki.resolve("issued"));
        Files.writeString(pki.resolve("index.txt"), "");
        Files.writeString(pki.resolve("serial"), "1000\n");
        Files.writeString(pki.resolve("ca.cnf"), String.join("\n",
                "[ca]", "default_ca = tlsmon",
                "[tlsmon]", "database = " + pki.resolve("index.txt"), "new_certs_dir = " + pki.resolve("issued"),
                "serial = " + pki.resolve("serial"), "default_md = sha256", "policy = any",
                "copy_extensions = copy", "unique_subject = no",
                "[any]", "commonName = supplied", ""));
        for (String ca : List.of("ca", "other-ca")) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                    "-keyout", pki.resolve(ca + ".key").toString(), "-out", pki.resolve(ca + ".pem").toString(),
                    "-subj", "/CN=tlsmon test " + ca);
        }
        issue(pki, "server", null, null);
        issue(pki, "expired", "20200101000000Z", "20200201000000Z");
        Files.copy(pki.resolve("server.key"), pki.resolve("unsafe.key"));
        Files.setPosixFilePermissions(pki.resolve("unsafe.key"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createDirectories(pki.resolve("capath"));
    }

    private void issue(Path pki, String name, String start, String end) {
        openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", pki.resolve(name + ".key").toString(),
                "-out", pki.resolve(name + ".csr").toString(), "-subj", "/CN=" + HOSTNAME,
                "-addext", "subjectAltName=DNS:" + HOSTNAME);
        List<String> sign = new ArrayList<>(List.of("ca", "-batch", "-notext", "-config", pki.resolve("ca.cnf").toString(),
                "-cert", pki.resolve("ca.pem").toString(), "-keyfile", pki.resolve("ca.key").toString(),
                "-in", pki.resolve(name + ".csr").toString(), "-out", pki.resolve(name + ".pem").toString()));
        if (start != null) {
            sign.addAll(List.of("-startdate", start, "-enddate", end));
        } else {
            sign.addAll(List.of("-days", "30"));
        }
        openssl(sign.toArray(String[]::new));
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(RealPostfix.openssl().toString());
        command.addAll(List.of(args));
        Commands.check(COMMAND_TIMEOUT, command.toArray(String[]::new));
    }

    private void writeServerCf(Server server) throws IOException {
        Path pki = dir.resolve("pki");
        List<String> defines = new ArrayList<>(common(server.cfName(), HOSTNAME));
        defines.add(define("confDELIVERY_MODE", "queueonly"));
        switch (server.credentials) {
            case VALID -> defines.addAll(certificate(pki, "server.pem", "server.key"));
            case EXPIRED -> defines.addAll(certificate(pki, "expired.pem", "expired.key"));
            case UNSAFE_KEY -> defines.addAll(certificate(pki, "server.pem", "unsafe.key"));
            case NONE -> { }
        }
        defines.addAll(pairs(server.defines));
        defines.add("DAEMON_OPTIONS(`Port=" + port(server) + ", Addr=" + LOOPBACK + ", Name=MTA')dnl");
        List<String> access = new ArrayList<>(List.of("Connect:" + LOOPBACK + " RELAY"));
        access.addAll(server.access);
        writeCf(server.cfName(), defines, access, "");
    }

    private void writeClientCf(ClientRoute route) throws IOException {
        Path pki = dir.resolve("pki");
        List<String> defines = new ArrayList<>(common(route.cfName(), CLIENT_HOSTNAME));
        defines.add(define("confCACERT_PATH", pki.resolve("capath").toString()));
        defines.add(define("confCACERT", pki.resolve(route.trust == Trust.OUR_CA ? "ca.pem" : "other-ca.pem").toString()));
        defines.addAll(pairs(route.defines));
        defines.add(define("SMART_HOST", "tlsmon:[" + LOOPBACK + "]"));
        int port = route.target != null ? port(route.target) : fakes.get(route.fake).port();
        // The smart host's port comes from the mailer: Sendmail's routes name no ports.
        String mailer = "Mtlsmon, P=[IPC], F=mDFMuXa, S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP, E=\\r\\n, L=990,\n"
                + "\t\tT=DNS/RFC822/SMTP, A=TCP $h " + port + "\n";
        writeCf(route.cfName(), defines, route.access, mailer);
    }

    /** What every instance shares: names, files, log level, and no state kept between deliveries. */
    private List<String> common(String name, String hostName) {
        return List.of(
                define("confDOMAIN_NAME", hostName),
                define("confLOG_LEVEL", Integer.toString(LOG_LEVEL)),
                define("QUEUE_DIR", dir.resolve(name + ".queue").toString()),
                define("confPID_FILE", dir.resolve(name + ".pid").toString()),
                define("confDONT_PROBE_INTERFACES", "True"),
                define("confTO_STARTTLS", STARTTLS_TIMEOUT_SECONDS + "s"),
                define("confTO_CONNECT", "10s"),
                define("confTO_INITIAL", "10s"),
                define("confHOST_STATUS_DIRECTORY", ""),
                define("confSTATUS_FILE", ""),
                define("ALIAS_FILE", ""),
                define("confDOUBLE_BOUNCE_ADDRESS", ""),
                define("confPRIVACY_FLAGS", "goaway"),
                define("confDEF_USER_ID", "mail:mail"),
                define("confAUTH_MECHANISMS", ""),
                // the probes' sender domain does not resolve: that must not be what rejects them
                "FEATURE(`accept_unresolvable_domains')dnl",
                "FEATURE(`no_default_msa')dnl",
                "FEATURE(`access_db', `hash -T<TMPF> " + dir.resolve(name + ".access") + "')dnl");
    }

    private static List<String> certificate(Path pki, String cert, String key) {
        return List.of(
                define("confCACERT_PATH", pki.resolve("capath").toString()),
                define("confCACERT", pki.resolve("ca.pem").toString()),
                define("confSERVER_CERT", pki.resolve(cert).toString()),
                define("confSERVER_KEY", pki.resolve(key).toString()));
    }

    private void writeCf(String name, List<String> defines, List<String> access, String mailers) throws IOException {
        Path queue = Files.createDirectories(dir.resolve(name + ".queue"));
        Files.setPosixFilePermissions(queue, PosixFilePermissions.fromString("rwx------"));
        StringBuilder mc = new StringBuilder();
        mc.append("divert(-1)\n# private test instance written by io.tlsmon.testing.RealSendmail\ndivert(0)dnl\n");
        mc.append("include(`").append(CF_TREE.resolve("m4/cf.m4")).append("')dnl\n");
        mc.append("VERSIONID(`tlsmon ").append(name).append("')dnl\n");
        mc.append("OSTYPE(`linux')dnl\n");
        defines.forEach(d -> mc.append(d).append('\n'));
        mc.append("MAILER(`smtp')dnl\n");
        if (!mailers.isEmpty()) {
            mc.append("MAILER_DEFINITIONS\n").append(mailers);
        }
        Path mcFile = dir.resolve(name + ".mc");
        Files.writeString(mcFile, mc.toString());
        Path cf = dir.resolve(name + ".cf");
        // m4's warnings go to stderr, which must not end up in the .cf
        Commands.Result m4 = Commands.run(COMMAND_TIMEOUT, "/bin/sh", "-c", "/usr/bin/m4 \"$0\" > \"$1\"",
                mcFile.toString(), cf.toString());
        if (!m4.ok() || !m4.output().isBlank()) {
            throw new IllegalStateException("m4 " + mcFile + ": " + m4.output());
        }
        Path accessFile = dir.resolve(name + ".access");
        Files.writeString(accessFile, String.join("\n", access) + "\n");
        Commands.Result map = Commands.run(COMMAND_TIMEOUT, String.join("\n", access) + "\n",
                List.of(MAKEMAP.toString(), "-C", cf.toString(), "hash", accessFile.toString()));
        if (!map.ok()) {
            throw new IllegalStateException("makemap " + accessFile + ": " + map.output());
        }
    }

    private static String define(String name, String value) {
        return "define(`" + name + "', `" + value + "')dnl";
    }

    private static List<String> pairs(List<String> nameValues) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < nameValues.size(); i += 2) {
            out.add(define(nameValues.get(i), nameValues.get(i + 1)));
        }
        return out;
    }

    private static boolean isListening(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(LOOPBACK), port));
            return false;
        } catch (java.net.BindException taken) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
