package dev.plinth.web.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.testing.InProcessMode;
import dev.plinth.platform.testing.PrometheusScrape;
import dev.plinth.web.Application;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WEB's enqueue side in its scrape: an export posted over HTTP is a confirmed publish, timed. */
class EnqueueMetricsTest {
  @Test
  void anEnqueueOverHttpIsAConfirmedPublishInTheScrape(@TempDir Path dataDir) throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-web-enqueue");
    try (Connection rabbit = TaskTestSupport.rabbit()) {
      Map<String, String> env = InProcessMode.localEnvironment(dataDir);
      env.putAll(
          Map.of(
              "RABBITMQ_HOST", TaskTestSupport.environment("unused", queue).get("RABBITMQ_HOST"),
              "RABBITMQ_PORT", TaskTestSupport.environment("unused", queue).get("RABBITMQ_PORT"),
              "PLINTH_TASKS_DEFAULT_QUEUE", queue));
      try (InProcessMode web = InProcessMode.start(Application.MODE, Application.class, env)) {
        HttpResponse<String> accepted =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + web.port() + "/api/exports"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        PrometheusScrape scrape =
            new PrometheusScrape(web.get(web.managementPort(), "/prometheus").body());
        String q = "queue=\"" + queue + "\"";
        assertThat(scrape.value("plinth_task_published_total", q, "outcome=\"confirmed\""))
            .isEqualTo(1);
        assertThat(scrape.value("plinth_task_publish_duration_seconds_count", q)).isEqualTo(1);
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }
}
