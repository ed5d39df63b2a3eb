package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.tracing.LocalOtlpReceiver;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plinth and real Celery (Debian python3-celery 5.2.6, installed by scripts/install-test-deps.sh)
 * on one broker: a Celery client calls a Plinth worker through rpc://, and Plinth calls a task on a
 * Celery worker; W3C trace context crosses both ways in the message headers, where
 * opentelemetry-instrumentation-celery writes and reads it.
 */
class CeleryInteropTest {

  @Serdeable
  public record Add(int a, int b) {}

  static final TaskDefinition<Add> PY_ADD = TaskDefinition.of("py.add", Add.class);

  static String queue;
  static String celeryQueue;
  static ApplicationContext worker;
  static CeleryProcesses celery;
  static LocalOtlpReceiver receiver;

  static final String TRACE = "5b8efff798038103d269b633813fc60c";
  static final String PY_SPAN = "eee19b7ec3c1b174";

  @Serdeable
  public record NoArguments() {}

  static final TaskDefinition<NoArguments> PY_TRACE_CONTEXT =
      TaskDefinition.of("py.trace_context", NoArguments.class);

  @BeforeAll
  static void start() throws Exception {
    celery = new CeleryProcesses();
    queue = TaskTestSupport.uniqueQueue("plinth-celery");
    celeryQueue = TaskTestSupport.uniqueQueue("plinth-celery-py");
    Map<String, String> env = TaskTestSupport.environment(TaskTestSupport.freshDatabase(), queue);
    receiver = new LocalOtlpReceiver();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    env.put("OTEL_BSP_SCHEDULE_DELAY", "50");
    worker = PlinthApplication.builder(Application.MODE, Application.class, env).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (celery != null) {
      celery.close();
    }
    try (var rabbit = TaskTestSupport.rabbit()) {
      TaskTestSupport.deleteTopology(rabbit, queue);
      TaskTestSupport.deleteTopology(rabbit, celeryQueue);
    }
  }

  @Test
  void celeryClientCallsThePlinthWorkerOverRpc() throws Exception {
    Map<String, JsonNode> cases =
        celery.runClient(
            worker.getBean(JsonMapper.class),
            "plinth_celery_client.py",
            Map.of("PLINTH_TRACEPARENT", "00-" + TRACE + "-" + PY_SPAN + "-01"),
            queue);
    assertThat(cases).containsKeys("echo", "positional", "unknown", "failing");

    JsonNode echo = cases.get("echo");
    assertThat(echo.get("status").getStringValue()).isEqualTo("SUCCESS");
    assertThat(echo.get("value").get("text").getStringValue()).isEqualTo("from python");

    assertThat(cases.get("positional").get("value").get("text").getStringValue())
        .isEqualTo("positional");

    JsonNode unknown = cases.get("unknown");
    assertThat(unknown.get("status").getStringValue()).isEqualTo("FAILURE");
    assertThat(unknown.get("type").getStringValue()).isEqualTo("NotRegistered");
    assertThat(unknown.get("message").getStringValue()).contains("test.no_such_task");

    JsonNode failing = cases.get("failing");
    assertThat(failing.get("status").getStringValue()).isEqualTo("FAILURE");
    assertThat(failing.get("type").getStringValue()).isEqualTo("IllegalArgumentException");
    assertThat(failing.get("message").getStringValue()).contains("always fails: py");

    JsonNode countdown = cases.get("countdown");
    assertThat(countdown.get("status").getStringValue()).isEqualTo("SUCCESS");
    assertThat(countdown.get("value").get("text").getStringValue()).isEqualTo("later");

    JsonNode expired = cases.get("expired");
    assertThat(expired.get("type").getStringValue())
        .as(expired.toString())
        .isEqualTo("TaskRevokedError");

    // Celery's timelimit [hard, soft]: the soft limit tells the handler, the hard one ends it.
    JsonNode cleanup = cases.get("soft_cleanup");
    assertThat(cleanup.get("status").getStringValue()).as(cleanup.toString()).isEqualTo("SUCCESS");
    assertThat(cleanup.get("value").getStringValue()).isEqualTo("cleaned up");
    JsonNode hard = cases.get("soft_then_hard");
    assertThat(hard.get("type").getStringValue())
        .as(hard.toString())
        .isEqualTo("TimeLimitExceeded");
    assertThat(TestTasks.SOFT_LIMIT_MARKERS).containsKeys("py-cleanup", "py-hard");

    // The Python client's trace context: the Plinth run is a child of its publishing span.
    String traced = cases.get("traced").get("id").getStringValue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                receiver.named("run/test.echo").stream()
                    .anyMatch(s -> traced.equals(s.attributes().get("messaging.message.id"))));
    var run =
        receiver.named("run/test.echo").stream()
            .filter(s -> traced.equals(s.attributes().get("messaging.message.id")))
            .findFirst()
            .orElseThrow();
    assertThat(run.traceId()).isEqualTo(TRACE);
    assertThat(run.parentSpanId()).isEqualTo(PY_SPAN);
  }

  @Test
  void aTaskPublishedByPlinthRunsOnACeleryWorker() throws Exception {
    celery.startWorker(celeryQueue);
    try {
      TaskQueue tasks = worker.getBean(TaskQueue.class);

      Integer sum =
          tasks.call(
              PY_ADD,
              new Add(2, 40),
              Integer.class,
              Duration.ofSeconds(30),
              TaskOptions.defaults().queue(celeryQueue));

      assertThat(sum).isEqualTo(42);
      assertThat(celery.workerLog()).contains("py.add");

      // What the Celery task sees of Plinth's trace context: its publishing span's.
      Map<?, ?> seen =
          tasks.call(
              PY_TRACE_CONTEXT,
              new NoArguments(),
              Map.class,
              Duration.ofSeconds(30),
              TaskOptions.defaults().queue(celeryQueue));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !receiver.named("apply_async/py.trace_context").isEmpty());
      var publish = receiver.named("apply_async/py.trace_context").get(0);
      assertThat(seen.get("traceparent"))
          .isEqualTo("00-" + publish.traceId() + "-" + publish.spanId() + "-01");
    } finally {
      celery.stopWorker();
    }
  }
}
