package io.tlsmon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The certificates of a TLS harness, made with the {@code openssl} tool in a directory of the
 * test's own: a private CA, and server certificates that verify, that expired, that name another
 * host, that nobody signed, and a certificate whose key belongs to another one.
 *
 * <p>The expired one is issued by {@code openssl ca} with explicit start and end dates in the
 * past: {@code openssl x509} of OpenSSL 3.0 has no {@code -not_before}, and no faketime is installed.
 */
final class TestCertificates {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A certificate file and its private key file. */
    record Pair(Path cert, Path key) {
    }

    private final Path dir;
    private final Path caCert;
    private final Path caKey;
    private final Pair valid;
    private final Pair expired;
    private final Pair otherName;
    private final Pair selfSigned;

    private TestCertificates(Path dir, String hostname) throws IOException {
        this.dir = dir;
        caCert = dir.resolve("ca.pem");
        caKey = dir.resolve("ca.key");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                "-out", caCert.toString(), "-days", "30", "-subj", "/CN=tlsmon test CA");
        Files.createDirectories(dir.resolve("issued"));
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "1000\n");
        Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
                "[ca]", "default_ca = test",
                "[test]",
                "database = " + dir.resolve("index.txt"),
                "new_certs_dir = " + dir.resolve("issued"),
                "serial = " + dir.resolve("serial"),
                "default_md = sha256", "policy = any", "unique_subject = no", "copy_extensions = copy",
                "[any]", "commonName = supplied", ""));
        // The name a client checks: the host name, and the loopback address an IP-literal route uses.
        String names = "subjectAltName=DNS:" + hostname + ",IP:127.0.0.1";
        valid = issue("valid", hostname, names, "-days", "30");
        expired = issue("expired", hostname, names, "-startdate", "20200101000000Z", "-enddate", "20200201000000Z");
        otherName = issue("other-name", "other.tlsmon.test", "subjectAltName=DNS:other.tlsmon.test", "-days", "30");
        selfSigned = new Pair(dir.resolve("self-signed.pem"), dir.resolve("self-signed.key"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", selfSigned.key.toString(),
                "-out", selfSigned.cert.toString(), "-days", "30", "-subj", "/CN=" + hostname, "-addext", names);
    }

    static TestCertificates create(Path dir, String hostname) {
        try {
            Files.createDirectories(dir);
            return new TestCertificates(dir, hostname);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path caCert() {
        return caCert;
    }

    /** Signed by the CA, valid now, for the host name and 127.0.0.1. */
    Pair valid() {
        return valid;
    }

    /** Signed by the CA for the same names, valid only in January 2020. */
    Pair expired() {
        return expired;
    }

    /** Signed by the CA, valid now, for {@code other.tlsmon.test} only. */
    Pair otherName() {
        return otherName;
    }

    /** For the host name, valid now, signed by itself. */
    Pair selfSigned() {
        return selfSigned;
    }

    /** The valid certificate with the other-name certificate's key: loading the pair fails. */
    Pair mismatchedKey() {
        return new Pair(otherName.cert, valid.key);
    }

    private Pair issue(String name, String commonName, String extension, String... validity) {
        Pair pair = new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        Path csr = dir.resolve(name + ".csr");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", pair.key.toString(), "-out", csr.toString(),
                "-subj", "/CN=" + commonName, "-addext", extension);
        String[] command = new String[] {"ca", "-batch", "-notext", "-config", dir.resolve("ca.cnf").toString(),
                "-cert", caCert.toString(), "-keyfile", caKey.toString(), "-in", csr.toString(),
                "-out", pair.cert.toString()};
        String[] all = new String[command.length + validity.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(validity, 0, all, command.length, validity.length);
        openssl(all);
        return pair;
    }

    private static void openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = RealPostfix.openssl().toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Commands.check(TIMEOUT, command);
    }
}
