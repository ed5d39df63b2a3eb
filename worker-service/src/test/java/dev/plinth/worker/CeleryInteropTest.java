package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.boot.PlinthApplication;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskOptions;
import dev.plinth.platform.tasks.TaskQueue;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.testing.TestServices;
import dev.plinth.platform.tracing.LocalOtlpReceiver;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
  static final String PYTHON = "/usr/bin/python3";

  @Serdeable
  public record Add(int a, int b) {}

  static final TaskDefinition<Add> PY_ADD = TaskDefinition.of("py.add", Add.class);

  static String queue;
  static String celeryQueue;
  static ApplicationContext worker;
  static Path scripts;
  static LocalOtlpReceiver receiver;

  static final String TRACE = "5b8efff798038103d269b633813fc60c";
  static final String PY_SPAN = "eee19b7ec3c1b174";

  @Serdeable
  public record NoArguments() {}

  static final TaskDefinition<NoArguments> PY_TRACE_CONTEXT =
      TaskDefinition.of("py.trace_context", NoArguments.class);

  @BeforeAll
  static void start() throws Exception {
    Process check = new ProcessBuilder(PYTHON, "-c", "import celery").start();
    if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
      throw new AssertionError(
          "Debian's python3-celery is not installed: run bin/test, which installs it");
    }
    queue = TaskTestSupport.uniqueQueue("plinth-celery");
    celeryQueue = TaskTestSupport.uniqueQueue("plinth-celery-py");
    Map<String, String> env = TaskTestSupport.environment(TaskTestSupport.freshDatabase(), queue);
    receiver = new LocalOtlpReceiver();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    env.put("OTEL_BSP_SCHEDULE_DELAY", "50");
    worker = PlinthApplication.builder(Application.MODE, Application.class, env).start();
    scripts = Files.createTempDirectory("plinth-celery");
    for (String script : List.of("plinth_celery_client.py", "plinth_celery_worker.py")) {
      try (var in = CeleryInteropTest.class.getResourceAsStream("/celery/" + script)) {
        Files.copy(in, scripts.resolve(script));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    try (var rabbit = TaskTestSupport.rabbit()) {
      TaskTestSupport.deleteTopology(rabbit, queue);
      TaskTestSupport.deleteTopology(rabbit, celeryQueue);
    }
  }

  @Test
  void celeryClientCallsThePlinthWorkerOverRpc() throws Exception {
    ProcessBuilder clientBuilder =
        new ProcessBuilder(PYTHON, scripts.resolve("plinth_celery_client.py").toString(), queue)
            .directory(scripts.toFile())
            .redirectErrorStream(true);
    clientBuilder.environment().put("PLINTH_CELERY_BROKER", broker());
    clientBuilder.environment().put("PLINTH_TRACEPARENT", "00-" + TRACE + "-" + PY_SPAN + "-01");
    Process client = clientBuilder.start();
    String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).as(output).isZero();

    JsonMapper json = worker.getBean(JsonMapper.class);
    Map<String, JsonNode> cases = new HashMap<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("{")) {
        JsonNode node = json.readValue(line, JsonNode.class);
        cases.put(node.get("case").getStringValue(), node);
      }
    }
    assertThat(cases).as(output).containsKeys("echo", "positional", "unknown", "failing");

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
    Path log = scripts.resolve("celery-worker.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                PYTHON,
                "-m",
                "celery",
                "-A",
                "plinth_celery_worker",
                "worker",
                "-Q",
                celeryQueue,
                "--pool=solo",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO")
            .directory(scripts.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PLINTH_CELERY_QUEUE", celeryQueue);
    builder.environment().put("PLINTH_CELERY_BROKER", broker());
    Process celery = builder.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                if (!celery.isAlive()) {
                  throw new AssertionError("celery worker exited: " + read(log));
                }
                return read(log).contains("ready.");
              });
      TaskQueue tasks = worker.getBean(TaskQueue.class);

      Integer sum =
          tasks.call(
              PY_ADD,
              new Add(2, 40),
              Integer.class,
              Duration.ofSeconds(30),
              TaskOptions.defaults().queue(celeryQueue));

      assertThat(sum).isEqualTo(42);
      assertThat(read(log)).contains("py.add");

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
      celery.destroy();
      celery.waitFor(20, TimeUnit.SECONDS);
      celery.destroyForcibly();
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The tests' broker as a Celery broker URL. */
  private static String broker() {
    TestServices.Endpoint broker = TestServices.rabbitmq();
    return "amqp://guest:guest@" + broker.host() + ":" + broker.port() + "//";
  }
}
