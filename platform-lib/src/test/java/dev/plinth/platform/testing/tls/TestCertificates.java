package dev.plinth.platform.testing.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority made for one test with {@code openssl} (in Debian's base system), and
 * server certificates it signs, in the forms servers take: PEM certificate and key files for
 * redis-server and PostgreSQL, an {@link SSLContext} for a Java TLS endpoint ({@link
 * dev.plinth.platform.testing.TcpProxy#startTls}). EC P-256 keys, valid for two days.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.authority(dir, "test CA");
 * TestCertificates.Server server = ca.issue("broker", "DNS:localhost", "IP:127.0.0.1");
 * env.put("APP_CA_BUNDLE", ca.certificate().toString());
 * }</pre>
 */
public final class TestCertificates {
  private static final String PASSWORD = "plinth-test";

  private final Path dir;
  private final Path certificate;
  private final Path key;

  /** A server certificate: PEM files, and a PKCS#12 store of both for Java. */
  public record Server(Path certificate, Path key, Path keyStore) {
    /** A TLS server context presenting this certificate. */
    public SSLContext serverContext() {
      try (InputStream in = Files.newInputStream(keyStore)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, PASSWORD.toCharArray());
        KeyManagerFactory keys =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot load " + keyStore, e);
      }
    }
  }

  private TestCertificates(Path dir, Path certificate, Path key) {
    this.dir = dir;
    this.certificate = certificate;
    this.key = key;
  }

  /** A new self-signed authority; its files go under {@code dir}. */
  public static TestCertificates authority(Path dir, String commonName) {
    String name = commonName.replaceAll("[^A-Za-z0-9]", "-");
    Path key = dir.resolve(name + ".key");
    Path certificate = dir.resolve(name + ".pem");
    newKey(
        dir,
        key,
        certificate,
        "/CN=" + commonName,
        "-x509",
        "-days",
        "2",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    return new TestCertificates(dir, certificate, key);
  }

  /** The authority's certificate (PEM): what a client is told to trust. */
  public Path certificate() {
    return certificate;
  }

  /** The authority's certificate as PEM text. */
  public String certificatePem() {
    try {
      return Files.readString(certificate, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A server certificate signed by this authority for {@code subjectAltNames} ({@code
   * DNS:localhost}, {@code IP:127.0.0.1}).
   */
  public Server issue(String name, String... subjectAltNames) {
    Path serverKey = dir.resolve(name + ".key");
    Path request = dir.resolve(name + ".csr");
    Path serverCertificate = dir.resolve(name + ".pem");
    Path extensions = dir.resolve(name + ".ext");
    Path keyStore = dir.resolve(name + ".p12");
    try {
      Files.writeString(
          extensions,
          "subjectAltName="
              + String.join(",", subjectAltNames)
              + "\nextendedKeyUsage=serverAuth\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    newKey(dir, serverKey, request, "/CN=" + name);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        request.toString(),
        "-CA",
        certificate.toString(),
        "-CAkey",
        key.toString(),
        "-CAcreateserial",
        "-out",
        serverCertificate.toString(),
        "-days",
        "2",
        "-extfile",
        extensions.toString());
    openssl(
        dir,
        "pkcs12",
        "-export",
        "-in",
        serverCertificate.toString(),
        "-inkey",
        serverKey.toString(),
        "-out",
        keyStore.toString(),
        "-passout",
        "pass:" + PASSWORD);
    return new Server(serverCertificate, serverKey, keyStore);
  }

  /**
   * A new P-256 key into {@code key} and a request for {@code subject} into {@code out} (with
   * {@code -x509} among {@code options}: a self-signed certificate).
   */
  private static void newKey(Path dir, Path key, Path out, String subject, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                out.toString(),
                "-subj",
                subject));
    args.addAll(List.of(options));
    openssl(dir, args.toArray(String[]::new));
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("openssl " + args[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "openssl is needed to make test certificates (Debian: apt-get install openssl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
