package dev.plinth.web.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.example.export.ExportTasks;
import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tasks.queue.AmqpTaskQueue;
import dev.plinth.platform.tasks.queue.InProcessTaskQueue;
import dev.plinth.web.Application;
import dev.plinth.worker.consumer.TaskWorker;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example's asynchronous export over HTTP: 202 with the run id, the run's state, the file. Once
 * on the embedded default (no broker: WEB runs it in process, on H2) and once with RabbitMQ,
 * PostgreSQL and a WORKER beside WEB.
 */
class ExportOverHttpTest {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void embeddedDefaultRunsTheExportInProcess() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("APP_DEBUG", "true");
    env.put("PORT", "0");
    env.put("APP_MANAGEMENT_PORT", "0");
    env.put("APP_DATA_DIR", Files.createTempDirectory("plinth-export").toString());
    try (ApplicationContext web =
        PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
      assertThat(web.getBean(TaskQueue.class)).isInstanceOf(InProcessTaskQueue.class);
      exportRoundTrip(web);
      // The in-process queue answers a call as a worker would over rpc://: the handler's result.
      Map<?, ?> result =
          web.getBean(TaskQueue.class)
              .call(
                  ExportTasks.EXPORT_NOTES,
                  new ExportTasks.ExportNotes("rpc"),
                  Map.class,
                  Duration.ofSeconds(30));
      assertThat(result.keySet()).hasToString("[rows]");
    }
  }

  @Test
  void withABrokerTheWorkerRunsTheExport() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-export");
    Map<String, String> env = TaskTestSupport.environment(TaskTestSupport.freshDatabase(), queue);
    // A WORKER on the same classpath and database: WEB only enqueues.
    try (ApplicationContext web =
            PlinthApplication.builder(Application.MODE, Application.class, env).start();
        ApplicationContext worker =
            PlinthApplication.builder(dev.plinth.worker.Application.MODE, Application.class, env)
                .start()) {
      assertThat(web.getBean(TaskQueue.class)).isInstanceOf(AmqpTaskQueue.class);
      assertThat(web.containsBean(TaskWorker.class)).isFalse();
      assertThat(worker.containsBean(TaskWorker.class)).isTrue();
      exportRoundTrip(web);
    } finally {
      try (var rabbit = TaskTestSupport.rabbit()) {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }

  private void exportRoundTrip(ApplicationContext web) throws Exception {
    URI base = URI.create("http://127.0.0.1:" + web.getBean(EmbeddedServer.class).getPort());
    HttpResponse<String> note =
        send(
            HttpRequest.newBuilder(base.resolve("/api/notes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"groceries, weekly\"}")));
    assertThat(note.statusCode()).isEqualTo(201);
    // What a spreadsheet would run as a formula opens as text.
    HttpResponse<String> formula =
        send(
            HttpRequest.newBuilder(base.resolve("/api/notes"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"title\":\"=HYPERLINK(\\\"http://evil\\\")\",\"body\":\"@SUM(1)\"}")));
    assertThat(formula.statusCode()).as(formula.body()).isEqualTo(201);

    HttpResponse<String> accepted =
        send(
            HttpRequest.newBuilder(base.resolve("/api/exports"))
                .header("X-Request-ID", "export-request-1")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(accepted.statusCode()).isEqualTo(202);
    Matcher id = ID.matcher(accepted.body());
    assertThat(id.find()).as(accepted.body()).isTrue();
    String runId = id.group(1);
    assertThat(accepted.headers().firstValue("Location")).hasValue("/api/tasks/" + runId);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(base, "/api/tasks/" + runId).body().contains("\"status\":\"succeeded\""));

    // The request id travelled from the HTTP request into the task run.
    assertThat(get(base, "/api/tasks/" + runId).body()).contains("\"rid\":\"export-request-1\"");

    HttpResponse<String> file = get(base, "/api/exports/" + runId);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(file.body())
        .startsWith("id,title,body,created_at")
        .contains("\"groceries, weekly\"")
        .contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",\"'@SUM(1)\",")
        .doesNotContain(",=HYPERLINK")
        .doesNotContain(",@SUM");

    assertThat(get(base, "/api/tasks/00000000-0000-0000-0000-000000000000").statusCode())
        .isEqualTo(404);
    assertThat(get(base, "/api/exports/00000000-0000-0000-0000-000000000000").statusCode())
        .isEqualTo(404);
  }

  private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
