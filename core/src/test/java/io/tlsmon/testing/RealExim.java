package io.tlsmon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A private, real Exim (Debian's {@code exim4-daemon-heavy}, built with GnuTLS) on loopback ports,
 * for provoking real TLS negotiation outcomes in both directions and reading the mainlog Exim
 * writes itself.
 *
 * <p>The binary is unpacked, not installed, by {@code .ci/install-exim.sh} into {@link #ROOT}.
 * Config, spool, certificates and the mainlog live in one temp directory. One daemon listens on
 * every {@link Listener} port; the TLS settings of each are chosen by {@code $received_port} in
 * the expanded options. Outbound, the same instance delivers each {@link ClientRoute}'s domain
 * to one of its own listeners, so both sides of a delivery are logged; a message that arrives over
 * SMTP is dropped (:blackhole:), so nothing loops.
 *
 * <p>Root matters: Exim 4.96 keeps its privileges for {@code -C} only when root calls it (Debian
 * sets no ALT_CONFIG_PREFIX; its TRUSTED_CONFIG_LIST, /etc/exim4/trusted_configs, is read only
 * for calls by the exim user), and then only for a config owned by root and writable by no one
 * else. Processes Exim re-executes itself as the exim user lose that privilege and say so in the
 * log ({@code exim user lost privilege for using -C option}); they only deliver, which needs none.
 */
public final class RealExim implements AutoCloseable {

    public static final Path ROOT = Paths.get("/opt/tlsmon-mta/exim");
    public static final String HOSTNAME = "mx.tlsmon.test";
    /** smtp_receive_timeout: the handshake-timeout scenario waits this long, twice. */
    public static final int RECEIVE_TIMEOUT_SECONDS = 3;
    /** GnuTLS priority of the TLS 1.2+ listeners: also Exim's default minus TLS 1.0 and 1.1. */
    static final String MODERN = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
    /** GnuTLS 3.7.9 (bookworm) still has TLS 1.0 and 1.1 in NORMAL and no system crypto policy: no %PROFILE_LOW needed. */
    static final String LEGACY = "NORMAL:+VERS-TLS1.1:+VERS-TLS1.0";
    /** TLS 1.2 with ECDHE-RSA and AES-256-GCM only. */
    static final String ONE_SUITE = "NONE:+VERS-TLS1.2:+ECDHE-RSA:+AES-256-GCM:+AEAD:+SIGN-ALL:+GROUP-ALL:+COMP-NULL:+CTYPE-X509";
    /** An OpenSSL name of a TLS 1.2 suite the ONE_SUITE listener lacks (for openssl s_client). */
    public static final String CLIENT_ONLY_CIPHER = "AES128-SHA256";
    /** The same kind of suite in GnuTLS words: RSA key exchange, AES-128-CBC (for Exim's own client side). */
    static final String CLIENT_ONLY_SUITE = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:-KX-ALL:+RSA";

    /** Which certificate a listener presents. */
    enum ServerCert {
        VALID(TestCertificates::valid),
        EXPIRED(TestCertificates::expired),
        OTHER_NAME(TestCertificates::otherName),
        SELF_SIGNED(TestCertificates::selfSigned),
        MISMATCHED_KEY(TestCertificates::mismatchedKey);

        private final Function<TestCertificates, TestCertificates.Pair> pick;

        ServerCert(Function<TestCertificates, TestCertificates.Pair> pick) {
            this.pick = pick;
        }
    }

    /** The daemon's listeners, one loopback port each. */
    public enum Listener {
        /** TLS 1.2+ only, opportunistic, a certificate our CA signed for the host name. */
        TLS12_ONLY(MODERN, ServerCert.VALID, true, false),
        /** Still accepts TLS 1.0 and 1.1. */
        LEGACY_TLS(LEGACY, ServerCert.VALID, true, false),
        /** TLS 1.2 with one suite, so a client offering only others shares none. */
        ONE_CIPHER(ONE_SUITE, ServerCert.VALID, true, false),
        /** MAIL is refused until TLS is up (an ACL: Exim has no option of its own for it). */
        TLS_REQUIRED(MODERN, ServerCert.VALID, true, true),
        /** STARTTLS not offered at all. */
        NO_TLS(MODERN, ServerCert.VALID, false, false),
        /** Its own certificate and key do not belong together, so it cannot start TLS. */
        BROKEN_OWN_CERT(MODERN, ServerCert.MISMATCHED_KEY, true, false),
        /** Presents a certificate that expired in 2020. */
        EXPIRED_CERT(MODERN, ServerCert.EXPIRED, true, false),
        /** Presents a certificate for another name. */
        OTHER_NAME_CERT(MODERN, ServerCert.OTHER_NAME, true, false),
        /** Presents a self-signed certificate. */
        SELF_SIGNED_CERT(MODERN, ServerCert.SELF_SIGNED, true, false);

        private final String priority;
        private final ServerCert cert;
        private final boolean offersTls;
        private final boolean requiresTls;

        Listener(String priority, ServerCert cert, boolean offersTls, boolean requiresTls) {
            this.priority = priority;
            this.cert = cert;
            this.offersTls = offersTls;
            this.requiresTls = requiresTls;
        }
    }

    /**
     * Outbound policies, one router and smtp transport each: mail to {@code probe@<domain>} goes
     * to the listener named here, with these transport options.
     */
    public enum ClientRoute {
        OPPORTUNISTIC("ok.test", Listener.TLS12_ONLY),
        VERIFIED("verified.test", Listener.TLS12_ONLY, "hosts_require_tls = *", "tls_verify_hosts = *",
                "tls_verify_certificates = ${ca}"),
        TLS1_ONLY_TO_LEGACY("tls1.test", Listener.LEGACY_TLS, "hosts_require_tls = *",
                "tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.0"),
        TLS11_ONLY_TO_LEGACY("tls11.test", Listener.LEGACY_TLS, "hosts_require_tls = *",
                "tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.1"),
        TLS1_ONLY_TO_MODERN("tls1-rejected.test", Listener.TLS12_ONLY, "hosts_require_tls = *",
                "tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.0"),
        OTHER_CIPHER_ONLY("nocipher.test", Listener.ONE_CIPHER, "hosts_require_tls = *",
                "tls_require_ciphers = " + CLIENT_ONLY_SUITE),
        REQUIRE_TLS_TO_PLAIN("notls.test", Listener.NO_TLS, "hosts_require_tls = *"),
        OPPORTUNISTIC_TO_PLAIN("plain-ok.test", Listener.NO_TLS),
        AVOID_TLS_TO_REQUIRED("plain.test", Listener.TLS_REQUIRED, "hosts_avoid_tls = *"),
        VERIFY_SELF_SIGNED("untrusted.test", Listener.SELF_SIGNED_CERT, "hosts_require_tls = *",
                "tls_verify_hosts = *", "tls_verify_certificates = ${ca}"),
        VERIFY_EXPIRED("expired.test", Listener.EXPIRED_CERT, "hosts_require_tls = *",
                "tls_verify_hosts = *", "tls_verify_certificates = ${ca}"),
        VERIFY_OTHER_NAME("mismatch.test", Listener.OTHER_NAME_CERT, "hosts_require_tls = *",
                "tls_verify_hosts = *", "tls_verify_certificates = ${ca}"),
        REQUIRE_TLS_TO_BROKEN_SERVER("broken-server.test", Listener.BROKEN_OWN_CERT, "hosts_require_tls = *"),
        OWN_CERT_BROKEN("own-cert.test", Listener.TLS12_ONLY, "hosts_require_tls = *",
                "tls_certificate = ${mismatched.cert}", "tls_privatekey = ${mismatched.key}"),
        REQUIRE_OCSP("ocsp.test", Listener.TLS12_ONLY, "hosts_require_tls = *", "hosts_require_ocsp = *",
                "tls_verify_certificates = ${ca}"),
        /** To the test's own peer, which agrees to STARTTLS and then misbehaves ({@link MisbehavingPeer}). */
        TO_MISBEHAVING_PEER("peer.test", null, "hosts_require_tls = *",
                "command_timeout = " + RECEIVE_TIMEOUT_SECONDS + "s");

        private final String domain;
        private final Listener target;
        private final List<String> options;

        ClientRoute(String domain, Listener target, String... options) {
            this.domain = domain;
            this.target = target;
            this.options = List.of(options);
        }

        public String recipient() {
            return "probe@" + domain;
        }

        /** The listener it delivers to; null for the {@link MisbehavingPeer}. */
        public Listener target() {
            return target;
        }

        String router() {
            return "to_" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Path EXIM = ROOT.resolve("usr/sbin/exim4");

    private final Path dir;
    private final Path conf;
    private final Path spool;
    private final Path logDir;
    private final Path mainlog;
    private final Map<Listener, Integer> ports;
    private final MisbehavingPeer peer = new MisbehavingPeer();
    private TestCertificates certs;
    private Process daemon;

    private RealExim(Path dir, Map<Listener, Integer> ports) {
        this.dir = dir;
        this.conf = dir.resolve("exim.conf");
        this.spool = dir.resolve("spool");
        this.logDir = dir.resolve("log");
        this.mainlog = logDir.resolve("mainlog");
        this.ports = ports;
    }

    /** Whether this machine can run the harness: the unpacked Exim, the clients, and root. */
    public static boolean available() {
        if (!Files.isExecutable(EXIM) || !Files.isExecutable(RealPostfix.openssl())
                || !Files.isExecutable(gnutlsCli()) || !Files.isExecutable(swaks())) {
            return false;
        }
        Commands.Result id = Commands.run(Duration.ofSeconds(10), "id", "-u");
        return id.ok() && id.output().trim().equals("0");
    }

    static Path gnutlsCli() {
        return Paths.get("/usr/bin/gnutls-cli");
    }

    static Path swaks() {
        return Paths.get("/usr/bin/swaks");
    }

    /** Configures and starts a fresh instance; the caller must close it. */
    public static RealExim start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("tlsmon-exim");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Listener, Integer> ports = new EnumMap<>(Listener.class);
        for (Listener listener : Listener.values()) {
            ports.put(listener, LocalServers.freeLoopbackPort(ports.values()));
        }
        RealExim exim = new RealExim(dir, ports);
        // A JVM killed mid-test must not leave an Exim daemon running.
        Runtime.getRuntime().addShutdownHook(new Thread(exim::close, "stop-real-exim"));
        return LocalServers.startedOrClosed(exim, () -> {
            exim.configure();
            exim.launch();
        }, exim::close);
    }

    public int port(Listener listener) {
        return ports.get(listener);
    }

    MisbehavingPeer peer() {
        return peer;
    }

    Path caCert() {
        return certs.caCert();
    }

    /** Exim's version, e.g. {@code 4.96}, from {@code exim -bV}. */
    public String eximVersion() {
        String out = Commands.check(COMMAND_TIMEOUT, EXIM.toString(), "-C", conf.toString(), "-bV");
        for (String line : out.split("\n")) {
            if (line.startsWith("Exim version ")) {
                return line.split("\\s+")[2];
            }
        }
        throw new IllegalStateException("no version in exim -bV: " + out);
    }

    /** The GnuTLS that Exim runs with, e.g. {@code 3.7.9}, from its debug banner. */
    public String gnutlsVersion() {
        String out = Commands.run(COMMAND_TIMEOUT, EXIM.toString(), "-C", conf.toString(), "-d", "-bV").output();
        String[] lines = out.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("Library version: GnuTLS:")) {
                String runtime = i + 1 < lines.length && lines[i + 1].contains("Runtime:") ? lines[i + 1] : lines[i];
                String[] words = runtime.trim().split("\\s+");
                return words[words.length - 1];
            }
        }
        throw new IllegalStateException("no GnuTLS version in exim -d -bV");
    }

    /**
     * Submits a message with the null sender and delivers it at once in this process
     * ({@code -odi}), so the delivery's lines are in the log when this returns.
     */
    public void submit(ClientRoute route) {
        // A failed delivery leaves retry hints for 127.0.0.1 that would keep the next scenario from connecting.
        LocalServers.deleteRecursively(spool.resolve("db"));
        String message = "Subject: tlsmon probe " + route.name() + "\n\nprobe\n";
        Commands.Result result = Commands.run(COMMAND_TIMEOUT, message, List.of(
                EXIM.toString(), "-C", conf.toString(), "-odi", "-f", "", route.recipient()));
        if (!result.ok()) {
            throw new IllegalStateException("exim -odi failed: " + result.output());
        }
    }

    /** The log this instance writes. */
    MtaLog log() {
        return new MtaLog("Exim", mainlog, StandardCharsets.ISO_8859_1);
    }

    @Override
    public synchronized void close() {
        if (daemon != null) {
            daemon.destroy();
            try {
                if (!daemon.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            daemon = null;
        }
        peer.close();
        LocalServers.deleteRecursively(dir);
    }

    private void configure() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        certs = TestCertificates.create(dir.resolve("certs"), HOSTNAME);
        // The receiving and delivering processes run as the exim user and read the keys then.
        try (Stream<Path> files = Files.list(dir.resolve("certs"))) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        for (Path writable : List.of(Files.createDirectories(spool), Files.createDirectories(logDir))) {
            Files.setOwner(writable, users.lookupPrincipalByName("Debian-exim"));
        }
        Files.writeString(conf, config());
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private String config() {
        TestCertificates.Pair mismatched = certs.mismatchedKey();
        StringBuilder out = new StringBuilder();
        out.append(String.join("\n",
                "# private test instance written by io.tlsmon.testing.RealExim",
                // Exim re-executes itself for deliveries: the compiled-in path is not where it is.
                "exim_path = " + EXIM,
                "primary_hostname = " + HOSTNAME,
                "spool_directory = " + spool,
                "log_file_path = " + logDir + "/%slog",
                // What an admin who watches TLS would log: the cipher, peer DN and verification on
                // <= and => lines, the connection and its end, what a client did without MAIL.
                "log_selector = +tls_cipher +tls_peerdn +tls_certificate_verified +tls_sni"
                        + " +smtp_protocol_error +smtp_syntax_error +smtp_no_mail +smtp_connection"
                        + " +incoming_port +incoming_interface +outgoing_port +pid +deliver_time",
                "daemon_smtp_ports = " + String.join(" : ", ports.values().stream().map(String::valueOf).toList()),
                "local_interfaces = " + RealPostfix.LOOPBACK,
                "host_lookup =",
                "rfc1413_hosts =",
                "keep_environment =",
                "smtp_receive_timeout = " + RECEIVE_TIMEOUT_SECONDS + "s",
                "tls_advertise_hosts = " + byPort(l -> l.offersTls ? "*" : "", "*"),
                "tls_certificate = " + byPort(l -> l.cert.pick.apply(certs).cert().toString(), certs.valid().cert().toString()),
                "tls_privatekey = " + byPort(l -> l.cert.pick.apply(certs).key().toString(), certs.valid().key().toString()),
                "tls_require_ciphers = " + byPort(l -> l.priority, MODERN),
                "acl_smtp_mail = acl_check_mail",
                "acl_smtp_rcpt = acl_check_rcpt",
                "",
                "begin acl",
                "acl_check_mail:",
                "  deny condition = " + byPort(l -> l.requiresTls ? "true" : "false", "false"),
                "       !encrypted = *",
                "       message = 530 5.7.0 Must issue a STARTTLS command first",
                "  accept",
                "acl_check_rcpt:",
                "  accept",
                "",
                "begin routers",
                "arrived_over_smtp:",
                "  driver = redirect",
                "  condition = ${if def:sender_host_address}",
                "  data = :blackhole:",
                ""));
        for (ClientRoute route : ClientRoute.values()) {
            out.append(route.router()).append(":\n")
                    .append("  driver = manualroute\n")
                    .append("  domains = ").append(route.domain).append('\n')
                    .append("  transport = t_").append(route.router()).append('\n')
                    .append("  route_list = * ").append(RealPostfix.LOOPBACK).append('\n')
                    .append("  self = send\n");
        }
        out.append("\nbegin transports\n");
        for (ClientRoute route : ClientRoute.values()) {
            out.append("t_").append(route.router()).append(":\n")
                    .append("  driver = smtp\n")
                    .append("  port = ").append(route.target == null ? peer.port() : port(route.target)).append('\n');
            if (route.options.stream().noneMatch(o -> o.startsWith("command_timeout"))) {
                out.append("  command_timeout = 10s\n");
            }
            for (String option : route.options) {
                out.append("  ").append(option
                        .replace("${ca}", certs.caCert().toString())
                        .replace("${mismatched.cert}", mismatched.cert().toString())
                        .replace("${mismatched.key}", mismatched.key().toString())).append('\n');
            }
        }
        out.append("\nbegin retry\n* * F,1h,1h\n");
        return out.toString();
    }

    /** An expansion that gives each listener's value on its port, {@code otherwise} elsewhere. */
    private String byPort(Function<Listener, String> value, String otherwise) {
        String expansion = otherwise;
        for (Listener listener : Listener.values()) {
            String v = value.apply(listener);
            if (!v.equals(otherwise)) {
                expansion = "${if ==" + "{$received_port}{" + port(listener) + "}{" + v + "}{" + expansion + "}}";
            }
        }
        return expansion;
    }

    private void launch() throws IOException {
        Commands.check(COMMAND_TIMEOUT, EXIM.toString(), "-C", conf.toString(), "-bV");
        Path out = dir.resolve("daemon.out");
        daemon = new ProcessBuilder(EXIM.toString(), "-C", conf.toString(), "-bdf")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        for (Listener listener : Listener.values()) {
            while (!RealPostfix.isListening(port(listener))) {
                if (Instant.now().isAfter(deadline) || !daemon.isAlive()) {
                    throw new IllegalStateException("Exim did not listen on " + port(listener) + ": "
                            + Files.readString(out) + "\nmainlog:\n" + String.join("\n", log().lines()));
                }
                RealPostfix.sleep(100);
            }
        }
        log().await(0, lines -> lines.stream().anyMatch(l -> l.contains("daemon started")), Duration.ofSeconds(10));
    }
}
