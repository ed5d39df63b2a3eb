package dev.plinth.web.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskContext;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskHandler;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskRun;
import dev.plinth.web.Application;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code GET /api/tasks/{id}} shows of a failed run's exception: no secret, bounded. */
class TaskErrorOverHttpTest {
  private static final String PARTNER_KEY = "partner-key-3f9c2b7a";
  static final String ENABLED = "plinth.test.failing-task";

  @Serdeable
  public record Noise(int length) {}

  static final TaskDefinition<Noise> FAIL = TaskDefinition.of("test.fail-loudly", Noise.class);

  /** Fails with the kind of text exceptions carry: a credential in a URL, and a lot of it. */
  @Singleton
  @Requires(property = ENABLED, value = "true")
  static class FailLoudly implements TaskHandler<Noise> {
    @Override
    public TaskDefinition<Noise> definition() {
      return FAIL;
    }

    @Override
    public Object run(Noise payload, TaskContext context) {
      throw new IllegalStateException(
          "calling https://partner.example/v1?api_key="
              + PARTNER_KEY
              + "&password=hunter2-hunter2 with "
              + PARTNER_KEY
              + " failed: "
              + "x".repeat(payload.length()));
    }
  }

  @Test
  void aFailedRunsErrorIsRedactedAndBounded() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("PORT", "0");
    env.put("APP_MANAGEMENT_PORT", "0");
    env.put("APP_DATA_DIR", Files.createTempDirectory("plinth-task-error").toString());
    // A secret-named variable: its value is one the process redacts everywhere.
    env.put("PARTNER_API_KEY", PARTNER_KEY);
    try (ApplicationContext web =
        PlinthApplication.builder(Application.MODE, Application.class, env)
            .properties(Map.of(ENABLED, "true"))
            .start()) {
      String id =
          web.getBean(TaskQueue.class)
              .enqueue(FAIL, new Noise(20_000), TaskOptions.defaults().maxRetries(0));
      String base = "http://127.0.0.1:" + web.getBean(EmbeddedServer.class).getPort();
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + id)).build();
      String body =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> http.send(request, HttpResponse.BodyHandlers.ofString()).body(),
                  b -> b.contains("\"status\":\"dead\""));

      assertThat(body)
          .contains("IllegalStateException: calling https://partner.example/v1?api_key=********")
          .contains("&password=******** with ******** failed: xxx")
          .doesNotContain(PARTNER_KEY)
          .doesNotContain("hunter2");
      String error = body.substring(body.indexOf("\"error\":\"") + 9, body.lastIndexOf('"'));
      assertThat(error).hasSize(TaskRun.SHOWN_ERROR_LENGTH).endsWith("…");
    }
  }
}
