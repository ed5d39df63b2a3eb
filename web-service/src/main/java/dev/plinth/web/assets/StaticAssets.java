package dev.plinth.web.assets;

import io.micronaut.http.MediaType;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files under {@code public/} on the class path, read once each and kept in memory with their
 * digest, modification time and precompressed siblings ({@code .br}, {@code .gz}). A page links to
 * {@link #url}, which names the file with its content's fingerprint ({@code
 * hello.3f2a9c1b04de.css}): such a URL changes whenever the content does, so it may be cached for
 * ever. A name that carries a fingerprint already (a front-end build's {@code app-3f2a9c1b.js}:
 * eight or more hex digits, one of them a letter, after a dot or a dash, before the extension) is
 * served as it is, cached for ever too.
 */
@Singleton
public final class StaticAssets {
  /** The class-path folder the assets live in. */
  static final String ROOT = "public/";

  /** URL prefix. */
  static final String PREFIX = "/static/";

  private static final int FINGERPRINT_LENGTH = 12;
  private static final Pattern FINGERPRINTED =
      Pattern.compile("^(.*[^/])[.-]([0-9a-f]{8,64})(\\.[A-Za-z0-9]+)$");
  private static final Pattern SAFE_PATH =
      Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$");

  /** One file and its validators; {@code brotli} and {@code gzip} are its variants, if present. */
  record Asset(
      byte[] bytes,
      String etag,
      Instant lastModified,
      MediaType type,
      Variant brotli,
      Variant gzip) {}

  /** A precompressed copy of an asset, with its own entity tag. */
  record Variant(byte[] bytes, String etag) {}

  /** An asset as a request names it: {@code immutable} when the name carries its fingerprint. */
  record Served(Asset asset, boolean immutable) {}

  private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();
  private final ClassLoader loader = StaticAssets.class.getClassLoader();

  /**
   * The URL of asset {@code path} (relative to {@code public/}) with its fingerprint.
   *
   * @throws IllegalArgumentException when there is no such asset: a page linking to nothing is a
   *     bug to find at its first request, not a broken link in production
   */
  public String url(String path) {
    Asset asset =
        load(path).orElseThrow(() -> new IllegalArgumentException("no asset " + ROOT + path));
    int dot = path.lastIndexOf('.');
    String fingerprint = asset.etag().substring(1, 1 + FINGERPRINT_LENGTH);
    return dot <= path.lastIndexOf('/')
        ? PREFIX + path + "." + fingerprint
        : PREFIX + path.substring(0, dot) + "." + fingerprint + path.substring(dot);
  }

  /** What {@code path} (after {@code /static/}) names, if anything. */
  Optional<Served> find(String path) {
    if (path == null || !SAFE_PATH.matcher(path).matches() || path.contains("..")) {
      return Optional.empty();
    }
    Optional<Asset> literal = load(path);
    Matcher fingerprinted = FINGERPRINTED.matcher(path);
    // A hex run with a letter in it: a date or a build number in a name is not a fingerprint.
    boolean named = fingerprinted.matches() && fingerprinted.group(2).matches(".*[a-f].*");
    if (literal.isPresent()) {
      return Optional.of(new Served(literal.get(), named));
    }
    if (named) {
      String plain = fingerprinted.group(1) + fingerprinted.group(3);
      String fingerprint = fingerprinted.group(2);
      // Only the current content's fingerprint: an old URL must not get new content for ever.
      return load(plain)
          .filter(asset -> asset.etag().substring(1).startsWith(fingerprint))
          .filter(asset -> fingerprint.length() == FINGERPRINT_LENGTH)
          .map(asset -> new Served(asset, true));
    }
    return Optional.empty();
  }

  private Optional<Asset> load(String path) {
    if (path.endsWith(".br") || path.endsWith(".gz")) {
      // A variant is served for its file, never as a file of its own type.
      return Optional.empty();
    }
    return assets.computeIfAbsent(path, this::read);
  }

  private Optional<Asset> read(String path) {
    URL url = loader.getResource(ROOT + path);
    if (url == null || directory(url)) {
      return Optional.empty();
    }
    try {
      URLConnection connection = url.openConnection();
      long modified = connection.getLastModified();
      byte[] bytes;
      try (InputStream in = connection.getInputStream()) {
        bytes = in.readAllBytes();
      }
      String etag = etag(bytes);
      int dot = path.lastIndexOf('.');
      MediaType type =
          dot < 0
              ? MediaType.APPLICATION_OCTET_STREAM_TYPE
              : MediaType.forExtension(path.substring(dot + 1))
                  .orElse(MediaType.APPLICATION_OCTET_STREAM_TYPE);
      return Optional.of(
          new Asset(
              bytes,
              etag,
              Instant.ofEpochMilli(modified == 0 ? System.currentTimeMillis() : modified)
                  .truncatedTo(ChronoUnit.SECONDS),
              type,
              variant(path + ".br", etag, "br"),
              variant(path + ".gz", etag, "gz")));
    } catch (IOException e) {
      throw new UncheckedIOException("reading asset " + path, e);
    }
  }

  // A folder is no asset: a file URL names it as a path, a jar URL with a trailing slash.
  private static boolean directory(URL url) {
    if (url.getPath().endsWith("/")) {
      return true;
    }
    try {
      return "file".equals(url.getProtocol()) && Files.isDirectory(Path.of(url.toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      return true;
    }
  }

  private Variant variant(String path, String etag, String suffix) throws IOException {
    try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
      if (in == null) {
        return null;
      }
      return new Variant(
          in.readAllBytes(), etag.substring(0, etag.length() - 1) + "-" + suffix + "\"");
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
