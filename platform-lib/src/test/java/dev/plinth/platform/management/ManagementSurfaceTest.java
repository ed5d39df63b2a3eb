package dev.plinth.platform.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.TestModes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management port as an anonymous caller and as an operator see it, over HTTP: closed by
 * default, and what an operator switches on answers the bearer token only.
 */
class ManagementSurfaceTest {
  private static final String TOKEN = "management-token-for-tests-0123";
  private static final List<String> GUARDED =
      List.of(
          "/env",
          "/loggers",
          "/threaddump",
          "/flyway",
          "/routes",
          "/caches",
          "/refresh",
          "/stop",
          "/beans");

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  @Test
  void anonymousCallersGetHealthWithoutDetailsTheScrapeAndInfoAndNothingElse() {
    try (InProcessMode web =
        InProcessMode.startPlatform(TestModes.WEB, dataDir, Map.of(), Map.of())) {
      int port = web.managementPort();
      HttpResponse<String> health = web.get(port, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      // The aggregate status and nothing else: no JDBC URL, no check details.
      assertThat(health.body()).matches("\\{\"status\":\"[A-Z_]+\"}");
      assertThat(web.get(port, "/prometheus").statusCode()).isEqualTo(200);
      assertThat(web.get(port, "/info").statusCode()).isEqualTo(200);
      for (String path : GUARDED) {
        assertThat(web.get(port, path).statusCode()).as("GET " + path).isEqualTo(404);
      }
      assertThat(post(port, "/stop", null).statusCode()).isEqualTo(404);
      assertThat(post(port, "/refresh", null).statusCode()).isEqualTo(404);
      // Neither stopped nor refreshed anything: the process still serves.
      assertThat(web.get("/__lbheartbeat__").statusCode()).isEqualTo(200);
      assertThat(web.context().isRunning()).isTrue();
    }
  }

  @Test
  void switchedOnEndpointsAnswerTheTokenOnly() {
    Map<String, String> variables =
        Map.of(
            "APP_MANAGEMENT_ENDPOINTS", "loggers,refresh,stop,env", "APP_MANAGEMENT_TOKEN", TOKEN);
    try (InProcessMode web =
        InProcessMode.startPlatform(TestModes.WEB, dataDir, variables, Map.of())) {
      int port = web.managementPort();
      for (String path : List.of("/loggers", "/env", "//LOGGERS", "/loggers/ROOT")) {
        HttpResponse<String> anonymous = web.get(port, path);
        assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
            .hasValue("Bearer realm=\"management\"");
        assertThat(anonymous.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
        HttpResponse<String> wrong = web.get(port, path, bearer(TOKEN + "x"));
        assertThat(wrong.statusCode()).as(path).isEqualTo(401);
      }
      assertThat(web.get(port, "/loggers", bearer(TOKEN)).statusCode()).isEqualTo(200);
      assertThat(web.get(port, "/env", bearer(TOKEN)).body()).doesNotContain(TOKEN);
      // Not switched on: absent, token or not.
      assertThat(web.get(port, "/threaddump", bearer(TOKEN)).statusCode()).isEqualTo(404);
      // Health, scrape and info stay anonymous.
      assertThat(web.get(port, "/health").statusCode()).isEqualTo(200);
      assertThat(web.get(port, "/prometheus").statusCode()).isEqualTo(200);

      assertThat(post(port, "/refresh", null).statusCode()).isEqualTo(401);
      assertThat(post(port, "/stop", null).statusCode()).isEqualTo(401);
      assertThat(web.context().isRunning()).isTrue();
      assertThat(post(port, "/refresh", TOKEN).statusCode()).isEqualTo(200);
      assertThat(post(port, "/stop", TOKEN).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> !web.context().isRunning());
    }
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> post(int port, String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
