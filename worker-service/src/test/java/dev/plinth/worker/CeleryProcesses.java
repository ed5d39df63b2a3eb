package dev.plinth.worker;

import static org.awaitility.Awaitility.await;

import dev.plinth.platform.testing.TestServices;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;

/**
 * Real Celery beside a Plinth worker (Debian python3-celery 5.2.6, installed by
 * scripts/install-test-deps.sh): the test scripts copied out of the classpath, a Celery worker
 * process, and a Celery client script run to its end with one JSON line per case.
 */
final class CeleryProcesses implements AutoCloseable {
  static final String PYTHON = "/usr/bin/python3";
  private static final List<String> SCRIPTS =
      List.of(
          "plinth_celery_client.py",
          "plinth_celery_worker.py",
          "plinth_celery_canvas.py",
          "plinth_celery_revoke.py");

  private final Path scripts;
  private Process worker;

  CeleryProcesses() throws IOException, InterruptedException {
    Process check = new ProcessBuilder(PYTHON, "-c", "import celery").start();
    if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
      throw new AssertionError(
          "Debian's python3-celery is not installed: run bin/test, which installs it");
    }
    scripts = Files.createTempDirectory("plinth-celery");
    for (String script : SCRIPTS) {
      try (var in = CeleryProcesses.class.getResourceAsStream("/celery/" + script)) {
        Files.copy(in, scripts.resolve(script));
      }
    }
  }

  /** Starts a Celery worker (plinth_celery_worker) on {@code queue}; returns once it is ready. */
  void startWorker(String queue) throws IOException {
    Path log = log();
    ProcessBuilder builder =
        new ProcessBuilder(
                PYTHON,
                "-m",
                "celery",
                "-A",
                "plinth_celery_worker",
                "worker",
                "-Q",
                queue,
                "--pool=solo",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO")
            .directory(scripts.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("PLINTH_CELERY_QUEUE", queue);
    builder.environment().put("PLINTH_CELERY_BROKER", broker());
    worker = builder.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              if (!worker.isAlive()) {
                throw new AssertionError("celery worker exited: " + workerLog());
              }
              return workerLog().contains("ready.");
            });
  }

  /** What the Celery worker logged so far. */
  String workerLog() throws IOException {
    Path log = log();
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /**
   * Runs the client {@code script} with {@code args} and {@code env} to its end; its JSON lines by
   * their {@code case}.
   */
  Map<String, JsonNode> runClient(
      JsonMapper json, String script, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of(PYTHON, scripts.resolve(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(scripts.toFile()).redirectErrorStream(true);
    builder.environment().put("PLINTH_CELERY_BROKER", broker());
    builder.environment().putAll(env);
    Process client = builder.start();
    String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assertions.assertThat(client.waitFor(180, TimeUnit.SECONDS)).isTrue();
    Assertions.assertThat(client.exitValue()).as(output).isZero();
    Map<String, JsonNode> cases = new HashMap<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("{")) {
        JsonNode node = json.readValue(line, JsonNode.class);
        cases.put(node.get("case").getStringValue(), node);
      }
    }
    return cases;
  }

  /** Stops the Celery worker, if one runs: SIGTERM, then SIGKILL after 20 s. */
  void stopWorker() {
    if (worker != null) {
      worker.destroy();
      try {
        worker.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      worker.destroyForcibly();
      worker = null;
    }
  }

  @Override
  public void close() {
    stopWorker();
  }

  private Path log() {
    return scripts.resolve("celery-worker.log");
  }

  /** The tests' broker as a Celery broker URL. */
  static String broker() {
    TestServices.Endpoint broker = TestServices.rabbitmq();
    return "amqp://guest:guest@" + broker.host() + ":" + broker.port() + "//";
  }
}
