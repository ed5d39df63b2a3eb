package dev.plinth.platform.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities every TLS client of the service trusts: the JVM's trust store (the
 * system's, in the image) plus the extra bundle of {@code APP_CA_BUNDLE}, such as Amazon RDS's
 * global bundle. One instance serves the broker, both Redis clients and the database driver, each
 * in the form it takes: a {@link TrustManagerFactory}, an {@link SSLContext}, or a PEM file.
 * Framework free: the contract builds it while it parses the environment.
 */
public final class TrustBundle {
  private static final String PEM_BEGIN = "-----BEGIN CERTIFICATE-----";

  private final List<X509Certificate> extra;
  private TrustManagerFactory trustManagers;
  private SSLContext sslContext;
  private Path pemFile;

  private TrustBundle(List<X509Certificate> extra) {
    this.extra = List.copyOf(extra);
  }

  /** The JVM's trust store alone. */
  public static TrustBundle system() {
    return new TrustBundle(List.of());
  }

  /**
   * The JVM's trust store plus the certificates of {@code bundle}: PEM content, or the path of a
   * PEM file.
   *
   * @throws IllegalArgumentException saying what is wrong, without the value
   */
  public static TrustBundle withExtra(String bundle) {
    byte[] pem;
    if (bundle.contains(PEM_BEGIN)) {
      pem = bundle.getBytes(StandardCharsets.US_ASCII);
    } else {
      try {
        pem = Files.readAllBytes(Path.of(bundle));
      } catch (IOException | java.nio.file.InvalidPathException e) {
        throw new IllegalArgumentException(
            "PEM certificates, or the path of a readable PEM file ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var certificate : factory.generateCertificates(new ByteArrayInputStream(pem))) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("PEM certificates that parse");
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("at least one PEM certificate");
    }
    return new TrustBundle(certificates);
  }

  /** The certificates added to the JVM's trust store; empty for {@link #system()}. */
  public List<X509Certificate> extraCertificates() {
    return extra;
  }

  /** Trust managers that accept the JVM's authorities and the extra ones. */
  public synchronized TrustManagerFactory trustManagerFactory() {
    if (trustManagers == null) {
      try {
        TrustManagerFactory system =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        if (extra.isEmpty()) {
          trustManagers = system;
        } else {
          KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
          store.load(null, null);
          List<X509Certificate> all = new ArrayList<>(List.of(issuers(system)));
          all.addAll(extra);
          for (int i = 0; i < all.size(); i++) {
            store.setCertificateEntry("ca-" + i, all.get(i));
          }
          trustManagers =
              TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          trustManagers.init(store);
        }
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot build the trust store", e);
      }
    }
    return trustManagers;
  }

  /** A TLS client context on {@link #trustManagerFactory()}. */
  public synchronized SSLContext sslContext() {
    if (sslContext == null) {
      try {
        sslContext = SSLContext.getInstance("TLS");
        sslContext.init(null, trustManagerFactory().getTrustManagers(), null);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot build a TLS context", e);
      }
    }
    return sslContext;
  }

  /**
   * Every trusted authority as one PEM file, for drivers that take a file (pgjdbc's {@code
   * sslrootcert}); written once, readable by this user only, removed at exit.
   */
  public synchronized Path pemFile() {
    if (pemFile == null) {
      StringBuilder pem = new StringBuilder();
      Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
      try {
        for (X509Certificate certificate : issuers(trustManagerFactory())) {
          pem.append(PEM_BEGIN)
              .append('\n')
              .append(base64.encodeToString(certificate.getEncoded()))
              .append("\n-----END CERTIFICATE-----\n");
        }
        Path file =
            Files.createTempFile(
                "plinth-ca-",
                ".pem",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        file.toFile().deleteOnExit();
        pemFile = file;
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("cannot encode a trusted certificate", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the trusted certificates", e);
      }
    }
    return pemFile;
  }

  private static X509Certificate[] issuers(TrustManagerFactory factory) {
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }
}
