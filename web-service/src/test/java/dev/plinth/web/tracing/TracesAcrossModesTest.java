package dev.plinth.web.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tracing.LocalOtlpReceiver;
import dev.plinth.platform.tracing.LocalOtlpReceiver.ReceivedSpan;
import dev.plinth.web.Application;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One trace from an HTTP request to the task it enqueues: the request's {@code traceparent} is the
 * parent of WEB's server span, which is the parent of the publish span, which is the parent of the
 * run's span, in the WORKER over RabbitMQ and in WEB's own in-process queue alike.
 */
class TracesAcrossModesTest {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String CALLER = "b7ad6b7169203331";
  static final String EXPORT = "example.export_notes";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRequestItsPublishAndTheWorkersRunAreOneTrace() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-web-traces");
    try (LocalOtlpReceiver receiver = new LocalOtlpReceiver()) {
      Map<String, String> env = TaskTestSupport.environment(TaskTestSupport.freshDatabase(), queue);
      traced(env, receiver);
      try (ApplicationContext web =
              PlinthApplication.builder(Application.MODE, Application.class, env).start();
          ApplicationContext worker =
              PlinthApplication.builder(dev.plinth.worker.Application.MODE, Application.class, env)
                  .start()) {
        assertThat(worker.isRunning()).isTrue();
        assertOneTrace(web, receiver);
      } finally {
        try (var rabbit = TaskTestSupport.rabbit()) {
          TaskTestSupport.deleteTopology(rabbit, queue);
        }
      }
    }
  }

  @Test
  void theInProcessQueueContinuesTheTraceToo() throws Exception {
    try (LocalOtlpReceiver receiver = new LocalOtlpReceiver()) {
      Map<String, String> env = new HashMap<>();
      env.put("APP_DEBUG", "true");
      env.put("PORT", "0");
      env.put("APP_MANAGEMENT_PORT", "0");
      env.put("APP_DATA_DIR", Files.createTempDirectory("plinth-web-traces").toString());
      traced(env, receiver);
      try (ApplicationContext web =
          PlinthApplication.builder(Application.MODE, Application.class, env).start()) {
        assertOneTrace(web, receiver);
      }
    }
  }

  private static List<ReceivedSpan> serverSpans(LocalOtlpReceiver receiver) {
    return receiver.spans().stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).toList();
  }

  private static void traced(Map<String, String> env, LocalOtlpReceiver receiver) {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    env.put("OTEL_BSP_SCHEDULE_DELAY", "50");
  }

  private void assertOneTrace(ApplicationContext web, LocalOtlpReceiver receiver) throws Exception {
    URI base = URI.create("http://127.0.0.1:" + web.getBean(EmbeddedServer.class).getPort());
    HttpResponse<String> accepted =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/exports"))
                .header("traceparent", "00-" + TRACE + "-" + CALLER + "-01")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    // A poller's requests are not traced.
    for (String path : List.of("/__heartbeat__", "/__version__")) {
      http.send(
          HttpRequest.newBuilder(base.resolve(path)).build(),
          HttpResponse.BodyHandlers.discarding());
    }

    // Each process exports on its own schedule: wait for all three.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !receiver.named("run/" + EXPORT).isEmpty()
                    && !receiver.named("apply_async/" + EXPORT).isEmpty()
                    && !serverSpans(receiver).isEmpty());
    List<ReceivedSpan> server = serverSpans(receiver);
    assertThat(server).hasSize(1);
    ReceivedSpan request = server.get(0);
    assertThat(request.traceId()).isEqualTo(TRACE);
    assertThat(request.parentSpanId()).isEqualTo(CALLER);

    ReceivedSpan publish = receiver.named("apply_async/" + EXPORT).get(0);
    assertThat(publish.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
    assertThat(publish.traceId()).isEqualTo(TRACE);
    assertThat(publish.parentSpanId()).isEqualTo(request.spanId());

    ReceivedSpan run = receiver.named("run/" + EXPORT).get(0);
    assertThat(run.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
    assertThat(run.traceId()).isEqualTo(TRACE);
    assertThat(run.parentSpanId()).isEqualTo(publish.spanId());
    assertThat(run.attributes()).containsEntry("celery.state", "SUCCESS");
  }
}
