package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.testing.InProcessMode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WEB's static assets over HTTP (test assets under {@code public/test/}): validators and 304s,
 * caching by name (short for a plain name, a year and immutable for a fingerprinted one, the
 * current fingerprint only), precompressed variants by Accept-Encoding, and nothing served from
 * outside {@code public/}.
 */
class StaticAssetsTest {
  private static final Pattern STYLESHEET =
      Pattern.compile("href=\"(/static/hello\\.[0-9a-f]{12}\\.css)\"");
  private static final String SHORT = "public, max-age=300";
  private static final String FOREVER = "public, max-age=31536000, immutable";

  @TempDir static Path dataDir;
  private static InProcessMode web;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    web =
        InProcessMode.start(
            Application.MODE, Application.class, InProcessMode.localEnvironment(dataDir));
  }

  @AfterAll
  static void stop() {
    web.close();
  }

  private static HttpResponse<byte[]> get(String path, Map<String, String> headers)
      throws Exception {
    return send("GET", path, headers);
  }

  private static HttpResponse<byte[]> send(String method, String path, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  private static byte[] resource(String path) throws Exception {
    try (InputStream in = StaticAssetsTest.class.getResourceAsStream("/public/" + path)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aPlainNameIsServedWithValidatorsAndAnsweredNotModifiedWhenCurrent() throws Exception {
    HttpResponse<byte[]> first = get("/static/test/sample.txt", Map.of());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(resource("test/sample.txt"));
    assertThat(header(first, "Content-Type")).startsWith("text/plain");
    assertThat(header(first, "Cache-Control")).isEqualTo(SHORT);
    assertThat(header(first, "Vary")).isEqualTo("Accept-Encoding");
    assertThat(header(first, "Content-Encoding")).isNull();
    String etag = header(first, "ETag");
    String lastModified = header(first, "Last-Modified");
    assertThat(etag).matches("\"[0-9a-f]{32}\"");
    assertThat(lastModified).endsWith(" GMT");

    HttpResponse<byte[]> same = get("/static/test/sample.txt", Map.of("If-None-Match", etag));
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(header(same, "ETag")).isEqualTo(etag);
    assertThat(header(same, "Cache-Control")).isEqualTo(SHORT);
    assertThat(
            get("/static/test/sample.txt", Map.of("If-None-Match", "\"other\", W/" + etag))
                .statusCode())
        .isEqualTo(304);
    assertThat(get("/static/test/sample.txt", Map.of("If-None-Match", "\"other\"")).statusCode())
        .isEqualTo(200);
    assertThat(
            get("/static/test/sample.txt", Map.of("If-Modified-Since", lastModified)).statusCode())
        .isEqualTo(304);
    assertThat(
            get(
                    "/static/test/sample.txt",
                    Map.of("If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"))
                .statusCode())
        .isEqualTo(200);

    HttpResponse<byte[]> head = send("HEAD", "/static/test/sample.txt", Map.of());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(header(head, "ETag")).isEqualTo(etag);
  }

  @Test
  void precompressedVariantsGoToTheClientsThatAcceptThem() throws Exception {
    String plainTag = header(get("/static/test/sample.txt", Map.of()), "ETag");
    HttpResponse<byte[]> gzip =
        get("/static/test/sample.txt", Map.of("Accept-Encoding", "gzip, deflate"));
    assertThat(header(gzip, "Content-Encoding")).isEqualTo("gzip");
    assertThat(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes())
        .isEqualTo(resource("test/sample.txt"));
    assertThat(header(gzip, "ETag")).isNotEqualTo(plainTag).endsWith("-gz\"");
    assertThat(
            get(
                    "/static/test/sample.txt",
                    Map.of("Accept-Encoding", "gzip", "If-None-Match", header(gzip, "ETag")))
                .statusCode())
        .isEqualTo(304);

    HttpResponse<byte[]> brotli =
        get("/static/test/sample.txt", Map.of("Accept-Encoding", "gzip, br"));
    assertThat(header(brotli, "Content-Encoding")).isEqualTo("br");
    assertThat(brotli.body()).isEqualTo(resource("test/sample.txt.br"));
    assertThat(
            header(
                get("/static/test/sample.txt", Map.of("Accept-Encoding", "*")), "Content-Encoding"))
        .isEqualTo("br");

    HttpResponse<byte[]> refused =
        get("/static/test/sample.txt", Map.of("Accept-Encoding", "br;q=0, gzip;q=0"));
    assertThat(header(refused, "Content-Encoding")).isNull();
    assertThat(refused.body()).isEqualTo(resource("test/sample.txt"));
    assertThat(get("/static/test/sample.txt.gz", Map.of()).statusCode())
        .as("a variant is not a file of its own")
        .isEqualTo(404);
  }

  @Test
  void fingerprintedNamesAreCachedForEverAndOnlyTheCurrentFingerprintServes() throws Exception {
    String page = web.get("/").body();
    Matcher link = STYLESHEET.matcher(page);
    assertThat(link.find()).as(page).isTrue();
    assertThat(page).containsPattern("<script src=\"/static/hello\\.[0-9a-f]{12}\\.js\" defer>");

    HttpResponse<byte[]> css = get(link.group(1), Map.of());
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(header(css, "Content-Type")).startsWith("text/css");
    assertThat(header(css, "Cache-Control")).isEqualTo(FOREVER);
    assertThat(new String(css.body(), StandardCharsets.UTF_8)).contains("font-family");
    assertThat(header(get("/static/hello.css", Map.of()), "Cache-Control")).isEqualTo(SHORT);
    assertThat(get("/static/hello.00000000abcd.css", Map.of()).statusCode()).isEqualTo(404);

    HttpResponse<byte[]> script = get("/static/hello.js", Map.of());
    assertThat(header(script, "Content-Type")).contains("javascript");
    assertThat(header(get("/static/test/app-3f2a9c1b.js", Map.of()), "Cache-Control"))
        .as("fingerprinted by a front-end build")
        .isEqualTo(FOREVER);
    assertThat(header(get("/static/test/report-20261203.txt", Map.of()), "Cache-Control"))
        .as("a date is not a fingerprint")
        .isEqualTo(SHORT);
  }

  @Test
  void nothingOutsideTheAssetsFolderIsServed() throws Exception {
    for (String path :
        new String[] {
          "/static/%2e%2e/application.properties",
          "/static/..%2fapplication.properties",
          "/static/.hidden",
          "/static/test/",
          "/static/missing.css"
        }) {
      HttpResponse<byte[]> response = get(path, Map.of());
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(header(response, "Content-Type")).as(path).startsWith("application/problem+json");
    }
  }
}
