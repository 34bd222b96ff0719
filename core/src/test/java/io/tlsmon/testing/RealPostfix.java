package io.tlsmon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A private, real Postfix instance on loopback ports, for provoking real TLS negotiation outcomes
 * and reading the log that Postfix writes itself ({@code maillog_file} through postlogd, no syslog).
 *
 * <p>Everything lives in one temp directory: config, queue, data, certificate and the maillog.
 * The instance needs root (Postfix's master runs as root and drops to the {@code postfix} user) and
 * the Debian packages installed by {@code .ci/install-postfix.sh}. All listeners bind 127.0.0.1 and
 * all deliveries go to explicit {@code [127.0.0.1]:port} next hops, so no traffic leaves the host.
 */
public final class RealPostfix implements AutoCloseable {

    public static final String HOSTNAME = "mx.tlsmon.test";
    public static final String LOOPBACK = LocalServers.LOOPBACK;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** Short on purpose: the handshake-timeout scenario waits this long. */
    public static final int STARTTLS_TIMEOUT_SECONDS = 5;
    /** The one TLS 1.2 cipher of the ONE_CIPHER listener. */
    public static final String SERVER_ONLY_CIPHER = "ECDHE-RSA-AES256-GCM-SHA384";
    /** A TLS 1.2 cipher that the ONE_CIPHER listener lacks. */
    public static final String CLIENT_ONLY_CIPHER = "AES128-SHA256";

    /** The smtpd listeners, one loopback port each, configured with master.cf {@code -o} overrides. */
    public enum Listener {
        /** (a) TLS 1.2+ only, opportunistic. Keeps the default syslog name: {@code postfix/smtpd}. */
        TLS12_ONLY(null),
        /** (b) still accepts TLSv1 and TLSv1.1 (OpenSSL 3 needs security level 0 for them). */
        LEGACY_TLS("postfix/legacytls",
                "smtpd_tls_protocols=>=TLSv1", "smtpd_tls_mandatory_protocols=>=TLSv1",
                "tls_medium_cipherlist=DEFAULT:@SECLEVEL=0"),
        /** (c) TLS required before MAIL FROM. */
        TLS_REQUIRED("postfix/tlsrequired", "smtpd_tls_security_level=encrypt"),
        /** (d) TLS 1.2 only with one cipher, so a client offering only others shares none. */
        ONE_CIPHER("postfix/onecipher", "smtpd_tls_protocols=TLSv1.2", "smtpd_tls_ciphers=high",
                "tls_high_cipherlist=" + SERVER_ONLY_CIPHER),
        /** (e) no STARTTLS offered at all. */
        NO_TLS("postfix/notls", "smtpd_tls_security_level=none"),
        /** (f) TLS offered, but RCPT refused to a plaintext session ({@code reject_plaintext_session}). */
        PLAINTEXT_REJECTED("postfix/plainreject", "smtpd_relay_restrictions=reject_plaintext_session,reject"),
        /** (g) its own private key file does not exist: smtpd disables TLS and says so once per process. */
        BROKEN_KEY("postfix/brokenkey", "smtpd_tls_key_file=${missing}"),
        /** (h) presents a certificate that expired long ago. */
        EXPIRED_CERT("postfix/expired", "smtpd_tls_cert_file=${expiredCert}", "smtpd_tls_key_file=${expiredKey}");

        private final String syslogName;
        private final List<String> overrides;

        Listener(String syslogName, String... overrides) {
            this.syslogName = syslogName;
            this.overrides = List.of(overrides);
        }

        /** The program name in this listener's log lines, e.g. {@code postfix/legacytls/smtpd}. */
        public String logProgram() {
            return (syslogName == null ? "postfix" : syslogName) + "/smtpd";
        }
    }

    /**
     * Outbound (smtp client) policies, one master.cf transport each. Mail to
     * {@code anything@<domain>} is routed by {@code transport_maps} through that transport to the
     * listener named here.
     */
    public enum ClientRoute {
        OPPORTUNISTIC("ok.test", "smtp-may", Listener.TLS12_ONLY, "smtp_tls_security_level=may"),
        TLS1_ONLY_TO_LEGACY("tls1.test", "smtp-tls1", Listener.LEGACY_TLS,
                "smtp_tls_security_level=encrypt", "smtp_tls_mandatory_protocols=TLSv1",
                "smtp_tls_mandatory_ciphers=medium", "tls_medium_cipherlist=DEFAULT:@SECLEVEL=0"),
        /** Same transport as the route above (a route without overrides reuses one). */
        TLS1_ONLY_TO_MODERN("tls1-rejected.test", "smtp-tls1", Listener.TLS12_ONLY),
        OTHER_CIPHER_ONLY("nocipher.test", "smtp-nocipher", Listener.ONE_CIPHER,
                "smtp_tls_security_level=encrypt", "smtp_tls_mandatory_protocols=TLSv1.2",
                "smtp_tls_mandatory_ciphers=medium",
                "tls_medium_cipherlist=" + CLIENT_ONLY_CIPHER),
        ENCRYPT_TO_PLAIN("notls.test", "smtp-encrypt", Listener.NO_TLS, "smtp_tls_security_level=encrypt"),
        PLAIN_TO_ENCRYPT("plain.test", "smtp-none", Listener.TLS_REQUIRED, "smtp_tls_security_level=none"),
        VERIFY_UNTRUSTED("verify.test", "smtp-verify", Listener.TLS12_ONLY, "smtp_tls_security_level=verify"),
        /** Trusts our CA, but the default secure match (nexthop 127.0.0.1) misses the certificate name. */
        SECURE_NAME_MISMATCH("mismatch.test", "smtp-secure", Listener.TLS12_ONLY,
                "smtp_tls_security_level=secure", "smtp_tls_CAfile=${cert}"),
        SECURE_VERIFIED("verified.test", "smtp-secure-ok", Listener.TLS12_ONLY,
                "smtp_tls_security_level=secure", "smtp_tls_CAfile=${cert}",
                "smtp_tls_secure_cert_match=" + HOSTNAME),
        /** Trusts the expired certificate itself, and matches its name: only its dates fail. */
        SECURE_EXPIRED("expired.test", "smtp-expired", Listener.EXPIRED_CERT,
                "smtp_tls_security_level=secure", "smtp_tls_CAfile=${expiredCert}",
                "smtp_tls_secure_cert_match=" + HOSTNAME),
        /** TLS through tlsproxy, which then logs the handshake instead of smtp (connection reuse). */
        REUSED_THROUGH_TLSPROXY("reuse.test", "smtp-reuse", Listener.TLS12_ONLY,
                "smtp_tls_security_level=encrypt", "smtp_tls_connection_reuse=yes"),
        /** TLS required, but this client's own key file does not exist. */
        BROKEN_CLIENT_KEY("clientkey.test", "smtp-brokenkey", Listener.TLS12_ONLY,
                "smtp_tls_security_level=encrypt", "smtp_tls_cert_file=${cert}", "smtp_tls_key_file=${missing}");

        private final String domain;
        private final String transport;
        private final Listener target;
        private final List<String> overrides;

        ClientRoute(String domain, String transport, Listener target, String... overrides) {
            this.domain = domain;
            this.transport = transport;
            this.target = target;
            this.overrides = List.of(overrides);
        }

        public String recipient() {
            return "probe@" + domain;
        }

        public Listener target() {
            return target;
        }
    }

    private final Path dir;
    private final Path conf;
    private final Path maillog;
    private final Map<Listener, Integer> ports;
    private boolean running;

    private RealPostfix(Path dir, Map<Listener, Integer> ports) {
        this.dir = dir;
        this.conf = dir.resolve("conf");
        this.maillog = dir.resolve("maillog");
        this.ports = ports;
    }

    /** Whether this machine can run the harness: the Postfix binary is there and we are root. */
    public static boolean available() {
        if (!Files.isExecutable(Paths.get("/usr/sbin/postfix")) || !Files.isExecutable(openssl())) {
            return false;
        }
        Commands.Result id = Commands.run(Duration.ofSeconds(10), "id", "-u");
        return id.ok() && id.output().trim().equals("0");
    }

    /** Configures and starts a fresh instance; the caller must close it. */
    public static RealPostfix start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("tlsmon-postfix");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Listener, Integer> ports = new EnumMap<>(Listener.class);
        for (Listener listener : Listener.values()) {
            ports.put(listener, LocalServers.freeLoopbackPort(ports.values()));
        }
        RealPostfix postfix = new RealPostfix(dir, ports);
        // A JVM killed mid-test must not leave a Postfix master running.
        Runtime.getRuntime().addShutdownHook(new Thread(postfix::close, "stop-real-postfix"));
        return LocalServers.startedOrClosed(postfix, () -> {
            postfix.configure();
            postfix.launch();
        }, postfix::close);
    }

    public int port(Listener listener) {
        return ports.get(listener);
    }

    public Path directory() {
        return dir;
    }

    public Path maillog() {
        return maillog;
    }

    /** Postfix's own version string, e.g. {@code 3.7.11}. */
    public String postfixVersion() {
        return Commands.check(COMMAND_TIMEOUT, "/usr/sbin/postconf", "-c", conf.toString(), "-h", "mail_version")
                .trim();
    }

    /** The OpenSSL version that the {@code openssl} tool reports (Postfix links the same libssl), e.g. {@code 3.0.22}. */
    public static String opensslVersion() {
        String[] words = Commands.check(COMMAND_TIMEOUT, openssl().toString(), "version").trim().split("\\s+");
        return words.length > 1 ? words[1] : words[0];
    }

    /** Submits a one-line message with the null sender through this instance's sendmail. */
    public void submit(ClientRoute route) {
        String message = "Subject: tlsmon probe " + route.name() + "\n\nprobe\n";
        Commands.Result result = Commands.run(COMMAND_TIMEOUT, message, List.of(
                "/usr/sbin/sendmail", "-C", conf.toString(), "-f", "", route.recipient()));
        if (!result.ok()) {
            throw new IllegalStateException("sendmail failed: " + result.output());
        }
    }

    /** The log this instance writes. */
    MtaLog log() {
        return new MtaLog("Postfix", maillog, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (running) {
            Commands.run(COMMAND_TIMEOUT, "/usr/sbin/postfix", "-c", conf.toString(), "stop");
            running = false;
        }
        LocalServers.deleteRecursively(dir);
    }

    static Path openssl() {
        return Paths.get("/usr/bin/openssl");
    }

    private void configure() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(conf);
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("postfix"));

        Path cert = conf.resolve("cert.pem");
        Path key = conf.resolve("key.pem");
        Commands.check(COMMAND_TIMEOUT, openssl().toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "30",
                "-subj", "/CN=" + HOSTNAME, "-addext", "subjectAltName=DNS:" + HOSTNAME);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        expiredCertificate();

        Files.writeString(conf.resolve("main.cf"), mainCf(queue, data, cert, key));
        Files.writeString(conf.resolve("master.cf"), masterCf(cert));
        Files.writeString(conf.resolve("transport"), transportMap());
    }

    /**
     * A certificate for {@link #HOSTNAME} valid for 30 days two years ago: OpenSSL 3.0's {@code req}
     * cannot date a certificate in the past, the JDK's keytool can ({@code -startdate}).
     */
    private void expiredCertificate() throws IOException {
        Path store = conf.resolve("expired.p12");
        String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
        Commands.check(COMMAND_TIMEOUT, keytool, "-genkeypair", "-alias", "expired", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=" + HOSTNAME, "-ext", "san=dns:" + HOSTNAME, "-startdate", "-2y", "-validity", "30",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit");
        Commands.check(COMMAND_TIMEOUT, openssl().toString(), "pkcs12", "-in", store.toString(), "-passin", "pass:changeit",
                "-nokeys", "-out", conf.resolve("expired-cert.pem").toString());
        Path key = conf.resolve("expired-key.pem");
        Commands.check(COMMAND_TIMEOUT, openssl().toString(), "pkcs12", "-in", store.toString(), "-passin", "pass:changeit",
                "-nocerts", "-nodes", "-out", key.toString());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    private String mainCf(Path queue, Path data, Path cert, Path key) {
        return String.join("\n",
                "# private test instance written by io.tlsmon.testing.RealPostfix",
                "compatibility_level = 3.6",
                "config_directory = " + conf,
                "queue_directory = " + queue,
                "data_directory = " + data,
                "maillog_file = " + maillog,
                "maillog_file_prefixes = " + dir,
                "myhostname = " + HOSTNAME,
                "mydomain = tlsmon.test",
                "myorigin = tlsmon.test",
                "mydestination =",
                "inet_interfaces = " + LOOPBACK,
                "inet_protocols = ipv4",
                "smtp_bind_address = " + LOOPBACK,
                "smtp_dns_support_level = disabled",
                "alias_maps =",
                "alias_database =",
                "biff = no",
                // Every listener refuses every recipient: a delivery must never loop back into the
                // instance, and the TLS outcome is decided before RCPT anyway.
                "smtpd_relay_restrictions = reject",
                "smtpd_tls_cert_file = " + cert,
                "smtpd_tls_key_file = " + key,
                "smtpd_tls_security_level = may",
                "smtpd_tls_protocols = >=TLSv1.2",
                "smtpd_tls_mandatory_protocols = >=TLSv1.2",
                "smtpd_tls_loglevel = 1",
                "smtpd_starttls_timeout = " + STARTTLS_TIMEOUT_SECONDS + "s",
                "smtp_tls_security_level = may",
                "smtp_tls_loglevel = 1",
                "transport_maps = texthash:" + conf.resolve("transport"),
                // Deferred probes must not be retried into a later scenario's log window.
                "queue_run_delay = 1h",
                "minimal_backoff_time = 1h",
                "maximal_backoff_time = 1h",
                "");
    }

    private String masterCf(Path cert) {
        StringBuilder out = new StringBuilder("# service type private unpriv chroot wakeup maxproc command\n");
        for (Listener listener : Listener.values()) {
            out.append(LOOPBACK).append(':').append(port(listener)).append(" inet n - n - - smtpd");
            if (listener.syslogName != null) {
                out.append(" -o syslog_name=").append(listener.syslogName);
            }
            listener.overrides.forEach(o -> out.append(" -o ").append(files(o)));
            out.append('\n');
        }
        List<String> seen = new ArrayList<>();
        for (ClientRoute route : ClientRoute.values()) {
            if (route.overrides.isEmpty() || seen.contains(route.transport)) {
                continue;
            }
            seen.add(route.transport);
            out.append(route.transport).append(" unix - - n - - smtp");
            route.overrides.forEach(o -> out.append(" -o ").append(files(o)));
            out.append('\n');
        }
        out.append("""
                pickup    unix  n       -       n       60      1       pickup
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       300     1       qmgr
                tlsmgr    unix  -       -       n       1000?   1       tlsmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                flush     unix  n       -       n       1000?   0       flush
                proxymap  unix  -       -       n       -       -       proxymap
                smtp      unix  -       -       n       -       -       smtp
                relay     unix  -       -       n       -       -       smtp
                showq     unix  n       -       n       -       -       showq
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                local     unix  -       n       n       -       -       local
                anvil     unix  -       -       n       -       1       anvil
                scache    unix  -       -       n       -       1       scache
                tlsproxy  unix  -       -       n       -       0       tlsproxy
                postlog   unix-dgram n  -       n       -       1       postlogd
                """);
        return out.toString();
    }

    private String transportMap() {
        StringBuilder out = new StringBuilder();
        for (ClientRoute route : ClientRoute.values()) {
            out.append(route.domain).append(' ').append(route.transport)
                    .append(":[").append(LOOPBACK).append("]:").append(port(route.target)).append('\n');
        }
        return out.toString();
    }

    /** An override with the files it names filled in. */
    private String files(String override) {
        return override.replace("${cert}", conf.resolve("cert.pem").toString())
                .replace("${missing}", missing().toString())
                .replace("${expiredCert}", conf.resolve("expired-cert.pem").toString())
                .replace("${expiredKey}", conf.resolve("expired-key.pem").toString());
    }

    /** A key file that is never written: the broken-key listener and route point at it. */
    private Path missing() {
        return conf.resolve("missing-key.pem");
    }

    private void launch() {
        Commands.check(COMMAND_TIMEOUT, "/usr/sbin/postfix", "-c", conf.toString(), "check");
        Commands.check(COMMAND_TIMEOUT, "/usr/sbin/postfix", "-c", conf.toString(), "start");
        running = true;
        // Wait for every listener without connecting to it (a probe connection would be logged).
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        for (Listener listener : Listener.values()) {
            while (!isListening(port(listener))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Postfix did not listen on " + port(listener)
                            + "; maillog:\n" + String.join("\n", log().lines()));
                }
                sleep(100);
            }
        }
        log().await(0, lines -> lines.stream().anyMatch(l -> l.contains("daemon started")),
                Duration.ofSeconds(10));
    }

    static boolean isListening(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            return false;
        } catch (BindException taken) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
