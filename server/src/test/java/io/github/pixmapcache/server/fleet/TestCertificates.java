package io.github.pixmapcache.server.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throw-away TLS material made once per test JVM with {@code openssl} (and the JDK's {@code keytool}
 * for a PKCS#12 trust store): a CA, and certificates it signed for Redis on 127.0.0.1, for another
 * host, already expired, and for the tile server as a client (mutual TLS). Deleted when the JVM exits.
 */
public final class TestCertificates {

    /** The key store's and trust store's password; throw-away like the rest. */
    public static final String STORE_PASSWORD = "store-pw-for-tests";

    private static TestCertificates shared;

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** The certificates of this JVM, made at the first call (about a second). */
    public static synchronized TestCertificates shared() {
        if (shared == null) {
            try {
                shared = make(Files.createTempDirectory("redis-tls-"));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot make test certificates with openssl: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    private static TestCertificates make(Path dir) throws IOException, InterruptedException {
        TestCertificates certs = new TestCertificates(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(certs::delete, "delete-test-certificates"));
        certs.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=pixmap-cache test CA");
        certs.sign("redis", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost", "2");
        certs.sign("otherhost", "elsewhere.example", "subjectAltName=DNS:elsewhere.example", "2");
        certs.sign("expired", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost", "0"); // not after: now
        certs.sign("client", "tile server", "extendedKeyUsage=clientAuth", "2");
        certs.openssl("pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-name", "client",
                "-out", "client.p12", "-passout", "pass:" + STORE_PASSWORD);
        RedisProcess.run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert",
                "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.crt").toString(), "-keystore",
                dir.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        return certs;
    }

    private void sign(String name, String commonName, String extension, String days) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", days, "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        for (String arg : args) {
            command.add(arg.endsWith(".key") || arg.endsWith(".crt") || arg.endsWith(".csr") || arg.endsWith(".ext")
                    || arg.endsWith(".p12") ? dir.resolve(arg).toString() : arg);
        }
        RedisProcess.run(command);
    }

    /** The CA's certificate, PEM: a trust store as Redis users have it. */
    public Path caPem() {
        return dir.resolve("ca.crt");
    }

    /** The CA's certificate in a PKCS#12 trust store with {@link #STORE_PASSWORD}. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** The tile server's client certificate and key, PKCS#12 with {@link #STORE_PASSWORD}. */
    public Path clientKeyStore() {
        return dir.resolve("client.p12");
    }

    /** {@code --tls-cert-file}, {@code --tls-key-file} and {@code --tls-ca-cert-file} for a redis-server with certificate {@code name}. */
    public List<String> redisServerArgs(String name) {
        return List.of("--tls-cert-file", dir.resolve(name + ".crt").toString(), "--tls-key-file", dir.resolve(name + ".key").toString(),
                "--tls-ca-cert-file", caPem().toString());
    }

    /** The TLS arguments of {@code redis-cli}, as the tile server's client certificate. */
    public List<String> redisCliArgs() {
        return List.of("--tls", "--cacert", caPem().toString(), "--cert", dir.resolve("client.crt").toString(),
                "--key", dir.resolve("client.key").toString());
    }

    /** A file holding {@code secret}, readable by its owner only, deleted with the rest. */
    public Path secretFile(String name, String secret) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, secret + "\n");
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete() {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is not worth failing a test for
        }
    }
}
