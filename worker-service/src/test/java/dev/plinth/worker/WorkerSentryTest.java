package dev.plinth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import dev.plinth.platform.database.PlatformMigrations;
import dev.plinth.platform.sentry.LocalSentryServer;
import dev.plinth.platform.tasks.TaskTestSupport;
import dev.plinth.platform.testing.PostgresTestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A WORKER run as a process reports each task that fails for good to Sentry (a local envelope
 * endpoint) exactly once, tagged with the task's name, id, attempt and queue: dead after its
 * retries, past its time limit, poison. A task that succeeds on its retry sends nothing, and no
 * secret of the environment is in any envelope.
 */
class WorkerSentryTest {
  private static final String SECRET_KEY = "worker-sentry-secret-key-0123456789";

  @Test
  void whatFailsForGoodArrivesOnceTaggedAndRetriesSendNothing() throws Exception {
    String queue = TaskTestSupport.uniqueQueue("plinth-worker-sentry");
    String db = TaskTestSupport.freshDatabase();
    PlatformMigrations.flyway(
            Flyway.configure().dataSource(PostgresTestDatabase.jdbcUrl(db), "postgres", ""))
        .migrate();
    try (LocalSentryServer sentry = new LocalSentryServer();
        Connection rabbit = TaskTestSupport.rabbit()) {
      Map<String, String> env = TaskTestSupport.environment(db, queue);
      env.put("PATH", System.getenv("PATH"));
      env.put("SENTRY_DSN", sentry.dsn());
      env.put("APP_DEBUG", "false");
      env.put("APP_SECRET_KEY", SECRET_KEY);
      env.put("PLINTH_TASKS_BACKOFF", "200ms");
      TaskTestSupport.Producer producer = new TaskTestSupport.Producer(rabbit);
      try (WorkerProcess worker = WorkerProcess.start(env, "sentry")) {
        // Sent once the worker has declared its queue: before, the broker would drop them.
        worker.awaitReady(() -> queueExists(rabbit, queue));
        String dead =
            producer.send(queue, "test.always_fails", new TestTasks.Flaky("a", 0), null, 1);
        String recovered = producer.send(queue, "test.flaky", new TestTasks.Flaky("b", 1), null, 2);
        String slow =
            producer.sendWithTimeLimit(queue, "test.echo", new TestTasks.Echo("slow", 30_000), 1);
        producer.sendRaw(
            queue,
            new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .headers(Map.of("task", "test.echo", "id", "poison-for-sentry"))
                .build(),
            "{not json".getBytes(StandardCharsets.UTF_8));

        worker.awaitReady(() -> events(sentry).size() >= 3);
        // The successful retry has run too before the worker stops and Sentry flushes.
        worker.awaitReady(
            () -> {
              try {
                return TaskTestSupport.runStatus(db, recovered)
                    .map("succeeded"::equals)
                    .orElse(false);
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
            });
        assertThat(worker.terminate(Duration.ofSeconds(30))).isZero();

        List<String> events = events(sentry);
        assertThat(events)
            .filteredOn(e -> e.contains(taskTag(dead)))
            .singleElement()
            .satisfies(
                e ->
                    assertThat(e)
                        .contains(
                            "\"task_name\":\"test.always_fails\"",
                            "\"attempt\":\"2\"",
                            "\"queue\":\"" + queue + "\""));
        assertThat(events)
            .filteredOn(e -> e.contains(taskTag(slow)))
            .singleElement()
            .satisfies(
                e -> assertThat(e).contains("TimeLimitExceeded", "\"task_name\":\"test.echo\""));
        assertThat(events)
            .filteredOn(e -> e.contains("\"formatted\":\"poison message dead-lettered"))
            .singleElement()
            .satisfies(e -> assertThat(e).contains("\"queue\":\"" + queue + "\""));
        assertThat(events).noneMatch(e -> e.contains(taskTag(recovered)));
        assertThat(events).hasSize(3);
        assertThat(sentry.envelopes()).noneMatch(e -> e.contains(SECRET_KEY));
      } finally {
        TaskTestSupport.deleteTopology(rabbit, queue);
      }
    }
  }

  private static String taskTag(String id) {
    return "\"task_id\":\"" + id + "\"";
  }

  private static boolean queueExists(Connection rabbit, String queue) {
    try (var channel = rabbit.createChannel()) {
      channel.queueDeclarePassive(queue);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static List<String> events(LocalSentryServer sentry) {
    return sentry.events();
  }
}
