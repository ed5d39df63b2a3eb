package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinth.platform.appdata.AppdataStore;
import dev.plinth.platform.appdata.LocalDirectoryAppdataStore;
import dev.plinth.platform.testing.InProcessMode;
import io.micronaut.cache.CacheManager;
import io.micronaut.session.InMemorySessionStore;
import io.micronaut.session.SessionStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No Redis, no bucket: sessions in memory, Caffeine caches, files under APP_DATA_DIR. */
class DataEmbeddedDefaultsTest {
  @Test
  void theEmbeddedDefaultsServeSessionsCachesAndFiles(@TempDir Path dataDir) throws Exception {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
      assertThat(web.context().getBean(SessionStore.class))
          .isInstanceOf(InMemorySessionStore.class);
      assertThat(web.context().getBean(AppdataStore.class))
          .isInstanceOf(LocalDirectoryAppdataStore.class);
      assertThat(web.context().getBean(CacheManager.class).getCache("notes").getNativeCache())
          .isInstanceOf(com.github.benmanes.caffeine.cache.Cache.class);

      WebVisitor visitor = new WebVisitor();
      HttpResponse<String> first = visitor.get(web.port(), "/");
      String cookie = WebVisitor.setCookie(first).orElseThrow();
      // Debug mode: plain http locally, so no Secure flag.
      // Attribute names are case-insensitive (Netty writes "HTTPOnly").
      assertThat(cookie).containsIgnoringCase("httponly").contains("SameSite=Lax");
      assertThat(cookie).doesNotContainIgnoringCase("secure");
      assertThat(visitor.visitHello(web.port())).isEqualTo(2);

      // A stale or forged session cookie is a new visitor, not a bad request.
      HttpResponse<String> forged =
          new WebVisitor()
              .send(
                  web.port(),
                  HttpRequest.newBuilder().GET().header("Cookie", "SESSION=%%not-a-session%%"),
                  "/");
      assertThat(forged.statusCode()).isEqualTo(200);
      assertThat(WebVisitor.setCookie(forged)).isPresent();

      FilesOverHttp.roundTripAndRefuseBadKeys(visitor, web.port());
      assertThat(dataDir.resolve("appdata/reports/2026/summary.txt")).exists();
      // A file cannot also be a folder here (S3 allows it): 409 with a problem, never a 500.
      for (String clash :
          new String[] {"/api/files/reports/2026", "/api/files/reports/2026/summary.txt/x"}) {
        HttpResponse<String> conflict =
            visitor.send(
                web.port(),
                HttpRequest.newBuilder().PUT(HttpRequest.BodyPublishers.ofString("x")),
                clash);
        assertThat(conflict.statusCode()).as(clash).isEqualTo(409);
        assertThat(conflict.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
        assertThat(conflict.body()).contains("in the local store");
      }

      HttpResponse<String> heartbeat = web.get("/__heartbeat__");
      assertThat(heartbeat.statusCode()).isEqualTo(200);
      assertThat(heartbeat.body()).doesNotContain("session-redis", "cache-redis", "appdata");
    }
  }

  @Test
  void theSessionIdTravelsByCookieOnlyAndEveryResponseCarriesTheBrowserDefaults(
      @TempDir Path dataDir) {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
      HttpResponse<String> first =
          new WebVisitor().send(web.port(), HttpRequest.newBuilder().GET(), "/");
      assertThat(first.headers().firstValue("Authorization-Info")).isEmpty();
      assertThat(first.headers().firstValue("X-Auth-Token")).isEmpty();
      String cookie = WebVisitor.setCookie(first).orElseThrow();
      String id = cookie.substring("SESSION=".length(), cookie.indexOf(';'));
      // The id sent by header is ignored: a new session, a new cookie.
      for (String header : new String[] {"Authorization-Info", "X-Auth-Token"}) {
        HttpResponse<String> byHeader =
            new WebVisitor()
                .send(web.port(), HttpRequest.newBuilder().GET().header(header, id), "/");
        assertThat(WebVisitor.setCookie(byHeader).orElseThrow()).doesNotContain(id);
      }
      for (String path : new String[] {"/", "/api/notes", "/no-such-page", "/__version__"}) {
        HttpResponse<String> response = web.get(path);
        assertThat(response.headers().firstValue("X-Content-Type-Options"))
            .as(path)
            .hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        assertThat(response.headers().firstValue("Content-Security-Policy"))
            .as(path)
            .hasValue("frame-ancestors 'none'");
        assertThat(response.headers().firstValue("Referrer-Policy"))
            .as(path)
            .hasValue("strict-origin-when-cross-origin");
        // Debug is plain http on a laptop: no HSTS there.
        assertThat(response.headers().firstValue("Strict-Transport-Security")).as(path).isEmpty();
      }
    }
  }

  @Test
  void theSessionCookieIsSecureOutsideDebug(@TempDir Path dataDir) {
    Map<String, String> env = InProcessMode.localEnvironment(dataDir);
    env.put("APP_DEBUG", "false");
    env.put("APP_SECRET_KEY", "a-secret-key-of-enough-length");
    try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
      HttpResponse<String> page =
          new WebVisitor().send(web.port(), HttpRequest.newBuilder().GET(), "/");
      assertThat(WebVisitor.setCookie(page).orElseThrow())
          .containsIgnoringCase("httponly")
          .containsIgnoringCase("; secure")
          .contains("SameSite=Lax");
      assertThat(page.headers().firstValue("Strict-Transport-Security"))
          .hasValue("max-age=31536000; includeSubDomains");
    }
  }
}
