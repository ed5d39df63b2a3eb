package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.InProcessMode;
import io.micronaut.session.Session;
import io.micronaut.session.SessionStore;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a browser meets: bounded in-memory sessions, id rotation, no cross-site writes. */
class BrowserDefaultsTest {
  @TempDir Path dataDir;

  @Test
  void inMemorySessionsAreBoundedHoweverManyCookielessVisitsThereAre() {
    try (InProcessMode web =
        InProcessMode.start(
            Application.MODE,
            Application.class,
            InProcessMode.localEnvironment(dataDir),
            Map.of("micronaut.session.max-active-sessions", "5"))) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String cookie = WebVisitor.setCookie(new WebVisitor().get(web.port(), "/")).orElseThrow();
        ids.add(cookie.substring("SESSION=".length(), cookie.indexOf(';')));
      }
      @SuppressWarnings("unchecked")
      SessionStore<Session> store = web.context().getBean(SessionStore.class);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> ids.stream().filter(id -> store.findSession(id).join().isPresent()).count(),
              live -> live <= 5);
    }
  }

  @Test
  void rotationGivesTheSessionANewIdKeepsItsDataAndForgetsTheOldId() {
    try (InProcessMode web =
        InProcessMode.start(
            Application.MODE,
            Application.class,
            InProcessMode.localEnvironment(dataDir),
            Map.of(RotatingController.ENABLED, "true"))) {
      WebVisitor visitor = new WebVisitor();
      assertThat(visitor.visitHello(web.port())).isEqualTo(1);
      assertThat(visitor.visitHello(web.port())).isEqualTo(2);
      String oldId = visitor.sessionId();

      HttpResponse<String> rotated =
          visitor.send(
              web.port(),
              HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.noBody()),
              "/test-only/rotate");
      assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
      assertThat(WebVisitor.setCookie(rotated)).as("the new id is sent").isPresent();
      String newId = visitor.sessionId();
      assertThat(newId).isNotEqualTo(oldId);

      // The data came along: the third visit of this visitor.
      assertThat(visitor.visitHello(web.port())).isEqualTo(3);
      // The old id is a stranger now.
      WebVisitor replay = WebVisitor.withSession(oldId);
      assertThat(replay.visitHello(web.port())).isEqualTo(1);
      assertThat(replay.sessionId()).isNotEqualTo(oldId);
    }
  }

  /**
   * Over raw connections with a public host name in {@code Host}: Micronaut's own CORS filter
   * refuses any foreign {@code Origin} when the host is localhost (its drive-by-localhost guard),
   * which would hide what this filter does for a real deployment.
   */
  @Test
  void aCookieBearingWriteFromAnotherSiteIsRefusedAndEveryOtherOnePasses() throws Exception {
    try (InProcessMode web =
        InProcessMode.start(
            Application.MODE,
            Application.class,
            InProcessMode.localEnvironment(dataDir),
            Map.of("plinth.http.allowed-origins", "https://app.example"))) {
      WebVisitor browser = new WebVisitor();
      browser.visitHello(web.port());
      String cookie = "SESSION=" + browser.sessionId();
      int port = web.port();

      String refused = post(port, cookie, "Origin: https://evil.example");
      assertThat(refused).startsWith("HTTP/1.1 403 ");
      assertThat(refused)
          .containsIgnoringCase("Content-Type: application/problem+json")
          .contains("A cross-site request may not change anything here.");
      assertThat(post(port, cookie, "Sec-Fetch-Site: cross-site")).startsWith("HTTP/1.1 403 ");
      assertThat(post(port, cookie, "Sec-Fetch-Site: same-site")).startsWith("HTTP/1.1 403 ");
      // Sec-Fetch-Site, when a browser sends it, is the word that counts.
      assertThat(post(port, cookie, "Sec-Fetch-Site: same-origin\r\nOrigin: https://evil.example"))
          .startsWith("HTTP/1.1 201 ");

      assertThat(post(port, cookie, "Origin: https://plinth.test")).startsWith("HTTP/1.1 201 ");
      assertThat(post(port, cookie, "Origin: https://app.example")).startsWith("HTTP/1.1 201 ");
      // No cookie, no ambient authority to abuse: an API client from anywhere.
      assertThat(post(port, null, "Origin: https://evil.example")).startsWith("HTTP/1.1 201 ");
      // Neither header: not a browser.
      assertThat(post(port, cookie, "X-Nothing: 1")).startsWith("HTTP/1.1 201 ");
    }
  }

  private static String post(int port, String cookie, String headers) throws Exception {
    byte[] body = "{\"title\":\"a note\"}".getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/notes HTTP/1.1\r\nHost: plinth.test\r\nConnection: close\r\n"
                      + "Content-Type: application/json\r\nContent-Length: "
                      + body.length
                      + "\r\n"
                      + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                      + headers
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
