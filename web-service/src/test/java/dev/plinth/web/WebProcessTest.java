package dev.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.ModeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WEB's {@code main} as a child process: how it starts, and how it refuses to. */
class WebProcessTest {
  private static final String DATABASE_SECRET = "pw-7c1e9a-do-not-print";

  @TempDir Path dataDir;

  @Test
  void portThatIsNotANumberStopsStartUpWithOneLine() {
    ModeProcess.Result result = run(Map.of("APP_DEBUG", "true", "PORT", "abc"));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stderrLines())
        .as(result.toString())
        .containsExactly(
            "plinth: invalid configuration: PORT: expected an integer from 0 to 65535");
  }

  @Test
  void productionWithoutSecretKeyStopsStartUpWithOneLine() {
    ModeProcess.Result result = run(Map.of());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stderrLines()).as(result.toString()).hasSize(1);
    assertThat(result.stderrLines().get(0))
        .startsWith("plinth: invalid configuration: APP_SECRET_KEY: expected ");
  }

  @Test
  void badDatabaseVariableNeverPrintsTheDatabasePassword() {
    ModeProcess.Result result =
        run(
            Map.of(
                "APP_DEBUG", "true",
                "DATABASE_HOST", "127.0.0.1",
                "DATABASE_PORT", "x",
                "DATABASE_PASSWORD", DATABASE_SECRET));

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stderrLines())
        .containsExactly(
            "plinth: invalid configuration: DATABASE_PORT: expected an integer from 1 to 65535");
    assertThat(result.stdout() + result.stderr()).doesNotContain(DATABASE_SECRET);
  }

  @Test
  void serviceStartsOnPortAndServesTheHelloPage() throws IOException, InterruptedException {
    int port = WebModeContract.freePort();
    Map<String, String> env = new HashMap<>(environment(Map.of("APP_DEBUG", "true")));
    env.put("PORT", Integer.toString(port));
    env.put("APP_MANAGEMENT_PORT", Integer.toString(WebModeContract.freePort()));
    Process process = ModeProcess.of(Application.class, env).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest hello =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
      HttpResponse<String> response =
          await()
              .atMost(ModeProcess.HANG_LIMIT)
              .pollInterval(Duration.ofMillis(100))
              .ignoreExceptions()
              .until(() -> http.send(hello, HttpResponse.BodyHandlers.ofString()), r -> true);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("<strong id=\"visits\">1</strong>");
    } finally {
      process.destroy();
    }
    // SIGTERM (as `docker stop` sends it) ends the process by itself.
    boolean stopped = process.waitFor(ModeProcess.HANG_LIMIT.toSeconds(), TimeUnit.SECONDS);
    if (!stopped) {
      process.destroyForcibly();
    }
    assertThat(stopped).as("WEB stopped on SIGTERM").isTrue();
  }

  private ModeProcess.Result run(Map<String, String> variables) {
    return ModeProcess.of(Application.class, environment(variables)).runToExit();
  }

  // APP_DATA_DIR keeps a child that did start from writing into the working directory.
  private Map<String, String> environment(Map<String, String> variables) {
    Map<String, String> env = new HashMap<>(variables);
    env.put("APP_DATA_DIR", dataDir.toString());
    return env;
  }
}
