package dev.plinth.beat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinth.platform.sentry.LocalSentryServer;
import dev.plinth.platform.testing.FreePorts;
import dev.plinth.platform.testing.PostgresTestDatabase;
import dev.plinth.platform.testing.PrometheusScrape;
import dev.plinth.platform.testing.TcpProxy;
import dev.plinth.platform.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A BEAT process seen as an operator sees it: its scrape counts ticks, publishes and their lag;
 * once its broker is cut (a proxy in front of RabbitMQ, closed) the scrape counts failed publishes,
 * and each one reaches Sentry (a local envelope endpoint) once, tagged with its schedule.
 */
class BeatObservabilityTest {
  private static final String SCHEDULE = "every-second";

  @Test
  void eachFailedPublishArrivesOnceWithItsSchedule() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Path log = Path.of("target", "beat-sentry-" + suffix + ".log");
    TestServices.Endpoint rabbit = TestServices.rabbitmq();
    TcpProxy broker = TcpProxy.start(rabbit.host(), rabbit.port());
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        LocalSentryServer sentry = new LocalSentryServer()) {
      Map<String, String> env = new HashMap<>();
      env.put("PATH", System.getenv("PATH"));
      env.put("APP_DEBUG", "true");
      env.put("PORT", "0");
      int management = FreePorts.pick();
      env.put("APP_MANAGEMENT_PORT", String.valueOf(management));
      env.put("APP_DATA_DIR", "target/beat-sentry-data-" + suffix);
      env.putAll(database.environment());
      env.put("RABBITMQ_HOST", "127.0.0.1");
      env.put("RABBITMQ_PORT", String.valueOf(broker.port()));
      env.put("SENTRY_DSN", sentry.dsn());
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-cp");
      command.add(BeatReplicasTest.testClassPath());
      command.add("-Dplinth.beat.schedules." + SCHEDULE + ".task=example.tick");
      command.add("-Dplinth.beat.external-tasks=example.tick");
      command.add("-Dplinth.beat.schedules." + SCHEDULE + ".interval=1s");
      command.add("-Dplinth.beat.schedules." + SCHEDULE + ".queue=plinth-beat-sentry-" + suffix);
      command.add("-Dplinth.beat.schedules.example-export.enabled=false");
      command.add("-Dplinth.tasks.confirm-timeout=2s");
      command.add(Application.class.getName());
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().clear();
      builder.environment().putAll(env);
      builder.redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      Process beat = builder.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> count(log, "\"beat.published\"") >= 1);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> value(scrape(management), "plinth_beat_publish_lag_seconds_count") >= 1);
        String working = scrape(management);
        assertThat(value(working, "plinth_beat_ticks_total", "outcome=\"ok\"")).isPositive();
        assertThat(value(working, "plinth_beat_published_total", "schedule=\"" + SCHEDULE + "\""))
            .isPositive();
        assertThat(value(working, "plinth_beat_housekeeping_leader")).isEqualTo(1);

        broker.close();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(log, "beat.publish.failed") >= 2);
        String failing = scrape(management);
        assertThat(value(failing, "plinth_beat_publish_failures_total")).isGreaterThanOrEqualTo(2);
        new PrometheusScrape(failing).assertHasTheAlertRulesMetrics("plinth_beat_");
      } finally {
        beat.destroy();
        assertThat(beat.waitFor(60, TimeUnit.SECONDS)).as("BEAT stops on SIGTERM").isTrue();
      }
      long failures = count(log, "beat.publish.failed");
      List<String> published =
          sentry.events().stream()
              .filter(e -> e.contains("\"schedule\":\"" + SCHEDULE + "\""))
              .toList();
      assertThat(published).hasSize((int) failures);
      assertThat(published)
          .allSatisfy(
              e -> assertThat(e).contains("\"task_name\":\"example.tick\"", "\"task_id\":"));
    } finally {
      broker.close();
    }
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private static double value(String scrape, String name, String... labels) {
    return new PrometheusScrape(scrape).value(name, labels);
  }

  private static long count(Path log, String text) throws Exception {
    if (!Files.exists(log)) {
      return 0;
    }
    return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
  }
}
